/**
 * Incremental exports of users and organizations
 * (https://developer.zendesk.com/api-reference/ticketing/ticket-management/incremental_exports/ and
 * https://developer.zendesk.com/documentation/ticketing/managing-tickets/using-the-incremental-export-api):
 * - time-based: `incremental/users.json` and `incremental/organizations.json` (`start_time`, `count`,
 *   `end_time`, `next_page`, `end_of_stream`; the next page starts at the last item's second, so items of
 *   that second come again: time-based exports may return duplicates);
 * - cursor-based: `incremental/users/cursor.json` (`start_time` first, then `cursor`; `after_cursor`,
 *   `after_url`, `end_of_stream`). Organizations have no cursor export: "The Incremental Ticket Export and
 *   Incremental User Export endpoints support two export methods ... The other endpoints only support
 *   time-based exports";
 * - sample: `incremental/{users|organizations}/sample.json`, at most 50 items, 10 requests per 20 minutes.
 * Items are ordered by `updated_at` (then id). "Any items that were created or changed within the minute
 * prior to your request are excluded", and `start_time` "Must be at least one minute in the past" (OAS
 * IncrementalUnixTime); a later one is 422 `{"error":"InvalidValue","description":"Too recent start_time.
 * ..."}` (the body clients match on, e.g. treasure-data/embulk-input-zendesk). 10 requests per minute.
 */
import type { Request, Router } from 'express';
import { takeEndpointBudget } from '../endpoint-limits';
import { ZendeskApiError } from '../errors';
import { queryString } from '../input';
import type { OrganizationRecord, UserRecord } from '../types';
import { handle, originOf, rendererFor, type RouteDeps } from './http';

const PAGE_MAX = 1000;
const SAMPLE_MAX = 50;
const EXCLUDED_RECENT_MS = 60_000;

const invalidValue = (description: string) => new ZendeskApiError(422, 'InvalidValue', description);
const epoch = (iso: string) => Math.floor(Date.parse(iso) / 1000);

type Exported = UserRecord | OrganizationRecord;

interface Position {
  /** updated_at (epoch seconds) and id of the last item returned. */
  t: number;
  i: number;
}

function perPage(req: Request, max: number): number {
  return Math.min(max, Math.max(1, Number(queryString(req, 'per_page') ?? max) || max));
}

export function incrementalRoutes(router: Router, deps: RouteDeps): void {
  const { store } = deps.ctx;
  const records = (kind: 'users' | 'organizations'): Exported[] =>
    kind === 'users' ? [...store.users.values()] : [...store.organizations.values()];
  /** Items changed after `from` (exclusive) and before the last minute, oldest change first. */
  const changedSince = (kind: 'users' | 'organizations', from: Position): Exported[] => {
    const cutoff = Math.floor((store.now() - EXCLUDED_RECENT_MS) / 1000);
    return records(kind)
      .filter((r) => {
        const t = epoch(r.updated_at);
        return t <= cutoff && (t > from.t || (t === from.t && r.id > from.i));
      })
      .sort((a, b) => epoch(a.updated_at) - epoch(b.updated_at) || a.id - b.id);
  };
  const startTime = (req: Request): number => {
    const raw = queryString(req, 'start_time');
    if (raw === undefined || !/^\d+$/.test(raw))
      throw invalidValue('start_time is required and must be a Unix epoch time in seconds');
    const value = Number(raw);
    if (value * 1000 > store.now() - EXCLUDED_RECENT_MS)
      throw invalidValue('Too recent start_time. Use a start_time older than 1 minute');
    return value;
  };
  const budget = () =>
    takeEndpointBudget(
      deps.limits.incremental,
      'APIRateLimitExceeded',
      'Number of allowed incremental export API requests per minute exceeded',
    );
  const render = (req: Request, kind: 'users' | 'organizations', items: Exported[]) => {
    const r = rendererFor(deps, req);
    return items.map((item) =>
      kind === 'users' ? r.user(item as UserRecord) : r.organization(item as OrganizationRecord),
    );
  };

  /** Time-based: one page from `start_time` (inclusive). */
  const timeBased = (req: Request, kind: 'users' | 'organizations', max: number) => {
    const start = startTime(req);
    const size = perPage(req, max);
    const all = changedSince(kind, { t: start, i: -1 });
    const items = all.slice(0, size);
    const last = items.at(-1);
    const endTime = last ? epoch(last.updated_at) : start;
    const next = new URL(req.originalUrl, originOf(req));
    next.searchParams.set('start_time', String(endTime));
    return {
      [kind]: render(req, kind, items),
      count: items.length,
      end_of_stream: all.length <= size,
      end_time: endTime,
      next_page: next.toString(),
    };
  };

  for (const kind of ['users', 'organizations'] as const) {
    router.get(
      `/incremental/${kind}/sample`,
      handle((req, res) => {
        takeEndpointBudget(
          deps.limits.incrementalSample,
          'APIRateLimitExceeded',
          'Number of allowed incremental export sample API requests exceeded (10 per 20 minutes)',
        );
        res.json(timeBased(req, kind, SAMPLE_MAX));
      }),
    );
    router.get(
      `/incremental/${kind}`,
      handle((req, res) => {
        budget();
        res.json(timeBased(req, kind, PAGE_MAX));
      }),
    );
  }

  router.get(
    '/incremental/users/cursor',
    handle((req, res) => {
      budget();
      const rawCursor = queryString(req, 'cursor');
      let from: Position;
      if (rawCursor !== undefined) {
        let decoded: unknown;
        try {
          decoded = JSON.parse(Buffer.from(rawCursor, 'base64url').toString('utf8'));
        } catch {
          decoded = undefined;
        }
        const pos = decoded as Partial<Position> | undefined;
        if (typeof pos?.t !== 'number' || typeof pos.i !== 'number')
          throw invalidValue('cursor is not a cursor this export returned');
        from = { t: pos.t, i: pos.i };
      } else from = { t: startTime(req), i: -1 };
      const size = perPage(req, PAGE_MAX);
      const all = changedSince('users', from);
      const items = all.slice(0, size);
      const last = items.at(-1);
      // Past the last item returned; with nothing new, the same position, to poll again later.
      const position: Position = last ? { t: epoch(last.updated_at), i: last.id } : from;
      const cursor = Buffer.from(JSON.stringify(position)).toString('base64url');
      const after = new URL('/api/v2/incremental/users/cursor.json', originOf(req));
      after.searchParams.set('cursor', cursor);
      if (queryString(req, 'per_page') !== undefined) after.searchParams.set('per_page', String(size));
      res.json({
        users: render(req, 'users', items),
        after_url: after.toString(),
        after_cursor: cursor,
        before_url: null,
        before_cursor: null,
        end_of_stream: all.length <= size,
      });
    }),
  );
}
