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

export function registerOAuthRoutes(app: Express, ctx: SalesforceContext): void {
  app.post('/services/oauth2/token', (req, res) => {
    const { org } = ctx;
    const grantType = param(req, 'grant_type');
    if (grantType !== 'client_credentials' && grantType !== 'password' && grantType !== 'refresh_token') {
      oauthError(res, 'unsupported_grant_type', 'grant type not supported');
      return;
    }
    if (param(req, 'client_id') !== org.clientId) {
      oauthError(res, 'invalid_client_id', 'client identifier invalid');
      return;
    }
    const secret = param(req, 'client_secret');
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

  // The identity URL from the token response (jsforce `conn.identity()`).
  app.get('/id/:orgId/:userId', (req, res) => {
    const token = bearerToken(req.get('authorization'));
    if (token === undefined || !ctx.tokens.validateToken(token)) {
      res.status(403).send('Bad_OAuth_Token');
      return;
    }
    if (req.params.orgId !== ctx.org.orgId || req.params.userId !== ctx.org.userId) {
      res.status(404).send('Bad_Id');
      return;
    }
    const instanceUrl = `${req.protocol}://${req.get('host') ?? '127.0.0.1'}`;
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
      urls: {
        rest: `${instanceUrl}/services/data/v{version}/`,
        sobjects: `${instanceUrl}/services/data/v{version}/sobjects/`,
        query: `${instanceUrl}/services/data/v{version}/query/`,
        limits: `${instanceUrl}/services/data/v{version}/limits`,
        profile: `${instanceUrl}/${ctx.org.userId}`,
      },
      is_app_installed: true,
    });
  });

  app.post('/services/oauth2/revoke', (req, res) => {
    const token = param(req, 'token');
    if (!token || !ctx.tokens.revoke(token)) {
      oauthError(res, 'unsupported_token_type', 'this token type is not supported');
      return;
    }
    res.status(200).end();
  });
}
