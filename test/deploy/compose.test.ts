/**
 * docker-compose.yml and the Dockerfile, checked without a Docker engine: the compose file against the
 * Compose Specification's JSON schema (what `docker compose config` validates), then what this
 * deployment promises: scalable workers, pinned images, no secret in the files, the search attributes of
 * workflows/search-attributes.ts, a non-root image with a health check and a pre-built workflow bundle,
 * and without the sandbox or its dependencies.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv2019 from 'ajv/dist/2019';
import { ALL_SEARCH_ATTRIBUTES, searchAttributeFlags } from '../../workflows/search-attributes';
import { envOf, execForm, readCompose, readDockerfile, ROOT, type ComposeFile } from './deploy-files';

function composeValidator(): (doc: unknown) => string[] {
  const schema = JSON.parse(readFileSync(join(ROOT, 'test/fixtures/compose-spec.json'), 'utf8')) as Record<
    string,
    unknown
  >;
  // The vendored schema names its draft with an http:// URI that ajv registers as https://, and marks
  // its subschemas with the pre-draft-06 `id` keyword, which ajv refuses: both are only labels.
  delete schema.$schema;
  const dropIds = (node: unknown): void => {
    if (!node || typeof node !== 'object') return;
    const obj = node as Record<string, unknown>;
    if (typeof obj.id === 'string') delete obj.id;
    Object.values(obj).forEach(dropIds);
  };
  dropIds(schema);
  const ajv = new Ajv2019({ strict: false, allErrors: true });
  // Go durations as Compose parses them (`30s`, `1m30s`, `1.5h`).
  ajv.addFormat('duration', /^(\d+(\.\d+)?(ns|us|ms|s|m|h))+$/);
  // Checked by Compose's own parser, not by the schema: accept what the schema's types allow.
  for (const loose of ['expose', 'ports', 'subnet_ip_address']) ajv.addFormat(loose, true);
  const validate = ajv.compile(schema);
  return (doc) =>
    validate(doc)
      ? []
      : (validate.errors ?? []).map(
          (e) => `${e.instancePath} ${e.message ?? ''} ${JSON.stringify(e.params)}`,
        );
}

describe('docker-compose.yml', () => {
  const compose: ComposeFile = readCompose();
  const services = compose.services;
  const validate = composeValidator();

  it('is valid against the Compose Specification schema', () => {
    assert.deepEqual(validate(compose), []);
  });

  it('the schema check catches a broken file (so the check above can fail)', () => {
    const broken = readCompose();
    broken.services.worker!.depends_on = { temporal: { condition: 'service_ready' } };
    (broken.services.listener as Record<string, unknown>).replicas = 2; // belongs under deploy:
    const errors = validate(broken);
    assert.ok(
      errors.some((e) => e.includes('/services/worker/depends_on')),
      errors.join('\n'),
    );
    assert.ok(
      errors.some((e) => e.includes('/services/listener')),
      errors.join('\n'),
    );
  });

  it('runs PostgreSQL, the Temporal server after schema setup and namespace creation, the UI, workers and the listener', () => {
    const imageOf = (name: string) => services[name]?.image?.split(':')[0];
    assert.equal(imageOf('postgresql'), 'postgres');
    assert.equal(imageOf('temporal'), 'temporalio/server', 'the server image, not the deprecated auto-setup');
    assert.ok(!Object.values(services).some((s) => s.image?.includes('auto-setup')));
    assert.equal(imageOf('temporal-schema'), 'temporalio/admin-tools');
    assert.equal(imageOf('temporal-ui'), 'temporalio/ui');
    assert.deepEqual(services.temporal!.depends_on, {
      'temporal-schema': { condition: 'service_completed_successfully' },
    });
    assert.deepEqual(services['temporal-create-namespace']!.depends_on, {
      temporal: { condition: 'service_healthy' },
    });
    assert.deepEqual(services['temporal-search-attributes']!.depends_on, {
      'temporal-create-namespace': { condition: 'service_completed_successfully' },
    });
    for (const name of ['worker', 'listener'])
      assert.deepEqual(services[name]!.depends_on, {
        'temporal-search-attributes': { condition: 'service_completed_successfully' },
      });
    assert.equal(
      services['temporal-ui']!.environment?.TEMPORAL_CODEC_ENDPOINT,
      '${TEMPORAL_CODEC_ENDPOINT:-}',
    );
    // Every depends_on names a service of the file.
    for (const [name, s] of Object.entries(services))
      for (const dep of Object.keys(s.depends_on ?? {}))
        assert.ok(services[dep], `${name} depends on unknown service ${dep}`);
  });

  it('the schema setup, namespace and search-attribute scripts exist and parse', () => {
    for (const name of ['temporal-schema', 'temporal-create-namespace', 'temporal-search-attributes']) {
      const script = services[name]!.command![0]!.replace('/scripts/', 'deploy/temporal/');
      assert.ok(existsSync(join(ROOT, script)), `${name} runs ${script}`);
      execFileSync('sh', ['-n', join(ROOT, script)]);
    }
    const setup = readFileSync(join(ROOT, 'deploy/temporal/setup-postgres.sh'), 'utf8');
    for (const step of ['create', 'setup-schema -v 0.0', 'update-schema'])
      assert.ok(setup.includes(step), `setup-postgres.sh runs temporal-sql-tool ${step}`);
    assert.match(setup, /temporal:temporal temporal_visibility:visibility/, 'both databases');
  });

  it('workers scale with --scale worker=N: no container name, no fixed host port', () => {
    const worker = services.worker!;
    assert.equal(worker.container_name, undefined);
    assert.equal(worker.ports, undefined);
    assert.deepEqual(worker.command, ['worker']);
    assert.ok(worker.build, 'built from the Dockerfile');
  });

  it('the listener runs once (sfzd listen) and is not restarted after it succeeds', () => {
    const listener = services.listener!;
    assert.deepEqual(listener.command, ['listen']);
    assert.match(listener.restart ?? 'no', /^(no|on-failure(:\d+)?)$/);
    assert.equal(listener.container_name, undefined);
  });

  it('publishes ports on loopback only: the UI and the codec server show decrypted payloads to whoever reaches them', () => {
    const published = Object.entries(services).flatMap(([name, s]) =>
      (s.ports ?? []).map((p) => ({ name, spec: typeof p === 'string' ? p : JSON.stringify(p) })),
    );
    assert.deepEqual(
      published.map((p) => p.name).sort(),
      ['codec-server', 'temporal', 'temporal-ui'],
      'the services that publish a port',
    );
    for (const { name, spec } of published) {
      // Short syntax HOST_IP:HOST_PORT:CONTAINER_PORT, or the long syntax's host_ip.
      const hostIp = spec.startsWith('{')
        ? (JSON.parse(spec) as { host_ip?: string }).host_ip
        : /^(\d+\.\d+\.\d+\.\d+|\[[^\]]+\]):\d+:\d+/.exec(spec)?.[1];
      assert.equal(hostIp, '127.0.0.1', `${name} publishes ${spec} on every interface`);
    }
  });

  it('pins every image tag', () => {
    for (const [name, s] of Object.entries(services)) {
      assert.ok(s.image, `${name} has an image`);
      const [, tag] = s.image.split(':');
      assert.match(tag ?? '', /^\d+(\.\d+)+$/, `${name}: ${s.image} is pinned to a version`);
    }
    for (const stage of readDockerfile())
      assert.match(stage.from, /^[\w./-]+:\d+\.\d+\.\d+[\w.-]*$/, `Dockerfile FROM ${stage.from} is pinned`);
  });

  it('holds no secret: credentials are ${VAR} references, read from the git-ignored .env', () => {
    const secretName = /PASSWORD|PWD|SECRET|TOKEN|API_KEY|ENCRYPTION_KEYS/;
    for (const [name, s] of Object.entries(services))
      for (const [key, value] of Object.entries(s.environment ?? {}))
        if (secretName.test(key))
          assert.match(String(value), /^\$\{[A-Z_]+(:\?[^}]*)?\}$/, `${name}.${key} is a reference`);
    assert.equal(services.worker!.env_file, '.env');
    const ignored = (file: string) => readFileSync(join(ROOT, file), 'utf8').split('\n');
    assert.ok(ignored('.gitignore').includes('.env'));
    assert.ok(ignored('.dockerignore').includes('.env'), 'never copied into the image');
    // The example lists the credentials empty.
    const example = readFileSync(join(ROOT, '.env.example'), 'utf8');
    for (const line of example
      .split('\n')
      .filter((l) => secretName.test(l.split('=')[0]!) && !l.startsWith('#')))
      assert.match(line, /=$/, `.env.example leaves ${line} empty`);
  });

  it('registers exactly the search attributes of workflows/search-attributes.ts', () => {
    const listed = String(services['temporal-search-attributes']!.environment?.SEARCH_ATTRIBUTES)
      .trim()
      .split(/\s+/);
    const expected: string[] = [];
    const flags = searchAttributeFlags();
    for (let i = 1; i < flags.length; i += 2) expected.push(flags[i]!);
    assert.deepEqual(listed, expected);
    assert.equal(listed.length, ALL_SEARCH_ATTRIBUTES.length);
    assert.ok(listed.includes('LastSyncedAt=Datetime') && listed.includes('ZendeskId=Keyword'));
  });
});

describe('Dockerfile', () => {
  const stages = readDockerfile();
  const build = stages.find((s) => s.name === 'build')!;
  const runtime = stages.at(-1)!;
  const ops = (stage: typeof runtime, op: string) =>
    stage.instructions.filter((i) => i.op === op).map((i) => i.args);

  it('is multi-stage: npm ci and the workflow bundle in the build stage, prod dependencies in the runtime', () => {
    assert.ok(stages.length >= 2 && build && runtime !== build);
    const runs = ops(build, 'RUN').join(' && ');
    assert.match(runs, /npm ci\b/);
    assert.match(runs, /npm run build:workflow-bundle -- dist\/workflow-bundle\.js/);
    assert.match(runs, /npm prune --omit=dev/);
    assert.ok(ops(runtime, 'COPY').some((c) => c.includes('--from=build')));
  });

  it('holds neither the sandbox nor its dependencies (express): a dev/test workspace package', () => {
    const ignored = readFileSync(join(ROOT, '.dockerignore'), 'utf8').split('\n');
    assert.ok(ignored.includes('sandbox'), '.dockerignore leaves sandbox/ out of the build context');
    const runs = ops(build, 'RUN').join(' && ');
    for (const step of [/npm ci\b[^&]*/, /npm prune\b[^&]*/])
      assert.match(runs.match(step)?.[0] ?? '', /--workspaces=false/, `${step.source} skips the workspace`);
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
      dependencies: Record<string, string>;
      workspaces?: string[];
    };
    const sandbox = JSON.parse(readFileSync(join(ROOT, 'sandbox/package.json'), 'utf8')) as {
      name: string;
      private?: boolean;
      dependencies: Record<string, string>;
    };
    assert.deepEqual(pkg.workspaces, ['sandbox']);
    assert.equal(sandbox.private, true);
    assert.ok(sandbox.dependencies.express && sandbox.dependencies.faye, 'the sandbox owns express and faye');
    assert.equal(pkg.dependencies.express, undefined, 'express is not a runtime dependency');
    assert.equal(pkg.dependencies.faye, undefined, 'faye is not a direct runtime dependency');
    // What --workspaces=false then --omit=dev leaves: the lockfile closure of the root dependencies.
    const lock = JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8')) as {
      packages: Record<
        string,
        { dependencies?: Record<string, string>; optionalDependencies?: Record<string, string> }
      >;
    };
    const reached = new Set<string>();
    const queue = Object.keys(pkg.dependencies);
    while (queue.length) {
      const name = queue.pop()!;
      if (reached.has(name) || !lock.packages[`node_modules/${name}`]) continue;
      reached.add(name);
      const entry = lock.packages[`node_modules/${name}`]!;
      queue.push(...Object.keys({ ...entry.dependencies, ...entry.optionalDependencies }));
    }
    assert.ok(reached.has('@temporalio/worker') && reached.has('jsforce'), 'the walk follows the lockfile');
    for (const name of ['express', '@sfzd/sandbox', 'body-parser', 'router'])
      assert.ok(!reached.has(name), `${name} would be installed in the image`);
  });

  it('runs as a non-root user with the pre-built bundle and a health check', () => {
    const user = ops(runtime, 'USER').at(-1);
    assert.ok(user && user !== 'root' && user !== '0', `USER ${user}`);
    const env = envOf(runtime);
    const workdir = ops(runtime, 'WORKDIR').at(-1);
    assert.equal(
      env.WORKFLOW_BUNDLE_PATH,
      `${workdir}/dist/workflow-bundle.js`,
      'the file the build stage wrote',
    );
    assert.ok(env.HEALTH_PORT);
    assert.deepEqual(execForm(ops(runtime, 'HEALTHCHECK').at(-1)!), ['node', 'bin/healthcheck.js']);
    assert.deepEqual(execForm(ops(runtime, 'ENTRYPOINT').at(-1)!), ['node', 'bin/sfzd.js']);
    assert.deepEqual(execForm(ops(runtime, 'CMD').at(-1)!), ['worker']);
    // The compose worker's health port is the image's.
    assert.equal(String(readCompose().services.worker!.environment?.HEALTH_PORT), env.HEALTH_PORT);
  });
});
