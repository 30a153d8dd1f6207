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

/**
 * The body shapes Zendesk uses (zendesk.md section 2.8): `classic` `{error, description, details?}`;
 * `titled` `{error: {title, message}}` (400 Invalid attribute, 403 Forbidden); `errors`
 * `{errors: [{code, title}]}`, the newer shape the OAS documents for some operations (e.g. the 400 of
 * AutocompleteOrganizations).
 */
export type ErrorShape = 'classic' | 'titled' | 'errors';

export class ZendeskApiError extends Error {
  override readonly name = 'ZendeskApiError';

  constructor(
    readonly status: number,
    readonly code: string,
    readonly description: string,
    readonly details?: ErrorDetails,
    readonly shape: ErrorShape = 'classic',
  ) {
    super(`${status} ${code}: ${description}`);
  }

  toBody(): Record<string, unknown> {
    if (this.shape === 'titled') return { error: { title: this.code, message: this.description } };
    if (this.shape === 'errors') return { errors: [{ code: this.code, title: this.description }] };
    return this.details === undefined
      ? { error: this.code, description: this.description }
      : { error: this.code, description: this.description, details: this.details };
  }
}

export const notFound = () => new ZendeskApiError(404, 'RecordNotFound', 'Not found');

export const badRequest = (description: string) => new ZendeskApiError(400, 'InvalidParameter', description);

/**
 * A path or query parameter of the wrong type, e.g. a non-numeric id: 400
 * `{"error":{"title":"Invalid attribute","message":"You passed an invalid value for the id attribute. Invalid parameter: id must be an integer"}}`
 * (captured in https://github.com/zendesk/zendesk_api_client_rb/issues/349 and, for `page`, in
 * https://support.zendesk.com/hc/en-us/community/posts/4467682277402).
 */
export const invalidAttribute = (attribute: string, rule: string, where = '') =>
  new ZendeskApiError(
    400,
    'Invalid attribute',
    `You passed an invalid value for the ${attribute} attribute. Invalid parameter: ${attribute} ${rule}${where}`,
    undefined,
    'titled',
  );

/**
 * 403 for a feature the account has not enabled (bulk user import):
 * `{"error":{"title":"Forbidden","message":"You do not have access to this page. Please contact the account owner of this help desk for further help."}}`
 * (the body singer-io/tap-zendesk's tests capture, https://github.com/singer-io/tap-zendesk).
 */
export const forbidden = () =>
  new ZendeskApiError(
    403,
    'Forbidden',
    'You do not have access to this page. Please contact the account owner of this help desk for further help.',
    undefined,
    'titled',
  );

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
