/**
 * The OAuth 2.0 token endpoint (`/services/oauth2/token`) for the client-credentials and
 * username-password flows, with Salesforce's error bodies, plus token revocation.
 */
import { createHmac } from 'node:crypto';
import type { Express, Request, Response } from 'express';
import type { SalesforceContext } from './context';
import { bearerToken } from './tokens';

const oauthError = (res: Response, error: string, description: string, status = 400) =>
  res.status(status).json({ error, error_description: description });

const param = (req: Request, name: string): string | undefined => {
  const body = (req.body ?? {}) as Record<string, unknown>;
  const v = body[name] ?? (req.query as Record<string, unknown>)[name];
  return typeof v === 'string' ? v : undefined;
};

/** Form-url-decoding (`+` is a space), as RFC 6749 Appendix B asks of each Basic credential. */
const formDecode = (text: string): string | undefined => {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    return undefined;
  }
};

/**
 * The client's credentials: from an HTTP Basic `Authorization` header when one is sent (RFC 6749 §2.3.1,
 * https://www.rfc-editor.org/rfc/rfc6749#section-2.3.1: id and secret each form-url-encoded, joined by `:`,
 * Base64-encoded; simple-salesforce and generic OAuth clients send it this way and Salesforce accepts it),
 * otherwise `client_id` / `client_secret` from the body. A header that is not valid Basic yields no id.
 */
export function clientCredentials(req: Request): { id: string | undefined; secret: string | undefined } {
  const header = req.get('authorization');
  const basic = header === undefined ? undefined : /^Basic\s+([A-Za-z0-9+/=_-]+)\s*$/i.exec(header);
  if (basic) {
    const decoded = Buffer.from(basic[1]!, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 0) return { id: undefined, secret: undefined };
    return { id: formDecode(decoded.slice(0, colon)), secret: formDecode(decoded.slice(colon + 1)) };
  }
  return { id: param(req, 'client_id'), secret: param(req, 'client_secret') };
}

export function registerOAuthRoutes(app: Express, ctx: SalesforceContext): void {
  app.post('/services/oauth2/token', (req, res) => {
    const { org } = ctx;
    const grantType = param(req, 'grant_type');
    if (grantType !== 'client_credentials' && grantType !== 'password' && grantType !== 'refresh_token') {
      oauthError(res, 'unsupported_grant_type', 'grant type not supported');
      return;
    }
    const client = clientCredentials(req);
    if (client.id !== org.clientId) {
      oauthError(res, 'invalid_client_id', 'client identifier invalid');
      return;
    }
    const { secret } = client;
    // The refresh-token grant may omit the secret; the others must carry the right one.
    if ((grantType !== 'refresh_token' || secret !== undefined) && secret !== org.clientSecret) {
      oauthError(res, 'invalid_client', 'invalid client credentials');
      return;
    }
    if (
      grantType === 'password' &&
      (param(req, 'username') !== org.username || param(req, 'password') !== org.password)
    ) {
      oauthError(res, 'invalid_grant', 'authentication failure');
      return;
    }
    if (grantType === 'refresh_token') {
      // Neither flow the sandbox serves issues refresh tokens, so every one presented is unknown.
      oauthError(res, 'invalid_grant', 'expired access/refresh token');
      return;
    }
    const issued = ctx.tokens.issue(grantType);
    const instanceUrl = `${req.protocol}://${req.get('host') ?? '127.0.0.1'}`;
    const id = `${instanceUrl}/id/${org.orgId}/${org.userId}`;
    const issuedAt = String(issued.issuedAt);
    res.json({
      access_token: issued.token,
      signature: createHmac('sha256', org.clientSecret)
        .update(id + issuedAt)
        .digest('base64'),
      scope: 'api',
      instance_url: instanceUrl,
      id,
      token_type: 'Bearer',
      issued_at: issuedAt,
    });
  });

  const instanceUrlOf = (req: Request) => `${req.protocol}://${req.get('host') ?? '127.0.0.1'}`;
  const authorized = (req: Request, res: Response): boolean => {
    const token = bearerToken(req.get('authorization'));
    if (token === undefined || !ctx.tokens.validateToken(token)) {
      res.status(403).send('Bad_OAuth_Token');
      return false;
    }
    return true;
  };
  const apiUrls = (instanceUrl: string) => ({
    rest: `${instanceUrl}/services/data/v{version}/`,
    sobjects: `${instanceUrl}/services/data/v{version}/sobjects/`,
    search: `${instanceUrl}/services/data/v{version}/search/`,
    query: `${instanceUrl}/services/data/v{version}/query/`,
    limits: `${instanceUrl}/services/data/v{version}/limits`,
    profile: `${instanceUrl}/${ctx.org.userId}`,
  });

  // The identity URL from the token response (jsforce `conn.identity()`).
  app.get('/id/:orgId/:userId', (req, res) => {
    if (!authorized(req, res)) return;
    if (req.params.orgId !== ctx.org.orgId || req.params.userId !== ctx.org.userId) {
      res.status(404).send('Bad_Id');
      return;
    }
    const instanceUrl = instanceUrlOf(req);
    res.json({
      id: `${instanceUrl}/id/${ctx.org.orgId}/${ctx.org.userId}`,
      asserted_user: true,
      user_id: ctx.org.userId,
      organization_id: ctx.org.orgId,
      username: ctx.org.username,
      nick_name: ctx.org.username.split('@')[0],
      display_name: 'Sandbox Admin',
      email: ctx.org.username,
      email_verified: true,
      first_name: 'Sandbox',
      last_name: 'Admin',
      timezone: 'GMT',
      active: true,
      user_type: 'STANDARD',
      language: 'en_US',
      locale: 'en_US',
      utcOffset: 0,
      urls: apiUrls(instanceUrl),
      is_app_installed: true,
    });
  });

  // The OpenID Connect UserInfo endpoint: the same user as the identity URL, in OIDC claim names.
  // https://help.salesforce.com/s/articleView?id=sf.remoteaccess_using_userinfo_endpoint.htm
  const userinfo = (req: Request, res: Response) => {
    if (!authorized(req, res)) return;
    const instanceUrl = instanceUrlOf(req);
    const { org } = ctx;
    res.json({
      sub: `${instanceUrl}/id/${org.orgId}/${org.userId}`,
      user_id: org.userId,
      organization_id: org.orgId,
      preferred_username: org.username,
      nickname: org.username.split('@')[0],
      name: 'Sandbox Admin',
      email: org.username,
      email_verified: true,
      given_name: 'Sandbox',
      family_name: 'Admin',
      zoneinfo: 'GMT',
      profile: `${instanceUrl}/${org.userId}`,
      address: {},
      urls: apiUrls(instanceUrl),
      active: true,
      user_type: 'STANDARD',
      language: 'en_US',
      locale: 'en_US',
      utcOffset: 0,
      is_app_installed: true,
    });
  };
  app.get('/services/oauth2/userinfo', userinfo);
  app.post('/services/oauth2/userinfo', userinfo);

  app.post('/services/oauth2/revoke', (req, res) => {
    const token = param(req, 'token');
    if (!token || !ctx.tokens.revoke(token)) {
      oauthError(res, 'unsupported_token_type', 'this token type is not supported');
      return;
    }
    res.status(200).end();
  });
}
