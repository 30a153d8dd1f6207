/** Fault injection shared by both sandboxes: added latency and a random error rate. */
export interface FaultSettings {
  /** Milliseconds added before every API response (a realistic cloud API is ~80 ms). */
  latencyMs: number;
  /** 0..1: the share of API requests answered with `errorStatus` instead of being served. */
  errorRate: number;
  errorStatus: number;
}

export const NO_FAULTS: Readonly<FaultSettings> = Object.freeze({
  latencyMs: 0,
  errorRate: 0,
  errorStatus: 503,
});

export class FaultSettingsError extends Error {
  override readonly name = 'FaultSettingsError';
  readonly code = 'INVALID_FAULT_SETTINGS';
}

export class Faults {
  private current: FaultSettings = { ...NO_FAULTS };

  get settings(): FaultSettings {
    return { ...this.current };
  }

  update(partial: Partial<FaultSettings>): FaultSettings {
    const next = { ...this.current, ...partial };
    if (!Number.isFinite(next.latencyMs) || next.latencyMs < 0)
      throw new FaultSettingsError('latencyMs must be a number >= 0');
    if (!Number.isFinite(next.errorRate) || next.errorRate < 0 || next.errorRate > 1)
      throw new FaultSettingsError('errorRate must be a number from 0 to 1');
    if (!Number.isInteger(next.errorStatus) || next.errorStatus < 400 || next.errorStatus > 599)
      throw new FaultSettingsError('errorStatus must be an HTTP error status from 400 to 599');
    this.current = next;
    return this.settings;
  }

  reset(): void {
    this.current = { ...NO_FAULTS };
  }
}
