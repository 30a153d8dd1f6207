# syntax=docker/dockerfile:1
# The worker image (also runs `sfzd listen` and the other sfzd commands). Two stages: `build` installs
# the dependencies and pre-builds the workflow bundle; the runtime stage holds only production
# dependencies and the sources, runs as the unprivileged `node` user, and carries no credentials: every
# secret comes from the environment at run time (see docker-compose.yml and docs/deployment.md).
# The sandbox (sandbox/, the `@sfzd/sandbox` workspace with express) is for tests and `npm start` only:
# .dockerignore leaves it out and --workspaces=false installs no workspace or its dependencies.

FROM node:20.19.5-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
# --ignore-scripts: the project's postinstall fetches the Temporal CLI for the dev server, which an image
# never runs; esbuild (tsx) and swc keep their own install steps.
RUN npm ci --workspaces=false --ignore-scripts --no-audit --no-fund && npm rebuild esbuild @swc/core
COPY . .
# Workflow code bundled once, here: every replica runs byte-identical workflow code and starts without webpack.
RUN npm run build:workflow-bundle -- dist/workflow-bundle.js \
 && npm prune --omit=dev --workspaces=false --ignore-scripts --no-audit --no-fund

FROM node:20.19.5-bookworm-slim AS runtime
# HEALTH_HOST / METRICS_HOST: the processes bind loopback by default; in a container the orchestrator's
# probe and Prometheus come from outside, so the image listens on every interface of its own network
# namespace (publish or expose the ports deliberately). The HEALTHCHECK calls 127.0.0.1 either way.
ENV NODE_ENV=production \
    WORKFLOW_BUNDLE_PATH=/app/dist/workflow-bundle.js \
    HEALTH_PORT=8080 \
    HEALTH_HOST=0.0.0.0 \
    METRICS_HOST=0.0.0.0 \
    SYNC_CONFIG=/app/sync.config.yaml
WORKDIR /app
COPY --from=build --chown=root:root /app /app
USER node
EXPOSE 8080
HEALTHCHECK --interval=15s --timeout=5s --start-period=60s --retries=3 CMD ["node", "bin/healthcheck.js"]
ENTRYPOINT ["node", "bin/sfzd.js"]
CMD ["worker"]
