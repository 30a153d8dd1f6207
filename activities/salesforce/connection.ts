/**
 * Logs in to Salesforce with jsforce, by the OAuth client-credentials flow or, when a username is
 * configured, the OAuth username-password flow. Tokens from client credentials carry no refresh token,
 * so a refreshFn runs the grant again when Salesforce answers 401 INVALID_SESSION_ID.
 */
import { Connection } from 'jsforce';
import type { SalesforceCredentials } from '../../common/env';
import { countApiCall, salesforceEndpoint } from '../metrics';

/** Sent as `Sforce-Call-Options: client=…`; CDC reports it in changeOrigin, so the listener can ignore our own writes. */
export const SALESFORCE_CLIENT_NAME = 'salesforce-zendesk-sync';

export async function connectSalesforce(creds: SalesforceCredentials): Promise<Connection> {
  const conn = new Connection({
    oauth2: { clientId: creds.clientId, clientSecret: creds.clientSecret, loginUrl: creds.loginUrl },
    loginUrl: creds.loginUrl,
    version: creds.apiVersion,
    callOptions: { client: SALESFORCE_CLIENT_NAME },
    refreshFn: creds.username
      ? undefined
      : (c, callback) => {
          c.oauth2
            .requestToken({ grant_type: 'client_credentials' })
            .then((res) => {
              callback(null, res.access_token, res);
            })
            .catch((err: Error) => {
              // jsforce re-wraps this error keeping only its message: put the OAuth error code
              // (invalid_client, …) in front so errors.ts can still classify the refused refresh.
              callback(new Error(`${err.name}: ${err.message}`));
            });
        },
  });
  countRequests(conn);
  if (creds.username && creds.password) await conn.login(creds.username, creds.password);
  else await conn.authorize({ grant_type: 'client_credentials' });
  return conn;
}

/**
 * Counts every call of the connection, REST and OAuth, in `sfzd_api_calls_total{system="salesforce"}`. jsforce emits
 * request/response events only on a per-call HttpApi object, so the connection's one transport is
 * wrapped instead; the call itself is passed through unchanged.
 */
function countRequests(conn: Connection): void {
  countTransport(conn._transport);
  // Logins and token refreshes (POST oauth2/token) go through the OAuth2 client's own transport.
  if (conn.oauth2._transport !== conn._transport) countTransport(conn.oauth2._transport);
}

function countTransport(transport: Connection['_transport']): void {
  const httpRequest = transport.httpRequest.bind(transport);
  transport.httpRequest = (req, options) => {
    const pending = httpRequest(req, options);
    const endpoint = salesforceEndpoint(req.method, req.url);
    pending.then(
      (res) => countApiCall('salesforce', endpoint, res.statusCode),
      () => countApiCall('salesforce', endpoint, 'error'),
    );
    return pending;
  };
}
