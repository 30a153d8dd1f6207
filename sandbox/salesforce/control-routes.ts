/** Salesforce-specific `/__sandbox` control routes for tests and benchmarks (never logged or faulted). */
import type { Express, Request, Response } from 'express';
import { CONTROL_PREFIX } from '../common/app';
import type { SalesforceContext } from './context';
import { SalesforceApiError } from './errors';
import { resolveSObjectName } from './schema';
import { loadSalesforceSeed } from './seed-loader';

const badRequest = (res: Response, message: string) =>
  res.status(400).json({ error: 'INVALID_CONTROL_REQUEST', message });

const numberField = (
  body: Record<string, unknown>,
  name: string,
  min: number,
  max: number,
): number | undefined | Error => {
  const v = body[name];
  if (v === undefined) return undefined;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max)
    return new Error(`${name} must be an integer from ${min} to ${max}`);
  return v;
};

export function registerControlRoutes(
  app: Express,
  ctx: SalesforceContext,
  hooks: { onReset(): void },
): void {
  const P = CONTROL_PREFIX;
  const bodyOf = (req: Request) =>
    req.body && typeof req.body === 'object' ? (req.body as Record<string, unknown>) : {};

  app.post(`${P}/reset`, (_req, res) => {
    ctx.store.reset();
    ctx.cursors.clear();
    ctx.usage.reset();
    hooks.onReset();
    res.status(204).end();
  });

  app.post(`${P}/seed`, (req, res) => {
    const body = bodyOf(req);
    const opts: Record<string, number> = {};
    for (const [name, max] of [
      ['accounts', 1_000_000],
      ['contactsPerAccount', 100],
      ['leads', 1_000_000],
      ['seed', 2 ** 31],
    ] as const) {
      const v = numberField(body, name, 0, max);
      if (v instanceof Error) return badRequest(res, v.message);
      if (v !== undefined) opts[name] = v;
    }
    if (body.publish !== undefined && typeof body.publish !== 'boolean')
      return badRequest(res, 'publish must be a boolean');
    try {
      res.json(loadSalesforceSeed(ctx.store, opts, body.publish === true));
    } catch (err) {
      if (!(err instanceof SalesforceApiError)) throw err;
      res.status(500).json({ error: 'SEED_FAILED', message: `${err.errorCode}: ${err.message}` });
    }
  });

  app.post(`${P}/request-limit`, (req, res) => {
    const v = numberField(bodyOf(req), 'durationMs', 0, 24 * 3_600_000);
    if (v instanceof Error || v === undefined)
      return badRequest(res, 'durationMs must be an integer from 0 to 86400000');
    const until = ctx.usage.blockFor(v);
    res.json({ blockedUntil: until === 0 ? null : new Date(until).toISOString() });
  });

  app.get(`${P}/api-usage`, (_req, res) => {
    res.json({ used: ctx.usage.count, max: ctx.usage.dailyMax, remaining: ctx.usage.remaining });
  });

  app.post(`${P}/tokens/expire`, (_req, res) => {
    res.json({ expired: ctx.tokens.expireAll() });
  });

  app.get(`${P}/records/:type`, (req, res) => {
    const type = resolveSObjectName(String(req.params.type));
    if (!type)
      return res
        .status(404)
        .json({ error: 'UNKNOWN_OBJECT', message: `No sObject named ${String(req.params.type)}` });
    res.json({ records: ctx.store.dump(type) });
  });
}
