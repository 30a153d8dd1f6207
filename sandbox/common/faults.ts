/**
 * Fault injection shared by both sandboxes: added latency, a random error rate, and probabilistic rules
 * (e.g. 30% 429 with Retry-After plus 5% 503) for chaos runs.
 */

/** One probabilistic fault: `rate` of API requests are answered with `status` instead of being served. */
export interface FaultRule {
  /** 0..1; the rules' rates add up (at most 1 in total), each request draws once. */
  rate: number;
  status: number;
  /** Sent as `Retry-After` (seconds) with the fault, as Zendesk does with its 429s. */
  retryAfterSeconds?: number;
}

export interface FaultSettings {
  /** Milliseconds added before every API response (a realistic cloud API is ~80 ms). */
  latencyMs: number;
  /** 0..1: the share of API requests answered with `errorStatus` instead of being served. */
  errorRate: number;
  errorStatus: number;
  /** Further probabilistic faults, drawn after `errorRate` (see `pick`). */
  rules: FaultRule[];
}

/** The fault to send for one request. */
export interface InjectedFault {
  status: number;
  retryAfterSeconds?: number;
}

export const NO_FAULTS: Readonly<FaultSettings> = Object.freeze({
  latencyMs: 0,
  errorRate: 0,
  errorStatus: 503,
  rules: [],
});

export class FaultSettingsError extends Error {
  override readonly name = 'FaultSettingsError';
  readonly code = 'INVALID_FAULT_SETTINGS';
}

const isErrorStatus = (s: unknown) => Number.isInteger(s) && (s as number) >= 400 && (s as number) <= 599;

function checkRules(rules: unknown): FaultRule[] {
  if (!Array.isArray(rules)) throw new FaultSettingsError('rules must be an array of {rate, status}');
  let total = 0;
  const checked = rules.map((raw: unknown, i): FaultRule => {
    const r = (raw ?? {}) as Record<string, unknown>;
    if (typeof r.rate !== 'number' || !Number.isFinite(r.rate) || r.rate < 0 || r.rate > 1)
      throw new FaultSettingsError(`rules[${i}].rate must be a number from 0 to 1`);
    if (!isErrorStatus(r.status))
      throw new FaultSettingsError(`rules[${i}].status must be an HTTP error status from 400 to 599`);
    if (
      r.retryAfterSeconds !== undefined &&
      (!Number.isInteger(r.retryAfterSeconds) || (r.retryAfterSeconds as number) < 0)
    )
      throw new FaultSettingsError(`rules[${i}].retryAfterSeconds must be a whole number >= 0`);
    total += r.rate;
    return {
      rate: r.rate,
      status: r.status as number,
      ...(r.retryAfterSeconds !== undefined ? { retryAfterSeconds: r.retryAfterSeconds as number } : {}),
    };
  });
  if (total > 1 + 1e-9) throw new FaultSettingsError('the rules’ rates must add up to at most 1');
  return checked;
}

export class Faults {
  private current: FaultSettings = { ...NO_FAULTS, rules: [] };

  get settings(): FaultSettings {
    return { ...this.current, rules: this.current.rules.map((r) => ({ ...r })) };
  }

  update(partial: Partial<FaultSettings>): FaultSettings {
    const next = { ...this.current, ...partial };
    if (!Number.isFinite(next.latencyMs) || next.latencyMs < 0)
      throw new FaultSettingsError('latencyMs must be a number >= 0');
    if (!Number.isFinite(next.errorRate) || next.errorRate < 0 || next.errorRate > 1)
      throw new FaultSettingsError('errorRate must be a number from 0 to 1');
    if (!isErrorStatus(next.errorStatus))
      throw new FaultSettingsError('errorStatus must be an HTTP error status from 400 to 599');
    next.rules = checkRules(next.rules);
    this.current = next;
    return this.settings;
  }

  /**
   * The fault for one request, or undefined to serve it: `errorRate` first, then one draw over the
   * rules laid end to end (rates 0.3 and 0.05 give 30% the first, 5% the second, 65% served).
   */
  pick(random: () => number): InjectedFault | undefined {
    const { errorRate, errorStatus, rules } = this.current;
    if (errorRate > 0 && random() < errorRate) return { status: errorStatus };
    if (rules.length === 0) return undefined;
    const draw = random();
    let upTo = 0;
    for (const rule of rules) {
      upTo += rule.rate;
      if (draw < upTo)
        return {
          status: rule.status,
          ...(rule.retryAfterSeconds !== undefined ? { retryAfterSeconds: rule.retryAfterSeconds } : {}),
        };
    }
    return undefined;
  }

  reset(): void {
    this.current = { ...NO_FAULTS, rules: [] };
  }
}
