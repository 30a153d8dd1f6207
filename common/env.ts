/**
 * The process environment, parsed once at boot with zod. A typo or a missing credential stops the
 * process with a message naming the variable and the reason; secret values are never echoed.
 */
import { existsSync } from 'node:fs';
import { isIP } from 'node:net';
import { z } from 'zod';

export const DEFAULT_TASK_QUEUE = 'salesforce-zendesk-sync';

const nonEmpty = z.string().trim().min(1, 'must not be empty');
const optionalNonEmpty = z.preprocess((v) => (v === '' ? undefined : v), nonEmpty.optional());
const url = z.url({ message: 'must be an absolute URL such as https://example.com' });

/**
 * A token sent in an HTTP header (API tokens, OAuth access tokens, Temporal API keys): printable ASCII
 * without spaces. Checked here because an HTTP or gRPC library that meets a control character in a
 * header quotes the whole value in its error (grpc-js: `Metadata string value "…" contains illegal
 * characters`), and zod's messages never quote the input.
 */
export const headerToken = z
  .string()
  .regex(/^[\x21-\x7e]+$/, 'must be printable ASCII without spaces (the value is not shown)');
const optionalToken = z.preprocess(
  (v) => (typeof v === 'string' && v.trim() === '' ? undefined : typeof v === 'string' ? v.trim() : v),
  headerToken.optional(),
);

const temporalSchema = z.object({
  TEMPORAL_ADDRESS: nonEmpty.default('localhost:7233'),
  TEMPORAL_NAMESPACE: nonEmpty.default('default'),
  TEMPORAL_TASK_QUEUE: nonEmpty.default(DEFAULT_TASK_QUEUE),
});

const salesforceSchema = z
  .object({
    SALESFORCE_LOGIN_URL: url.default('https://login.salesforce.com'),
    SALESFORCE_API_VERSION: z
      .string()
      .regex(/^\d{2}\.0$/, 'must look like 62.0')
      .default('62.0'),
    SALESFORCE_CLIENT_ID: optionalNonEmpty,
    SALESFORCE_CLIENT_SECRET: optionalNonEmpty,
    SALESFORCE_USERNAME: optionalNonEmpty,
    SALESFORCE_PASSWORD: optionalNonEmpty,
  })
  .superRefine((env, ctx) => {
    if (!env.SALESFORCE_CLIENT_ID || !env.SALESFORCE_CLIENT_SECRET) {
      ctx.addIssue({
        code: 'custom',
        path: [env.SALESFORCE_CLIENT_ID ? 'SALESFORCE_CLIENT_SECRET' : 'SALESFORCE_CLIENT_ID'],
        message: 'is required: set SALESFORCE_CLIENT_ID and SALESFORCE_CLIENT_SECRET of a connected app',
      });
    }
    if (Boolean(env.SALESFORCE_USERNAME) !== Boolean(env.SALESFORCE_PASSWORD)) {
      ctx.addIssue({
        code: 'custom',
        path: [env.SALESFORCE_USERNAME ? 'SALESFORCE_PASSWORD' : 'SALESFORCE_USERNAME'],
        message:
          'SALESFORCE_USERNAME and SALESFORCE_PASSWORD go together (leave both unset for the client-credentials flow)',
      });
    }
  });

/** An optional whole number of `what` (1 or more); empty means unset. */
const positiveCount = (what: string) =>
  z.preprocess(
    (v) => (v === '' || v === undefined ? undefined : Number(v)),
    z
      .number({ message: `must be a whole number of ${what}` })
      .int(`must be a whole number of ${what}`)
      .min(1, 'must be 1 or more')
      .optional(),
  );

const zendeskSchema = z
  .object({
    ZENDESK_URL: url.optional(),
    ZENDESK_SUBDOMAIN: z
      .string()
      .regex(/^[a-z0-9][a-z0-9-]*$/i, 'must be the subdomain only, e.g. acme for https://acme.zendesk.com')
      .optional(),
    ZENDESK_EMAIL: optionalNonEmpty,
    ZENDESK_API_TOKEN: optionalToken,
    ZENDESK_OAUTH_TOKEN: optionalToken,
    // Optional ceiling on this process's Zendesk requests per minute; the pacer also follows the
    // account-wide budget Zendesk reports in its rate-limit headers (activities/zendesk/pacer.ts).
    ZENDESK_RATE_LIMIT_PER_MINUTE: positiveCount('requests per minute, e.g. 700'),
    // The longest Zendesk Retry-After the sync waits out; a longer one fails the passes that need Zendesk
    // (ZendeskRetryAfterTooLong) instead of holding every Zendesk call of the worker (http.ts).
    ZENDESK_RETRY_AFTER_MAX_SECONDS: positiveCount('seconds, e.g. 900'),
  })
  .superRefine((env, ctx) => {
    if (!env.ZENDESK_URL && !env.ZENDESK_SUBDOMAIN) {
      ctx.addIssue({
        code: 'custom',
        path: ['ZENDESK_URL'],
        message: 'is required (or set ZENDESK_SUBDOMAIN)',
      });
    }
    if (!env.ZENDESK_OAUTH_TOKEN && !(env.ZENDESK_EMAIL && env.ZENDESK_API_TOKEN)) {
      ctx.addIssue({
        code: 'custom',
        path: [env.ZENDESK_EMAIL ? 'ZENDESK_API_TOKEN' : 'ZENDESK_EMAIL'],
        message: 'is required: set ZENDESK_EMAIL and ZENDESK_API_TOKEN, or ZENDESK_OAUTH_TOKEN',
      });
    }
  });

const wholeNumber = (min: number) =>
  z.preprocess(
    (v) => (v === '' || v === undefined ? undefined : Number(v)),
    z
      .number({ message: 'must be a whole number' })
      .int('must be a whole number')
      .min(min, `must be ${min} or more`)
      .optional(),
  );

/**
 * HEALTH_HOST / METRICS_HOST: an IP address to bind (`127.0.0.1`, `0.0.0.0`, `::`; the SDK's metrics
 * exporter takes no host names). Unset: loopback (DEFAULT_BIND_HOST); widen it where a probe or a
 * scraper from outside the host or container needs it.
 */
export const DEFAULT_BIND_HOST = '127.0.0.1';
export const bindHost = z.preprocess(
  (v) => (v === '' ? undefined : v),
  z
    .string()
    .refine((v) => isIP(v) !== 0, 'must be an IP address to bind, e.g. 127.0.0.1 (default) or 0.0.0.0')
    .optional(),
);

const workerTuningSchema = z.object({
  TEMPORAL_MAX_CACHED_WORKFLOWS: wholeNumber(0),
  TEMPORAL_MAX_CONCURRENT_ACTIVITIES: wholeNumber(1),
  // The SDK needs 2 slots when the sticky cache is on (one for a sticky task, one for the shared queue).
  TEMPORAL_MAX_CONCURRENT_WORKFLOW_TASKS: wholeNumber(2),
});

const workerDeploySchema = z.object({
  // 0 hands the choice back to V8 (worker/heap-growth.ts says why there is a default).
  WORKER_HEAP_GROWTH_PERCENT: wholeNumber(0),
  WORKFLOW_BUNDLE_PATH: optionalNonEmpty.refine((p) => p === undefined || existsSync(p), {
    message: 'file not found: build it with `npm run build:workflow-bundle` (the Docker image does)',
  }),
  HEALTH_PORT: z.preprocess(
    (v) => (v === '' || v === undefined ? undefined : Number(v)),
    z
      .number({ message: 'must be a port number (1-65535)' })
      .int('must be a port number (1-65535)')
      .min(1, 'must be a port number (1-65535)')
      .max(65_535, 'must be a port number (1-65535)')
      .optional(),
  ),
  // The Docker image sets 0.0.0.0 so that an orchestrator's HTTP probe reaches it; its own
  // HEALTHCHECK calls 127.0.0.1 from inside the container either way.
  HEALTH_HOST: bindHost,
});

export type TemporalEnv = z.infer<typeof temporalSchema>;

/**
 * Record workflows one worker process keeps in its sticky cache when TEMPORAL_MAX_CACHED_WORKFLOWS is
 * unset. The SDK's own default grows with the V8 heap limit (about 600 per GiB of it: some 2,300 with
 * the 4 GiB limit Node gives itself on a machine with 16 GiB or more). Record workflows never end, so a
 * large org filled that cache and the worker passed 1 GiB. With this size a worker's peak RSS stays
 * under 400 MiB through a burst of new records (docs/benchmarks.md, "Worker memory"); a workflow evicted
 * from the cache replays its short history at its next change, which costs worker CPU (measured there).
 */
export const DEFAULT_MAX_CACHED_WORKFLOWS = 100;

/**
 * Worker tuning, from optional variables. TEMPORAL_MAX_CACHED_WORKFLOWS=0 turns off the sticky cache:
 * every workflow task replays from history, and a killed worker's workflows move to another worker at
 * once instead of after the sticky timeout (10 s).
 */
export interface WorkerTuning {
  /** Sticky cache size; DEFAULT_MAX_CACHED_WORKFLOWS unless the variable is set. */
  maxCachedWorkflows: number;
  /** Activities (API calls) one worker process runs at once; SDK default 100. */
  maxConcurrentActivityTaskExecutions?: number;
  /** Workflow tasks one worker process runs at once; SDK default 40. */
  maxConcurrentWorkflowTaskExecutions?: number;
}

/**
 * How the worker process runs in a deployment: a pre-built workflow bundle (the Docker image builds one,
 * so a worker starts without webpack) and the port of the health endpoint (the image's HEALTHCHECK).
 */
export interface WorkerDeployEnv {
  /** WORKER_HEAP_GROWTH_PERCENT when set; the worker applies its default otherwise (worker/heap-growth.ts). */
  heapGrowthPercent?: number;
  workflowBundlePath?: string;
  healthPort?: number;
  /** HEALTH_HOST when set (default DEFAULT_BIND_HOST); only meaningful with healthPort. */
  healthHost?: string;
}

export interface SalesforceCredentials {
  loginUrl: string;
  apiVersion: string;
  clientId: string;
  clientSecret: string;
  username?: string;
  password?: string;
}

export type ZendeskAuth =
  { kind: 'token'; email: string; apiToken: string } | { kind: 'oauth'; accessToken: string };

export interface ZendeskCredentials {
  baseUrl: string;
  auth: ZendeskAuth;
  /** ZENDESK_RATE_LIMIT_PER_MINUTE: a ceiling on this process's request rate (unset: headers only). */
  rateLimitPerMinute?: number;
  /** ZENDESK_RETRY_AFTER_MAX_SECONDS in ms: the longest Retry-After waited out (default 15 minutes). */
  retryAfterMaxMs?: number;
}

export class EnvError extends Error {
  override readonly name = 'EnvError';
  readonly code = 'INVALID_ENV';
  constructor(readonly issues: Array<{ variable: string; message: string }>) {
    super(`Invalid environment:\n${issues.map((i) => `  - ${i.variable}: ${i.message}`).join('\n')}`);
  }
}

function parse<T extends z.ZodType>(schema: T, env: NodeJS.ProcessEnv): z.infer<T> {
  const result = schema.safeParse(env);
  if (result.success) return result.data;
  // zod's messages never include the input value, so secrets cannot leak through here.
  throw new EnvError(
    result.error.issues.map((i) => ({ variable: i.path.join('.') || '(environment)', message: i.message })),
  );
}

/**
 * Address, namespace and task queue only. Processes connect through readTemporalConnection
 * (common/temporal-connection.ts), which adds TLS / API key / profile and the payload codec.
 */
export function readTemporalEnv(env: NodeJS.ProcessEnv = process.env): TemporalEnv {
  return parse(temporalSchema, env);
}

export function readWorkerTuning(env: NodeJS.ProcessEnv = process.env): WorkerTuning {
  const e = parse(workerTuningSchema, env);
  const tuning: WorkerTuning = {
    maxCachedWorkflows: e.TEMPORAL_MAX_CACHED_WORKFLOWS ?? DEFAULT_MAX_CACHED_WORKFLOWS,
    maxConcurrentActivityTaskExecutions: e.TEMPORAL_MAX_CONCURRENT_ACTIVITIES,
    maxConcurrentWorkflowTaskExecutions: e.TEMPORAL_MAX_CONCURRENT_WORKFLOW_TASKS,
  };
  // Unset keys are left out, so the SDK's defaults apply rather than `undefined` overriding them.
  return Object.fromEntries(Object.entries(tuning).filter(([, v]) => v !== undefined)) as WorkerTuning;
}

export function readWorkerDeployEnv(env: NodeJS.ProcessEnv = process.env): WorkerDeployEnv {
  const e = parse(workerDeploySchema, env);
  return Object.fromEntries(
    Object.entries({
      workflowBundlePath: e.WORKFLOW_BUNDLE_PATH,
      heapGrowthPercent: e.WORKER_HEAP_GROWTH_PERCENT,
      healthPort: e.HEALTH_PORT,
      healthHost: e.HEALTH_PORT === undefined ? undefined : e.HEALTH_HOST,
    }).filter(([, v]) => v !== undefined),
  );
}

export function readSalesforceCredentials(env: NodeJS.ProcessEnv = process.env): SalesforceCredentials {
  const e = parse(salesforceSchema, env);
  return {
    loginUrl: e.SALESFORCE_LOGIN_URL.replace(/\/+$/, ''),
    apiVersion: e.SALESFORCE_API_VERSION,
    clientId: e.SALESFORCE_CLIENT_ID!,
    clientSecret: e.SALESFORCE_CLIENT_SECRET!,
    username: e.SALESFORCE_USERNAME,
    password: e.SALESFORCE_PASSWORD,
  };
}

export function readZendeskCredentials(env: NodeJS.ProcessEnv = process.env): ZendeskCredentials {
  const e = parse(zendeskSchema, env);
  const baseUrl = (e.ZENDESK_URL ?? `https://${e.ZENDESK_SUBDOMAIN}.zendesk.com`).replace(/\/+$/, '');
  const auth: ZendeskAuth = e.ZENDESK_OAUTH_TOKEN
    ? { kind: 'oauth', accessToken: e.ZENDESK_OAUTH_TOKEN }
    : { kind: 'token', email: e.ZENDESK_EMAIL!, apiToken: e.ZENDESK_API_TOKEN! };
  return {
    baseUrl,
    auth,
    ...(e.ZENDESK_RATE_LIMIT_PER_MINUTE === undefined
      ? {}
      : { rateLimitPerMinute: e.ZENDESK_RATE_LIMIT_PER_MINUTE }),
    ...(e.ZENDESK_RETRY_AFTER_MAX_SECONDS === undefined
      ? {}
      : { retryAfterMaxMs: e.ZENDESK_RETRY_AFTER_MAX_SECONDS * 1000 }),
  };
}

const UNIT_MS = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000 } as const;
const duration = z
  .string()
  .regex(/^(0|off|\d+(ms|s|m|h))$/, 'must be a duration such as 5m, 90s or 1h, or off')
  .transform((v) => {
    if (v === '0' || v === 'off') return 0;
    const [, n, unit] = /^(\d+)(ms|s|m|h)$/.exec(v)!;
    return Number(n) * UNIT_MS[unit as keyof typeof UNIT_MS];
  });

/** A duration variable in ms: `90s`, `5m`, `1h`, `1500ms`; `off` or `0` give 0. */
export function readDurationVariable(env: NodeJS.ProcessEnv, variable: string, fallback: string): number {
  const raw = env[variable];
  const result = duration.safeParse(raw === undefined || raw === '' ? fallback : raw);
  if (result.success) return result.data;
  throw new EnvError([{ variable, message: result.error.issues[0]?.message ?? 'invalid' }]);
}

/**
 * SCHEMA_REFRESH_EVERY: how often the worker reads Salesforce describe and the Zendesk field definitions
 * again (default 5m; `off` keeps only the refresh a pass asks for when a value finds no Zendesk option).
 */
export function readSchemaRefreshEvery(env: NodeJS.ProcessEnv = process.env): number {
  return readDurationVariable(env, 'SCHEMA_REFRESH_EVERY', '5m');
}

type Results<T extends Array<() => unknown>> = { [K in keyof T]: T[K] extends () => infer R ? R : never };

/** Runs several readers and reports every invalid variable at once, not just the first reader's. */
export function collectEnvErrors<T extends Array<() => unknown>>(...readers: T): Results<T> {
  const issues: EnvError['issues'] = [];
  const results = readers.map((read) => {
    try {
      return read();
    } catch (err) {
      if (!(err instanceof EnvError)) throw err;
      issues.push(...err.issues);
      return undefined;
    }
  });
  if (issues.length > 0) throw new EnvError(issues);
  return results as Results<T>;
}
