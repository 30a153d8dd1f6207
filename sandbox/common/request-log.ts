/**
 * Every API request a sandbox answers, so tests and benchmarks can count calls per endpoint
 * (API cost per synced record) and prove that a client waited out a Retry-After.
 */
export interface LoggedRequest {
  at: number;
  method: string;
  /** `METHOD /route/:template`, so counts group by endpoint rather than by record. */
  route: string;
  path: string;
  status: number;
  /** The request arrived while a Retry-After the sandbox had sent was still running. */
  duringRetryAfter: boolean;
}

export interface RequestLogSummary {
  total: number;
  byEndpoint: Record<string, number>;
  byStatus: Record<string, number>;
  duringRetryAfter: number;
}

export class RequestLog {
  private readonly items: LoggedRequest[] = [];

  /** Keeps the newest `capacity` entries (counts in a long benchmark stay exact; see `summary`). */
  constructor(private readonly capacity = 200_000) {}

  private counts: RequestLogSummary = { total: 0, byEndpoint: {}, byStatus: {}, duringRetryAfter: 0 };

  record(entry: LoggedRequest): void {
    this.items.push(entry);
    if (this.items.length > this.capacity) this.items.splice(0, this.items.length - this.capacity);
    const c = this.counts;
    c.total += 1;
    c.byEndpoint[entry.route] = (c.byEndpoint[entry.route] ?? 0) + 1;
    c.byStatus[String(entry.status)] = (c.byStatus[String(entry.status)] ?? 0) + 1;
    if (entry.duringRetryAfter) c.duringRetryAfter += 1;
  }

  entries(): LoggedRequest[] {
    return [...this.items];
  }

  summary(): RequestLogSummary {
    const c = this.counts;
    return {
      total: c.total,
      byEndpoint: { ...c.byEndpoint },
      byStatus: { ...c.byStatus },
      duringRetryAfter: c.duringRetryAfter,
    };
  }

  reset(): void {
    this.items.length = 0;
    this.counts = { total: 0, byEndpoint: {}, byStatus: {}, duringRetryAfter: 0 };
  }
}
