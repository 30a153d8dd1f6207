/**
 * The org's daily event delivery allocation for CometD subscribers (REST limits `DailyDeliveredPlatformEvents`).
 *
 * Salesforce counts every change event delivered to every subscribed client ("20,000 event messages delivered
 * to two subscribed clients" consume 40,000) over a rolling 24 hours, shared by high-volume platform events
 * and Change Data Capture. Without an add-on license the default allocation cannot be exceeded: past it the
 * subscriber gets `403::Organization total events daily limit exceeded` on /meta/connect and no more events;
 * the events stay in the event bus and can be replayed within the retention window.
 * Default allocations: Performance/Unlimited 50,000, Enterprise 25,000, Developer 10,000.
 * https://developer.salesforce.com/docs/atlas.en-us.change_data_capture.meta/change_data_capture/cdc_allocations.htm
 * https://developer.salesforce.com/docs/platform/api-streaming/guide/limits.html (the error and where it appears)
 * https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/resources_limits.htm
 */

/** Enterprise Edition's default, the edition the sandbox org models (DailyApiRequests 100,000). */
export const DEFAULT_DAILY_DELIVERY_ALLOCATION = 25_000;
export const DAILY_LIMIT_EXCEEDED = '403::Organization total events daily limit exceeded';

const WINDOW_MS = 24 * 60 * 60 * 1000;
const BUCKET_MS = 60 * 1000;

export class DeliveryAllocation {
  /** Deliveries per minute, for the rolling 24-hour window. */
  private readonly buckets = new Map<number, number>();
  private total = 0;

  constructor(
    private max: number = DEFAULT_DAILY_DELIVERY_ALLOCATION,
    private readonly now: () => number = Date.now,
  ) {}

  get dailyMax(): number {
    return this.max;
  }

  /** Sets the allocation (an add-on license or a test's small number); usage so far still counts. */
  setDailyMax(max: number): void {
    this.max = max;
  }

  /** Deliveries in the last 24 hours. */
  used(): number {
    const oldest = Math.floor((this.now() - WINDOW_MS) / BUCKET_MS);
    let n = 0;
    for (const [bucket, count] of this.buckets) {
      if (bucket <= oldest) this.buckets.delete(bucket);
      else n += count;
    }
    return n;
  }

  /** Deliveries since start or the last reset (the monthly usage the limits resource reports). */
  delivered(): number {
    return this.total;
  }

  remaining(): number {
    return Math.max(0, this.max - this.used());
  }

  exhausted(): boolean {
    return this.remaining() === 0;
  }

  /** Claims up to `wanted` deliveries; returns how many may go out now (and counts them). */
  take(wanted: number): number {
    const granted = Math.min(wanted, this.remaining());
    if (granted > 0) {
      const bucket = Math.floor(this.now() / BUCKET_MS);
      this.buckets.set(bucket, (this.buckets.get(bucket) ?? 0) + granted);
      this.total += granted;
    }
    return granted;
  }

  reset(): void {
    this.buckets.clear();
    this.total = 0;
  }
}
