/** The baseline's clients, built the way a user's script would build them (got defaults otherwise). */
import got, { type Got } from 'got';
import { Connection } from 'jsforce';

/** got against a Zendesk account's API with an API token (the sandbox accepts admin@sandbox.test/sandbox). */
export function baselineZendesk(baseUrl: string, email = 'admin@sandbox.test', apiToken = 'sandbox'): Got {
  return got.extend({
    prefixUrl: `${baseUrl}/api/v2/`,
    username: `${email}/token`,
    password: apiToken,
    responseType: 'json',
  });
}

/** jsforce logged in with the client-credentials flow of a connected app. */
export async function baselineSalesforce(
  loginUrl: string,
  clientId = 'sandbox',
  clientSecret = 'sandbox',
): Promise<Connection> {
  const conn = new Connection({ oauth2: { clientId, clientSecret, loginUrl }, loginUrl, version: '62.0' });
  await conn.authorize({ grant_type: 'client_credentials' });
  return conn;
}
