/**
 * Zendesk's classic error envelope: `{ error, description, details? }`. Handlers throw ZendeskApiError and
 * the routes render it, so validation code never touches `res`.
 */

export interface ErrorDetail {
  description: string;
  error: string;
}

/** Usually `field -> [detail]`; the phone InvalidFormat detail is a bare object in captured Zendesk output. */
export type ErrorDetails = Record<string, ErrorDetail[] | ErrorDetail>;

export class ZendeskApiError extends Error {
  override readonly name = 'ZendeskApiError';

  constructor(
    readonly status: number,
    readonly code: string,
    readonly description: string,
    readonly details?: ErrorDetails,
  ) {
    super(`${status} ${code}: ${description}`);
  }

  toBody(): Record<string, unknown> {
    return this.details === undefined
      ? { error: this.code, description: this.description }
      : { error: this.code, description: this.description, details: this.details };
  }
}

export const notFound = () => new ZendeskApiError(404, 'RecordNotFound', 'Not found');

export const badRequest = (description: string) => new ZendeskApiError(400, 'InvalidParameter', description);

/** 422 RecordInvalid: the shape Zendesk uses for every model validation failure. */
export const recordInvalid = (details: ErrorDetails) =>
  new ZendeskApiError(422, 'RecordInvalid', 'Record validation errors', details);

export const fieldError = (field: string, error: string, description: string) =>
  recordInvalid({ [field]: [{ description, error }] });

/** Collects several field problems so one 422 can report all of them, as Zendesk does. */
export class DetailCollector {
  private readonly details: ErrorDetails = {};

  add(field: string, error: string, description: string): void {
    const existing = this.details[field];
    const detail = { description, error };
    if (Array.isArray(existing)) existing.push(detail);
    else this.details[field] = [detail];
  }

  set(field: string, detail: ErrorDetail): void {
    this.details[field] = detail;
  }

  throwIfAny(): void {
    if (Object.keys(this.details).length > 0) throw recordInvalid(this.details);
  }
}
