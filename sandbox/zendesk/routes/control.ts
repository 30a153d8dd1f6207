/** Zendesk-specific `/__sandbox/...` control routes for tests and benchmarks (not logged, not rate limited). */
import type { Express, Response } from 'express';
import { isRecord } from '../input';
import { RATE_LIMIT_PRESETS, RateLimitError, type RateLimiter } from '../rate-limit';
import type { ZendeskSeedOptions, SeedSummary } from '../seed';
import { SettingsError, type ZendeskSettings } from '../settings';
import type { ZendeskStore } from '../store';

export interface ControlDeps {
  store: ZendeskStore;
  limiter: RateLimiter;
  reset(): void;
  seed(opts: ZendeskSeedOptions): SeedSummary;
  settings(): ZendeskSettings;
  updateSettings(partial: Record<string, unknown>): ZendeskSettings;
}

const controlError = (res: Response, err: unknown) => {
  if (err instanceof RateLimitError || err instanceof SettingsError)
    res.status(400).json({ error: err.code, message: err.message });
  else throw err;
};

export function controlRoutes(app: Express, deps: ControlDeps): void {
  const body = (raw: unknown): Record<string, unknown> => (isRecord(raw) ? raw : {});

  app.post('/__sandbox/reset', (_req, res) => {
    deps.reset();
    res.status(204).end();
  });

  app.post('/__sandbox/seed', (req, res) => {
    res.json(deps.seed(body(req.body)));
  });

  app.get('/__sandbox/rate-limit', (_req, res) => {
    res.json({ perMinute: deps.limiter.limit, presets: RATE_LIMIT_PRESETS });
  });

  app.put('/__sandbox/rate-limit', (req, res) => {
    const input = body(req.body);
    try {
      const preset =
        typeof input.preset === 'string'
          ? RATE_LIMIT_PRESETS[input.preset as keyof typeof RATE_LIMIT_PRESETS]
          : undefined;
      if (typeof input.preset === 'string' && preset === undefined)
        throw new RateLimitError(
          `Unknown preset ${input.preset} (known: ${Object.keys(RATE_LIMIT_PRESETS).join(', ')})`,
        );
      deps.limiter.setLimit((preset ?? input.perMinute) as number);
      res.json({ perMinute: deps.limiter.limit });
    } catch (err) {
      controlError(res, err);
    }
  });

  app.post('/__sandbox/429-burst', (req, res) => {
    const input = body(req.body);
    try {
      deps.limiter.forceBurst(input.count as number, (input.retryAfterSeconds ?? 1) as number);
      res.status(204).end();
    } catch (err) {
      controlError(res, err);
    }
  });

  app.get('/__sandbox/settings', (_req, res) => {
    res.json(deps.settings());
  });

  app.put('/__sandbox/settings', (req, res) => {
    try {
      res.json(deps.updateSettings(body(req.body)));
    } catch (err) {
      controlError(res, err);
    }
  });

  app.get('/__sandbox/records/:kind', (req, res) => {
    const { store } = deps;
    const dumps: Record<string, () => unknown[]> = {
      organizations: () => [...store.organizations.values()],
      users: () => [...store.users.values()],
      identities: () => [...store.identities.values()],
      memberships: () => [...store.memberships.values()],
      fields: () => [...store.fields.values()],
      jobs: () => [...store.jobs.values()],
      outbox: () => [...store.outbox],
    };
    const dump = dumps[String(req.params.kind)];
    if (!dump) {
      res
        .status(404)
        .json({ error: 'UnknownRecordKind', message: `Known kinds: ${Object.keys(dumps).join(', ')}` });
      return;
    }
    res.json({ [String(req.params.kind)]: dump() });
  });
}
