/**
 * Server-side query cursors: the rest of a result set beyond the first batch, fetched page by page through
 * `nextRecordsUrl` (`/services/data/vXX.X/query/<cursorId>-<offset>`), as Salesforce pages its queries.
 */
import { SalesforceApiError } from './errors';
import { makeId } from './ids';

interface Cursor {
  records: unknown[];
  totalSize: number;
  batchSize: number;
  lastUsed: number;
}

export interface QueryPage {
  totalSize: number;
  done: boolean;
  nextRecordsUrl?: string;
  records: unknown[];
}

export const DEFAULT_BATCH_SIZE = 2000;
const MIN_BATCH_SIZE = 200;
const MAX_BATCH_SIZE = 2000;
/** Salesforce drops cursors idle for 15 minutes. */
const CURSOR_IDLE_MS = 15 * 60_000;
/** Open cursors kept per org; the oldest is dropped beyond this. */
const MAX_CURSORS = 50;

const invalidLocator = () => new SalesforceApiError(400, 'INVALID_QUERY_LOCATOR', 'invalid query locator');

/** `Sforce-Query-Options: batchSize=N` (200..2000; values outside are clamped, as Salesforce treats them as hints). */
export function batchSizeFrom(header: string | undefined): number {
  const m = /batchSize\s*=\s*(\d+)/i.exec(header ?? '');
  if (!m) return DEFAULT_BATCH_SIZE;
  return Math.min(MAX_BATCH_SIZE, Math.max(MIN_BATCH_SIZE, Number(m[1])));
}

export class QueryCursors {
  private readonly cursors = new Map<string, Cursor>();
  private counter = 0;

  constructor(private readonly now: () => number = Date.now) {}

  /** The first page of a result; opens a cursor when more remain. */
  first(records: unknown[], totalSize: number, batchSize: number, versionBase: string): QueryPage {
    if (records.length <= batchSize) return { totalSize, done: true, records };
    this.counter += 1;
    const id = makeId('01g', this.counter);
    this.cursors.set(id, { records, totalSize, batchSize, lastUsed: this.now() });
    this.evict();
    return this.page(id, 0, versionBase);
  }

  /** A later page, from a locator such as `01g8d0000000001AAA-2000`. */
  next(locator: string, versionBase: string): QueryPage {
    const m = /^([a-zA-Z0-9]{15,18})-(\d+)$/.exec(locator);
    if (!m) throw invalidLocator();
    const cursor = this.cursors.get(m[1]!);
    const offset = Number(m[2]);
    if (!cursor || offset >= cursor.records.length || this.now() - cursor.lastUsed > CURSOR_IDLE_MS)
      throw invalidLocator();
    cursor.lastUsed = this.now();
    return this.page(m[1]!, offset, versionBase);
  }

  /** Pages stay fetchable until the cursor idles out, so a client may retry a page after a network error. */
  private page(id: string, start: number, versionBase: string): QueryPage {
    const cursor = this.cursors.get(id)!;
    const end = Math.min(cursor.records.length, start + cursor.batchSize);
    const done = end >= cursor.records.length;
    return {
      totalSize: cursor.totalSize,
      done,
      ...(done ? {} : { nextRecordsUrl: `${versionBase}/query/${id}-${end}` }),
      records: cursor.records.slice(start, end),
    };
  }

  private evict(): void {
    const idleBefore = this.now() - CURSOR_IDLE_MS;
    for (const [id, c] of this.cursors) if (c.lastUsed < idleBefore) this.cursors.delete(id);
    while (this.cursors.size > MAX_CURSORS) {
      const oldest = this.cursors.keys().next().value;
      if (oldest === undefined) break;
      this.cursors.delete(oldest);
    }
  }

  clear(): void {
    this.cursors.clear();
  }
}
