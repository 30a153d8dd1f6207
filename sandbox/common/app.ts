/**
 * The express skeleton both sandboxes share: body parsing, the request log, fault injection and the
 * generic `/__sandbox` control routes. Each sandbox adds its API routes, then calls finishSandboxApp.
 */
import express, { type ErrorRequestHandler, type Express, type Request, type Response } from 'express';
import type { Faults, FaultSettings } from './faults';
import { FaultSettingsError } from './faults';
import type { RequestLog } from './request-log';

export interface SandboxAppOptions {
  name: string;
  log: RequestLog;
  faults: Faults;
  /** Renders an error in the sandbox's real API shape (Salesforce's array, Zendesk's object). */
  sendError(res: Response, status: number, code: string, message: string): void;
  random?: () => number;
}

export const CONTROL_PREFIX = '/__sandbox';

const isControl = (req: Request) => req.path === CONTROL_PREFIX || req.path.startsWith(`${CONTROL_PREFIX}/`);

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function routeOf(req: Request): string {
  const template = (req.route as { path?: string } | undefined)?.path;
  return template === undefined ? `${req.method} (unmatched)` : `${req.method} ${req.baseUrl}${template}`;
}

export function createSandboxApp(opts: SandboxAppOptions): Express {
  const random = opts.random ?? Math.random;
  const app = express();
  app.locals.sandboxOptions = opts;
  app.disable('x-powered-by');
  app.set('etag', false);
  app.set('query parser', 'extended');
  app.use(express.json({ limit: '20mb', type: ['application/json', 'application/*+json'] }));
  app.use(express.urlencoded({ extended: false, limit: '1mb' }));

  // Control routes: for tests and benchmarks, never logged or faulted.
  app.get(`${CONTROL_PREFIX}/requests`, (req, res) => {
    const body: Record<string, unknown> = { sandbox: opts.name, ...opts.log.summary() };
    if (req.query.entries === '1' || req.query.entries === 'true') body.entries = opts.log.entries();
    res.json(body);
  });
  app.delete(`${CONTROL_PREFIX}/requests`, (_req, res) => {
    opts.log.reset();
    res.status(204).end();
  });
  app.get(`${CONTROL_PREFIX}/faults`, (_req, res) => {
    res.json(opts.faults.settings);
  });
  app.put(`${CONTROL_PREFIX}/faults`, (req, res) => {
    try {
      res.json(opts.faults.update((req.body ?? {}) as Partial<FaultSettings>));
    } catch (err) {
      if (!(err instanceof FaultSettingsError)) throw err;
      res.status(400).json({ error: err.code, message: err.message });
    }
  });
  app.delete(`${CONTROL_PREFIX}/faults`, (_req, res) => {
    opts.faults.reset();
    res.status(204).end();
  });

  app.use((req, res, next) => {
    if (isControl(req)) return next();
    res.on('finish', () => {
      opts.log.record({
        at: Date.now(),
        method: req.method,
        route: routeOf(req),
        path: req.originalUrl.split('?')[0] ?? req.originalUrl,
        status: res.statusCode,
        duringRetryAfter: res.locals.duringRetryAfter === true,
      });
    });
    const { latencyMs } = opts.faults.settings;
    const proceed = () => {
      const fault = opts.faults.pick(random);
      if (fault) {
        if (fault.retryAfterSeconds !== undefined) res.set('Retry-After', String(fault.retryAfterSeconds));
        opts.sendError(
          res,
          fault.status,
          fault.status === 429 ? 'TooManyRequests' : 'SERVER_ERROR',
          `The ${opts.name} sandbox injected a ${fault.status} fault.`,
        );
        return;
      }
      next();
    };
    if (latencyMs > 0) void sleep(latencyMs).then(proceed);
    else proceed();
  });
  return app;
}

export interface FinishOptions {
  notFound(req: Request, res: Response): void;
  malformedBody(res: Response, err: Error): void;
}

/** Adds the 404 fallback and an error handler, so a bad request never takes the sandbox down. */
export function finishSandboxApp(app: Express, finish: FinishOptions): Express {
  const opts = app.locals.sandboxOptions as SandboxAppOptions;
  app.use((req, res) => finish.notFound(req, res));
  const onError: ErrorRequestHandler = (
    err: Error & { type?: string; status?: number },
    _req,
    res,
    _next,
  ) => {
    if (res.headersSent) {
      res.end();
      return;
    }
    if (
      err.type === 'entity.parse.failed' ||
      err.type === 'encoding.unsupported' ||
      err.type === 'charset.unsupported'
    ) {
      finish.malformedBody(res, err);
      return;
    }
    if (err.type === 'entity.too.large') {
      opts.sendError(res, 413, 'REQUEST_TOO_LARGE', err.message);
      return;
    }
    opts.sendError(
      res,
      500,
      'UNKNOWN_EXCEPTION',
      `An unexpected error occurred in the ${opts.name} sandbox: ${err.message}`,
    );
  };
  app.use(onError);
  return app;
}
