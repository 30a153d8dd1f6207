/**
 * The Search API: `search.json`, `search/count.json` and `search/export.json`
 * (https://developer.zendesk.com/api-reference/ticketing/ticket-management/search/; query syntax in
 * ../search-query.ts). All three read the lagging search index.
 */
import type { Request, Router } from 'express';
import { takeEndpointBudget } from '../endpoint-limits';
import { invalidAttribute } from '../errors';
import { queryString } from '../input';
import type { Renderer } from '../render';
import { invalidSearch, runSearch, SEARCH_TYPES, type SearchHit } from '../search';
import { handle, originOf, rendererFor, type RouteDeps } from './http';

/** "The Search API returns up to 1,000 results per query, with a maximum of 100 results per page." */
export const SEARCH_RESULTS_LIMIT = 1000;
const SEARCH_PAGE_MAX = 100;
/** search/export: "Returns a maximum of 1000 records per page"; Zendesk recommends (and we default to) 100. */
const EXPORT_PAGE_MAX = 1000;
const EXPORT_PAGE_DEFAULT = 100;
/** "The cursor specified by the `after_cursor` property in a response expires after one hour." */
const EXPORT_CURSOR_TTL_MS = 60 * 60_000;

function renderHit(r: Renderer, hit: SearchHit): Record<string, unknown> {
  return hit.kind === 'user'
    ? { ...r.user(hit.record), result_type: 'user' }
    : { ...r.organization(hit.record), result_type: 'organization' };
}

function requiredQuery(req: Request): string {
  const query = queryString(req, 'query');
  if (query === undefined || query.trim() === '') throw invalidSearch('query is required');
  return query;
}

interface ExportCursor {
  /** created_at and id of the last record returned (the export is ordered by created_at). */
  c: string;
  k: 'user' | 'organization';
  i: number;
  /** When the cursor was issued (epoch ms). */
  t: number;
}

const position = (hit: SearchHit) =>
  `${hit.record.created_at}|${hit.kind === 'user' ? 0 : 1}|${String(hit.record.id).padStart(16, '0')}`;

export function searchRoutes(router: Router, deps: RouteDeps): void {
  const { store } = deps.ctx;
  const search = (req: Request, query: string, filterType?: string) =>
    runSearch(store, deps.index, query, {
      filterType,
      sortBy: queryString(req, 'sort_by'),
      sortOrder: queryString(req, 'sort_order'),
    });

  router.get(
    '/search',
    handle((req, res) => {
      // "Offset pagination only" (OAS, ListSearchResults): a page[...] object is a bad `page` attribute.
      const rawPage = (req.query as Record<string, unknown>).page;
      if (rawPage !== undefined && typeof rawPage !== 'string')
        throw invalidAttribute('page', 'must be an integer', ' from api/v2/search');
      const query = requiredQuery(req);
      const perPage = Math.min(
        SEARCH_PAGE_MAX,
        Math.max(1, Number(queryString(req, 'per_page') ?? 100) || 100),
      );
      const page = Math.max(1, Number(rawPage ?? 1) || 1);
      // "If you request a page past the limit (page=11 at 100 results per page), a 422 ... is returned";
      // the body is {"error":"invalid","description":"Invalid search: Requested response size was greater
      // than Search Response Limits"} (captured in https://github.com/facetoe/zenpy/issues/371).
      if (page * perPage > SEARCH_RESULTS_LIMIT)
        throw invalidSearch('Requested response size was greater than Search Response Limits');
      const hits = search(req, query);
      const start = (page - 1) * perPage;
      const r = rendererFor(deps, req);
      const pageUrl = (n: number) => {
        const url = new URL(req.originalUrl, originOf(req));
        url.searchParams.set('page', String(n));
        url.searchParams.set('per_page', String(perPage));
        return url.toString();
      };
      res.json({
        results: hits.slice(start, start + perPage).map((h) => renderHit(r, h)),
        facets: null,
        // Zendesk still links a page past the 1,000-result limit (which then answers 422):
        // https://github.com/cloudbees-oss/zendesk-java-client/issues/295
        next_page: start + perPage < hits.length ? pageUrl(page + 1) : null,
        previous_page: page > 1 ? pageUrl(page - 1) : null,
        // "The count property shows the actual number of results", even past the first 1,000.
        count: hits.length,
      });
    }),
  );

  router.get(
    '/search/count',
    handle((req, res) => {
      res.json({ count: search(req, requiredQuery(req)).length });
    }),
  );

  router.get(
    '/search/export',
    handle((req, res) => {
      takeEndpointBudget(
        deps.limits.searchExport,
        'TooManyRequests',
        'You have exceeded the rate limit of 100 search export requests per minute.',
      );
      const query = requiredQuery(req);
      const filter = (req.query as Record<string, unknown>).filter;
      const filterType =
        typeof filter === 'object' && filter !== null ? (filter as Record<string, unknown>).type : undefined;
      // "You must specify the type in the filter[type] parameter."
      if (typeof filterType !== 'string' || !(SEARCH_TYPES as readonly string[]).includes(filterType))
        throw invalidSearch(`filter[type] must be one of ${SEARCH_TYPES.join(', ')}`);
      const pageParam = (req.query as Record<string, unknown>).page;
      const page =
        typeof pageParam === 'object' && pageParam !== null ? (pageParam as Record<string, unknown>) : {};
      const size = Math.min(
        EXPORT_PAGE_MAX,
        Math.max(1, Number(page.size ?? EXPORT_PAGE_DEFAULT) || EXPORT_PAGE_DEFAULT),
      );
      let after: ExportCursor | undefined;
      if (typeof page.after === 'string') {
        try {
          after = JSON.parse(Buffer.from(page.after, 'base64url').toString('utf8')) as ExportCursor;
        } catch {
          after = undefined;
        }
        if (!after || typeof after.c !== 'string' || typeof after.i !== 'number')
          throw invalidSearch('page[after] is not a cursor this export returned');
        if (store.now() - after.t > EXPORT_CURSOR_TTL_MS) throw invalidSearch('the cursor has expired');
      }
      // "The result set is ordered only by the created_at attribute."
      const ordered = search(req, query, filterType).sort((a, b) => position(a).localeCompare(position(b)));
      const from = after
        ? `${after.c}|${after.k === 'user' ? 0 : 1}|${String(after.i).padStart(16, '0')}`
        : undefined;
      const rest = from === undefined ? ordered : ordered.filter((h) => position(h) > from);
      const slice = rest.slice(0, size);
      const hasMore = rest.length > size;
      const last = slice.at(-1);
      const cursor = last
        ? Buffer.from(
            JSON.stringify({ c: last.record.created_at, k: last.kind, i: last.record.id, t: store.now() }),
          ).toString('base64url')
        : null;
      const next = new URL(req.originalUrl, originOf(req));
      next.searchParams.set('page[size]', String(size));
      if (cursor) next.searchParams.set('page[after]', cursor);
      const r = rendererFor(deps, req);
      res.json({
        results: slice.map((h) => renderHit(r, h)),
        facets: null,
        meta: { has_more: hasMore, after_cursor: hasMore ? cursor : null, before_cursor: null },
        // "The prev property is always null because backward pagination is not supported."
        links: { next: hasMore ? next.toString() : null, prev: null },
      });
    }),
  );
}
