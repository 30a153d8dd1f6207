/**
 * The worker's start-up check logs in to Salesforce and reads Zendesk's field definitions. When either
 * refuses the credentials or cannot be reached, the process stops with one line that names the
 * variables to fix, never their values (Salesforce's and Zendesk's own error texts do not echo them).
 */
import { toSalesforceApiError } from '../activities/salesforce/errors';
import { ZendeskApiError } from '../activities/zendesk/errors';
import type { SalesforceCredentials, ZendeskCredentials } from '../common/env';

export class CredentialsRejectedError extends Error {
  override readonly name = 'CredentialsRejectedError';
  readonly code = 'CREDENTIALS_REJECTED';
}

export class ServiceUnreachableError extends Error {
  override readonly name = 'ServiceUnreachableError';
  readonly code = 'SERVICE_UNREACHABLE';
}

/** scheme://host[:port] only: a URL's user-info or query never reaches a message. */
function origin(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return '(invalid URL)';
  }
}

function firstLine(message: string): string {
  return message.split('\n')[0] ?? '';
}

/** A clearer error for a failed start-up check, or `err` itself when it is about something else. */
export function explainStartupFailure(
  err: unknown,
  creds: { salesforce: SalesforceCredentials; zendesk: ZendeskCredentials },
): unknown {
  if (err instanceof ZendeskApiError) {
    const zd = creds.zendesk;
    if (err.code === 'ZENDESK_AUTH_FAILED') {
      const vars = zd.auth.kind === 'oauth' ? 'ZENDESK_OAUTH_TOKEN' : 'ZENDESK_EMAIL and ZENDESK_API_TOKEN';
      return new CredentialsRejectedError(
        `Zendesk at ${origin(zd.baseUrl)} refused the credentials (${err.status ?? ''} ${err.zendeskError ?? ''}`.trimEnd() +
          `): check ${vars}; an API token needs token access enabled in Admin Center`,
      );
    }
    if (err.code === 'ZENDESK_UNAVAILABLE' && err.status === undefined)
      return new ServiceUnreachableError(
        `ZENDESK_URL: cannot reach Zendesk at ${origin(zd.baseUrl)} (${firstLine(err.message)})`,
      );
    return err;
  }
  if (!(err instanceof Error) || 'issues' in err) return err; // EnvError, ConfigError: already clear
  const sf = toSalesforceApiError(err, 'Salesforce login');
  const sfUrl = origin(creds.salesforce.loginUrl);
  if (sf.code === 'SALESFORCE_AUTH_FAILED') {
    const vars = creds.salesforce.username
      ? 'SALESFORCE_CLIENT_ID, SALESFORCE_CLIENT_SECRET, SALESFORCE_USERNAME and SALESFORCE_PASSWORD'
      : 'SALESFORCE_CLIENT_ID and SALESFORCE_CLIENT_SECRET (the client-credentials flow also needs the My Domain URL as SALESFORCE_LOGIN_URL)';
    return new CredentialsRejectedError(
      `Salesforce at ${sfUrl} refused the login (${sf.salesforceErrorCode ?? 'error'}: ${firstLine(err.message)}): check ${vars}`,
    );
  }
  const network = (err as NodeJS.ErrnoException).code;
  if (
    err.name === 'FetchError' ||
    (network && /^(ECONNREFUSED|ENOTFOUND|EAI_AGAIN|ETIMEDOUT|EHOSTUNREACH|ENETUNREACH)$/.test(network))
  )
    return new ServiceUnreachableError(
      `SALESFORCE_LOGIN_URL: cannot reach Salesforce at ${sfUrl} (${network ?? firstLine(err.message)})`,
    );
  return err;
}
