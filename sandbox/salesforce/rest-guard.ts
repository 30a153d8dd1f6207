/**
 * Checks every `/services/data/vXX.X/...` call in Salesforce's order: unknown version -> 404, bad or expired
 * session -> 401 INVALID_SESSION_ID, over the API allocation -> 403 REQUEST_LIMIT_EXCEEDED. Served calls
 * count against the allocation and carry `Sforce-Limit-Info`.
 *
 * The guard runs for the whole prefix but only records a failure; the matched route (or the 404 fallback)
 * sends it, so the request log files a refused call under its real endpoint rather than "unmatched".
 */
import type { Express, NextFunction, Request, RequestHandler, Response } from 'express';
import type { SalesforceContext } from './context';
import { SalesforceApiError } from './errors';
import { InternalRouter } from './internal-router';
import { bearerToken } from './tokens';
import { parseVersionSegment } from './versions';

interface GuardFailure {
  status: number;
  body: unknown;
}

export function restGuard(ctx: SalesforceContext) {
  return (req: Request, res: Response, next: NextFunction): void => {
    // Mounted at /services/data: req.path is `/v60.0/...`; the bare versions list is public.
    const segment = req.path.split('/')[1] ?? '';
    if (segment === '') {
      next();
      return;
    }
    const fail = (err: SalesforceApiError) => {
      res.locals.guardFailure = { status: err.status, body: err.toBody() } satisfies GuardFailure;
      next();
    };
    const version = parseVersionSegment(segment);
    if (version === undefined)
      return fail(new SalesforceApiError(404, 'NOT_FOUND', 'The requested resource does not exist'));
    const token = bearerToken(req.get('authorization'));
    if (token === undefined || !ctx.tokens.validateToken(token)) {
      return fail(new SalesforceApiError(401, 'INVALID_SESSION_ID', 'Session expired or invalid'));
    }
    try {
      ctx.usage.consume();
    } catch (err) {
      if (!(err instanceof SalesforceApiError)) throw err;
      res.set('Sforce-Limit-Info', ctx.usage.header());
      return fail(err);
    }
    res.set('Sforce-Limit-Info', ctx.usage.header());
    res.locals.apiVersion = version;
    next();
  };
}

/** Sends the failure the guard recorded, if any. Returns true when it did. */
export function sendGuardFailure(res: Response): boolean {
  const failure = res.locals.guardFailure as GuardFailure | undefined;
  if (!failure) return false;
  res.status(failure.status).json(failure.body);
  return true;
}

const replayGuardFailure: RequestHandler = (_req, res, next) => {
  if (!sendGuardFailure(res)) next();
};

type Method = 'get' | 'post' | 'patch' | 'delete' | 'all';
/**
 * Route registration for REST resources: every route answers a guard failure before its handler runs, and
 * is also reachable through `router` for composite subrequests.
 */
export type RestApi = Record<Method, (path: string, handler: RequestHandler) => void> & {
  readonly router: InternalRouter;
};

export function restApi(app: Express): RestApi {
  const router = new InternalRouter();
  const register = (method: Method) => (path: string, handler: RequestHandler) => {
    app[method](path, replayGuardFailure, handler);
    router.add(method, path, handler);
  };
  return {
    get: register('get'),
    post: register('post'),
    patch: register('patch'),
    delete: register('delete'),
    all: register('all'),
    router,
  };
}
