/**
 * What every /api/v2 request goes through before its route: `.json` suffix handling, the account rate
 * limit (with its headers on every response) and authentication.
 */
import { createHash } from 'node:crypto';
import type { Express } from 'express';
import { authenticate, type AuthConfig } from './auth';
import type { RateLimiter } from './rate-limit';
import type { ZendeskStore } from './store';

const API_PREFIX = '/api/v2';

export function installApiGuard(
  app: Express,
  deps: { store: ZendeskStore; auth: AuthConfig; limiter: RateLimiter },
): void {
  // Zendesk serves `/api/v2/users/1.json` and `/api/v2/users/1` alike; clients use both spellings.
  app.use((req, _res, next) => {
    if (req.url.startsWith(`${API_PREFIX}/`)) req.url = req.url.replace(/\.json(?=\?|$)/, '');
    next();
  });

  app.use(API_PREFIX, (req, res, next) => {
    const header = req.get('authorization');
    // The Retry-After tracker is per credential: the same client retrying early is what we want to see.
    const credential = header ? createHash('sha256').update(header).digest('hex').slice(0, 16) : 'anonymous';
    const decision = deps.limiter.take(credential);
    if (decision.duringRetryAfter) res.locals.duringRetryAfter = true;
    res.set('X-Rate-Limit', String(decision.limit));
    res.set('X-Rate-Limit-Remaining', String(decision.remaining));
    res.set('ratelimit-limit', String(decision.limit));
    res.set('ratelimit-remaining', String(decision.remaining));
    if (!decision.allowed) {
      res.set('Retry-After', String(decision.retryAfterSeconds));
      res.set('ratelimit-reset', String(decision.retryAfterSeconds));
      res.status(429).json({
        error: 'TooManyRequests',
        description: `You have exceeded the rate limit of ${decision.limit} requests per minute. Retry after ${decision.retryAfterSeconds} seconds.`,
      });
      return;
    }
    res.set('ratelimit-reset', String(decision.resetSeconds));
    const principal = authenticate(deps.store, deps.auth, header);
    if (!principal) {
      res.status(401).json({ error: "Couldn't authenticate you" });
      return;
    }
    res.locals.zendeskUser = principal.user;
    next();
  });
}
