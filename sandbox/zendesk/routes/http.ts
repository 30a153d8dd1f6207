/** Shared plumbing for the Zendesk route modules. */
import type { Request, RequestHandler, Response } from 'express';
import { EndpointRateLimitError, type EndpointLimits } from '../endpoint-limits';
import { ZendeskApiError } from '../errors';
import { queryString } from '../input';
import type { JobRunner } from '../jobs';
import { Renderer } from '../render';
import type { SearchIndex } from '../search-index';
import type { ZendeskContext } from '../settings';

export interface RouteDeps {
  ctx: ZendeskContext;
  jobs: JobRunner;
  index: SearchIndex;
  limits: EndpointLimits;
  /** The account owner's user id (some operations refuse to touch the owner). */
  ownerId(): number | undefined;
}

export const originOf = (req: Request) => `${req.protocol}://${req.get('host') ?? 'localhost'}`;

export const rendererFor = (deps: RouteDeps, req: Request) => new Renderer(deps.ctx.store, originOf(req));

/** Runs a handler and renders ZendeskApiError in Zendesk's envelope; anything else is a sandbox bug (500). */
export function handle(fn: (req: Request, res: Response) => void): RequestHandler {
  return (req, res) => {
    try {
      fn(req, res);
    } catch (err) {
      if (!(err instanceof ZendeskApiError)) throw err;
      // A 429 from a rule other than the account rate limit (job limit, endpoint limits) still tells the
      // client when to retry.
      if (err.status === 429)
        res.set('Retry-After', String(err instanceof EndpointRateLimitError ? err.retryAfterSeconds : 1));
      res.status(err.status).json(err.toBody());
    }
  };
}

/**
 * Cursor pagination (`page[size]`, `page[after]`, `page[before]`): Zendesk's recommended mode, answered
 * with `meta.has_more` / `meta.after_cursor` and `links.next` instead of next_page.
 */
function cursorPage<T>(
  req: Request,
  items: T[],
  key: string,
  render: (item: T) => unknown,
  page: Record<string, unknown>,
): Record<string, unknown> {
  const size = Math.min(100, Math.max(1, Number(page.size ?? 100) || 100));
  const decode = (c: unknown) =>
    typeof c === 'string' ? Number(Buffer.from(c, 'base64url').toString('utf8')) || 0 : undefined;
  const encode = (offset: number) => Buffer.from(String(offset), 'utf8').toString('base64url');
  const after = decode(page.after);
  const before = decode(page.before);
  const start = after ?? (before !== undefined ? Math.max(0, before - size) : 0);
  const end = before !== undefined && after === undefined ? before : start + size;
  const slice = items.slice(start, end);
  const hasMore = end < items.length;
  const link = (cursor: Record<string, string>) => {
    const url = new URL(req.originalUrl, originOf(req));
    for (const k of ['page[after]', 'page[before]']) url.searchParams.delete(k);
    url.searchParams.set('page[size]', String(size));
    for (const [k, v] of Object.entries(cursor)) url.searchParams.set(`page[${k}]`, v);
    return url.toString();
  };
  return {
    [key]: slice.map(render),
    meta: {
      has_more: hasMore,
      after_cursor: hasMore ? encode(end) : null,
      before_cursor: start > 0 ? encode(start) : null,
    },
    links: {
      next: hasMore ? link({ after: encode(end) }) : null,
      prev: start > 0 ? link({ before: encode(start) }) : null,
    },
  };
}

/**
 * Offset pagination as Zendesk does it: `page` / `per_page` (max 100), absolute next/previous URLs; a
 * `page[...]` object switches to cursor pagination.
 */
export function paginate<T>(
  req: Request,
  items: T[],
  key: string,
  render: (item: T) => unknown,
): Record<string, unknown> {
  const rawPage = (req.query as Record<string, unknown>).page;
  if (typeof rawPage === 'object' && rawPage !== null && !Array.isArray(rawPage))
    return cursorPage(req, items, key, render, rawPage as Record<string, unknown>);
  const perPage = Math.min(100, Math.max(1, Number(queryString(req, 'per_page') ?? 100) || 100));
  const page = Math.max(1, Number(queryString(req, 'page') ?? 1) || 1);
  const start = (page - 1) * perPage;
  const pageUrl = (n: number) => {
    const url = new URL(req.originalUrl, originOf(req));
    url.searchParams.set('page', String(n));
    url.searchParams.set('per_page', String(perPage));
    return url.toString();
  };
  return {
    [key]: items.slice(start, start + perPage).map(render),
    next_page: start + perPage < items.length ? pageUrl(page + 1) : null,
    previous_page: page > 1 ? pageUrl(page - 1) : null,
    count: items.length,
  };
}
