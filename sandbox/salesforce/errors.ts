/** Errors rendered in Salesforce's REST shape: `[{ message, errorCode, fields }]` with the matching status. */
import { soqlMessages } from '../../core/soql';

export class SalesforceApiError extends Error {
  override readonly name = 'SalesforceApiError';
  constructor(
    readonly status: number,
    readonly errorCode: string,
    message: string,
    readonly fields: string[] = [],
  ) {
    super(message);
  }

  /** The body Salesforce sends for a failed REST call. */
  toBody(): { message: string; errorCode: string; fields?: string[] }[] {
    return [
      {
        message: this.message,
        errorCode: this.errorCode,
        ...(this.fields.length ? { fields: this.fields } : {}),
      },
    ];
  }

  /** The entry inside a composite SaveResult, where Salesforce names the code `statusCode`. */
  toSaveError(): { statusCode: string; message: string; fields: string[] } {
    return { statusCode: this.errorCode, message: this.message, fields: this.fields };
  }
}

export const notFound = (): SalesforceApiError =>
  new SalesforceApiError(404, 'NOT_FOUND', 'The requested resource does not exist');

export const entityIsDeleted = (): SalesforceApiError =>
  new SalesforceApiError(404, 'ENTITY_IS_DELETED', 'entity is deleted');

/** An object name the org does not have (400 INVALID_TYPE, Salesforce's wording). */
export const unsupportedSObject = (name: string): SalesforceApiError =>
  new SalesforceApiError(400, 'INVALID_TYPE', soqlMessages.unsupportedObject(name));
