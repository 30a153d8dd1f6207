/**
 * Runs a REST call inside the sandbox, without HTTP: the composite resources (`composite`,
 * `composite/batch`) hand each subrequest to the same handler an HTTP request would reach, with a request
 * and response that carry just what the handlers read. The handlers are synchronous, so is this.
 */
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { parseVersionSegment } from './versions';

export interface InternalRequest {
  method: string;
  /** `/services/data/v62.0/sobjects/Account/001…?fields=Name`: path and URL-encoded query string. */
  url: string;
  body?: unknown;
  headers?: Record<string, string>;
  /** Put into `res.locals` (e.g. the shared write transaction of an allOrNone composite). */
  locals?: Record<string, unknown>;
}

export interface InternalResponse {
  status: number;
  body: unknown;
  headers: Record<string, string>;
}

interface Route {
  method: string;
  pattern: RegExp;
  keys: string[];
  handler: RequestHandler;
  template: string;
}

const notFoundResponse = (): InternalResponse => ({
  status: 404,
  body: [{ errorCode: 'NOT_FOUND', message: 'The requested resource does not exist' }],
  headers: {},
});

export class InternalRouter {
  private readonly routes: Route[] = [];

  /** Registers a route with an express-style path (`/services/data/:version/sobjects/:type`). */
  add(method: string, template: string, handler: RequestHandler): void {
    const keys: string[] = [];
    const source = template
      .split('/')
      .map((segment) => {
        if (!segment.startsWith(':')) return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
        keys.push(segment.slice(1));
        return '([^/]+)';
      })
      .join('/');
    // express matches case-insensitively and tolerates a trailing slash (non-strict routing).
    this.routes.push({
      method: method.toUpperCase(),
      pattern: new RegExp(`^${source}/?$`, 'i'),
      keys,
      handler,
      template,
    });
  }

  /** The route template a URL's path would reach, e.g. to refuse resources a composite may not call. */
  templateOf(method: string, path: string): string | undefined {
    return this.match(method, path)?.route.template;
  }

  dispatch(request: InternalRequest): InternalResponse {
    const [path = '', search = ''] = request.url.split(/\?(.*)/s, 2);
    const found = this.match(request.method, path);
    if (!found) return notFoundResponse();
    const version = parseVersionSegment(found.params.version ? `${found.params.version}` : '');
    if (found.params.version !== undefined && version === undefined) return notFoundResponse();

    const headers = Object.fromEntries(
      Object.entries(request.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v]),
    );
    const query: Record<string, string | string[]> = {};
    for (const [k, v] of new URLSearchParams(search)) {
      const prior = query[k];
      query[k] = prior === undefined ? v : Array.isArray(prior) ? [...prior, v] : [prior, v];
    }
    const req = {
      method: request.method.toUpperCase(),
      url: request.url,
      path,
      params: found.params,
      query,
      body: request.body,
      headers,
      get: (name: string) => headers[name.toLowerCase()],
    } as unknown as Request;

    const out: InternalResponse = { status: 200, body: undefined, headers: {} };
    const res = {
      locals: { apiVersion: version, ...request.locals },
      status(code: number) {
        out.status = code;
        return res;
      },
      json(body: unknown) {
        out.body = body;
        return res;
      },
      send(body: unknown) {
        out.body = body;
        return res;
      },
      end() {
        return res;
      },
      set(name: string, value: string) {
        out.headers[name] = value;
        return res;
      },
    } as unknown as Response;
    let failure: unknown;
    const next: NextFunction = (err?: unknown) => {
      failure = err ?? new Error('no handler answered');
    };
    try {
      void found.route.handler(req, res, next);
    } catch (err) {
      failure = err;
    }
    if (failure !== undefined) {
      return {
        status: 500,
        body: [
          {
            errorCode: 'UNKNOWN_EXCEPTION',
            message: 'An unexpected error occurred. Please include this ErrorId if you contact support',
          },
        ],
        headers: {},
      };
    }
    return out;
  }

  private match(method: string, path: string): { route: Route; params: Record<string, string> } | undefined {
    const upper = method.toUpperCase();
    for (const route of this.routes) {
      if (route.method !== upper && route.method !== 'ALL') continue;
      const m = route.pattern.exec(path);
      if (!m) continue;
      const params: Record<string, string> = {};
      route.keys.forEach((key, i) => {
        params[key] = decodeURIComponent(m[i + 1] ?? '');
      });
      return { route, params };
    }
    return undefined;
  }
}
