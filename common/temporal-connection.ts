/**
 * How every process of this deployment reaches Temporal: address, namespace, TLS / mTLS or a Temporal
 * Cloud API key, optionally a profile of a `temporal.toml` (@temporalio/envconfig), plus the shared data
 * converter (payload encryption). Resolved once at boot: files are read and certificates parsed here, so
 * a bad path or a cert without its key stops the process with the variable's name, before any connect.
 * The worker, `npm run listen`, `npm start` and `sfzd` all connect through this module.
 *
 * TEMPORAL_TLS_CERT / _KEY / _CA accept a file path or the PEM text itself (a value starting with
 * `-----BEGIN`), for platforms that inject secrets as environment variables.
 */
import { createPrivateKey, X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Client, Connection, type ConnectionOptions, type TLSConfig } from '@temporalio/client';
import type { DataConverter } from '@temporalio/common';
import { loadClientConnectConfig } from '@temporalio/envconfig';
import type { NativeConnectionOptions } from '@temporalio/worker';
import { z } from 'zod';
import { readDataConverter } from './encryption';
import { collectEnvErrors, DEFAULT_TASK_QUEUE, EnvError, headerToken, type TemporalEnv } from './env';

export interface TemporalConnectionSettings {
  /** The effective address / namespace / task queue (profile values when the variables are unset). */
  env: TemporalEnv;
  tls?: TLSConfig | boolean;
  apiKey?: string;
  metadata?: Record<string, string>;
  dataConverter?: DataConverter;
  /** For messages: how the connection is secured, never the secret itself. */
  security: 'plaintext' | 'TLS' | 'mTLS' | 'API key' | 'API key + mTLS';
  /** The profile used, if any. */
  profile?: string;
}

const optional = z.preprocess(
  (v) => (typeof v === 'string' && v.trim() === '' ? undefined : v),
  z.string().trim().min(1).optional(),
);
const bool = z.preprocess(
  (v) => (v === '' ? undefined : v),
  z.enum(['true', 'false', '1', '0'], { message: 'must be true or false' }).optional(),
);

const schema = z.object({
  TEMPORAL_ADDRESS: optional.pipe(
    z
      .string()
      .regex(
        /^[^\s/:]+:\d{1,5}$|^\[[0-9a-fA-F:]+\]:\d{1,5}$/,
        'must be host:port, e.g. localhost:7233 (no scheme)',
      )
      .optional(),
  ),
  TEMPORAL_NAMESPACE: optional,
  TEMPORAL_TASK_QUEUE: optional,
  TEMPORAL_TLS: bool,
  TEMPORAL_TLS_CERT: optional,
  TEMPORAL_TLS_KEY: optional,
  TEMPORAL_TLS_CA: optional,
  TEMPORAL_TLS_SERVER_NAME: optional,
  TEMPORAL_API_KEY: optional, // its format is checked with the files below, so all issues show at once
  TEMPORAL_PROFILE: optional,
  TEMPORAL_CONFIG_FILE: optional,
});

type Issues = EnvError['issues'];

/**
 * The value is a path or the PEM text. Messages never quote it: a key pasted without its BEGIN line,
 * or with the wrong quoting, would otherwise be printed in full as "the path that cannot be read".
 */
function pem(variable: string, value: string, issues: Issues): Buffer | undefined {
  if (value.startsWith('-----BEGIN')) return Buffer.from(value.replace(/\\n/g, '\n'));
  try {
    return readFileSync(value);
  } catch (err) {
    issues.push({
      variable,
      message: `is neither PEM text (starting with -----BEGIN) nor a readable file path (${(err as NodeJS.ErrnoException).code ?? 'error'})`,
    });
    return undefined;
  }
}

/** Parses the PEM pieces so a wrong file (or a key that does not belong to the cert) fails at boot. */
function checkPem(
  cert: Buffer | undefined,
  key: Buffer | undefined,
  ca: Buffer | undefined,
  issues: Issues,
): void {
  let x509: X509Certificate | undefined;
  if (cert) {
    try {
      x509 = new X509Certificate(cert);
    } catch {
      issues.push({ variable: 'TEMPORAL_TLS_CERT', message: 'is not a PEM certificate' });
    }
  }
  if (key) {
    try {
      const privateKey = createPrivateKey(key);
      if (x509 && !x509.checkPrivateKey(privateKey))
        issues.push({
          variable: 'TEMPORAL_TLS_KEY',
          message: 'does not belong to the certificate in TEMPORAL_TLS_CERT',
        });
    } catch {
      issues.push({ variable: 'TEMPORAL_TLS_KEY', message: 'is not a PEM private key (or is encrypted)' });
    }
  }
  if (ca) {
    try {
      new X509Certificate(ca);
    } catch {
      issues.push({ variable: 'TEMPORAL_TLS_CA', message: 'is not a PEM certificate' });
    }
  }
}

interface ProfileValues {
  address?: string;
  namespace?: string;
  apiKey?: string;
  tls?: TLSConfig | boolean;
  metadata?: Record<string, string>;
}

function loadProfile(e: z.infer<typeof schema>, issues: Issues): ProfileValues {
  if (!e.TEMPORAL_PROFILE && !e.TEMPORAL_CONFIG_FILE) return {};
  let data: string | undefined;
  if (e.TEMPORAL_CONFIG_FILE) {
    // envconfig quietly treats a missing file as an empty config; a typo in the path must not.
    try {
      data = readFileSync(e.TEMPORAL_CONFIG_FILE, 'utf8');
    } catch (err) {
      issues.push({
        variable: 'TEMPORAL_CONFIG_FILE',
        message: `cannot read the file (${(err as NodeJS.ErrnoException).code ?? 'error'})`,
      });
      return {};
    }
  }
  try {
    // Our own variables override below; envconfig reads only the profile file here (the default
    // location ~/.config/temporalio/temporal.toml when only TEMPORAL_PROFILE is set).
    const loaded = loadClientConnectConfig({
      profile: e.TEMPORAL_PROFILE,
      configSource: data !== undefined ? { data } : undefined,
      disableEnv: true,
      configFileStrict: true,
    });
    const o = loaded.connectionOptions;
    return {
      address: o.address,
      namespace: loaded.namespace,
      apiKey: typeof o.apiKey === 'string' ? o.apiKey : undefined,
      tls: o.tls ?? undefined,
      metadata: o.metadata as Record<string, string> | undefined,
    };
  } catch (err) {
    const message = (err as Error).message.split('\n')[0] ?? 'cannot be loaded';
    issues.push({
      variable: e.TEMPORAL_PROFILE ? 'TEMPORAL_PROFILE' : 'TEMPORAL_CONFIG_FILE',
      message: `cannot load the profile: ${message}`,
    });
    return {};
  }
}

function describe(tls: TLSConfig | boolean | undefined, apiKey: string | undefined) {
  const mtls = typeof tls === 'object' && Boolean(tls.clientCertPair);
  if (apiKey) return mtls ? 'API key + mTLS' : 'API key';
  if (mtls) return 'mTLS';
  return tls ? 'TLS' : 'plaintext';
}

function readConnection(env: NodeJS.ProcessEnv): Omit<TemporalConnectionSettings, 'dataConverter'> {
  const parsed = schema.safeParse(env);
  if (!parsed.success)
    throw new EnvError(
      parsed.error.issues.map((i) => ({ variable: i.path.join('.') || '(environment)', message: i.message })),
    );
  const e = parsed.data;
  const issues: Issues = [];
  const profile = loadProfile(e, issues);

  if (Boolean(e.TEMPORAL_TLS_CERT) !== Boolean(e.TEMPORAL_TLS_KEY))
    issues.push({
      variable: e.TEMPORAL_TLS_CERT ? 'TEMPORAL_TLS_KEY' : 'TEMPORAL_TLS_CERT',
      message: 'TEMPORAL_TLS_CERT and TEMPORAL_TLS_KEY go together (the mTLS client certificate and its key)',
    });
  const cert = e.TEMPORAL_TLS_CERT ? pem('TEMPORAL_TLS_CERT', e.TEMPORAL_TLS_CERT, issues) : undefined;
  const key = e.TEMPORAL_TLS_KEY ? pem('TEMPORAL_TLS_KEY', e.TEMPORAL_TLS_KEY, issues) : undefined;
  const ca = e.TEMPORAL_TLS_CA ? pem('TEMPORAL_TLS_CA', e.TEMPORAL_TLS_CA, issues) : undefined;
  checkPem(cert, key, ca, issues);

  if (e.TEMPORAL_API_KEY) {
    const format = headerToken.safeParse(e.TEMPORAL_API_KEY);
    if (!format.success)
      issues.push({ variable: 'TEMPORAL_API_KEY', message: format.error.issues[0]?.message ?? 'is invalid' });
  }
  const apiKey = e.TEMPORAL_API_KEY ?? profile.apiKey;
  const tlsVarsSet = Boolean(e.TEMPORAL_TLS_CERT || e.TEMPORAL_TLS_CA || e.TEMPORAL_TLS_SERVER_NAME);
  const forced =
    e.TEMPORAL_TLS === undefined ? undefined : e.TEMPORAL_TLS === 'true' || e.TEMPORAL_TLS === '1';
  if (forced === false && apiKey)
    issues.push({
      variable: 'TEMPORAL_TLS',
      message: `is false but ${e.TEMPORAL_API_KEY ? 'TEMPORAL_API_KEY' : 'the profile'} sets an API key: an API key is only sent over TLS`,
    });
  if (forced === false && tlsVarsSet)
    issues.push({
      variable: 'TEMPORAL_TLS',
      message: 'is false but TEMPORAL_TLS_CERT / _CA / _SERVER_NAME are set',
    });
  if (issues.length) throw new EnvError(issues);

  let tls: TLSConfig | boolean | undefined;
  if (forced === false) tls = false;
  else if (tlsVarsSet) {
    const base = typeof profile.tls === 'object' ? profile.tls : {};
    tls = {
      ...base,
      ...(e.TEMPORAL_TLS_SERVER_NAME ? { serverNameOverride: e.TEMPORAL_TLS_SERVER_NAME } : {}),
      ...(ca ? { serverRootCACertificate: ca } : {}),
      ...(cert && key ? { clientCertPair: { crt: cert, key } } : {}),
    };
  } else if (forced === true) tls = profile.tls && profile.tls !== true ? profile.tls : true;
  else tls = profile.tls ?? (apiKey ? true : undefined);

  return {
    env: {
      TEMPORAL_ADDRESS: e.TEMPORAL_ADDRESS ?? profile.address ?? 'localhost:7233',
      TEMPORAL_NAMESPACE: e.TEMPORAL_NAMESPACE ?? profile.namespace ?? 'default',
      TEMPORAL_TASK_QUEUE: e.TEMPORAL_TASK_QUEUE ?? DEFAULT_TASK_QUEUE,
    },
    tls,
    apiKey,
    metadata: profile.metadata,
    security: describe(tls, apiKey),
    profile: e.TEMPORAL_PROFILE ?? (e.TEMPORAL_CONFIG_FILE ? 'default' : undefined),
  };
}

/** Reads and checks every TEMPORAL_* connection variable and SYNC_ENCRYPTION_*; reports all problems at once. */
export function readTemporalConnection(env: NodeJS.ProcessEnv = process.env): TemporalConnectionSettings {
  const [connection, dataConverter] = collectEnvErrors(
    () => readConnection(env),
    () => readDataConverter(env),
  );
  return { ...connection, dataConverter };
}

function common(s: TemporalConnectionSettings) {
  return {
    address: s.env.TEMPORAL_ADDRESS,
    ...(s.tls !== undefined ? { tls: s.tls } : {}),
    ...(s.apiKey ? { apiKey: s.apiKey } : {}),
    ...(s.metadata ? { metadata: s.metadata } : {}),
  };
}

/** Options for `Connection.connect` (clients). */
export function clientConnectionOptions(
  s: TemporalConnectionSettings,
  extra: Omit<ConnectionOptions, 'address' | 'tls' | 'apiKey'> = {},
): ConnectionOptions {
  return { ...common(s), ...extra };
}

/** Options for `NativeConnection.connect` (workers). */
export function workerConnectionOptions(s: TemporalConnectionSettings): NativeConnectionOptions {
  return common(s);
}

/** One line for logs and errors: where and how, without secrets. */
export function describeConnection(s: TemporalConnectionSettings): string {
  const profile = s.profile ? `, profile ${s.profile}` : '';
  const encryption = s.dataConverter ? ', payloads encrypted' : '';
  return `${s.env.TEMPORAL_ADDRESS} (namespace ${s.env.TEMPORAL_NAMESPACE}, ${s.security}${profile}${encryption})`;
}

/** A Client on `connection` with this deployment's namespace and data converter. */
export function createClient(s: TemporalConnectionSettings, connection: Connection): Client {
  return new Client({
    connection,
    namespace: s.env.TEMPORAL_NAMESPACE,
    ...(s.dataConverter ? { dataConverter: s.dataConverter } : {}),
  });
}

/** Temporal did not answer, or refused the TLS handshake or the credentials: one line, no secret. */
export class TemporalUnreachableError extends Error {
  override readonly name = 'TemporalUnreachableError';
  readonly code = 'TEMPORAL_UNREACHABLE';
}

/** Wraps a failed connect: where and how we connected (never the key), the SDK's reason, what to check. */
export function temporalUnreachable(s: TemporalConnectionSettings, err: unknown): TemporalUnreachableError {
  const reason = (err instanceof Error ? err.message : String(err)).split('\n')[0];
  const check =
    s.security === 'plaintext'
      ? 'start it (npm start) or set TEMPORAL_ADDRESS'
      : `check TEMPORAL_ADDRESS and the ${s.security} settings (TEMPORAL_TLS_*, TEMPORAL_API_KEY${s.profile ? ', the profile' : ''})`;
  return new TemporalUnreachableError(
    `cannot connect to Temporal at ${describeConnection(s)}: ${reason}; ${check}`,
  );
}

export async function connectClient(
  s: TemporalConnectionSettings,
  extra?: Omit<ConnectionOptions, 'address' | 'tls' | 'apiKey'>,
): Promise<{ connection: Connection; client: Client }> {
  let connection: Connection;
  try {
    connection = await Connection.connect(clientConnectionOptions(s, extra));
  } catch (err) {
    throw temporalUnreachable(s, err);
  }
  return { connection, client: createClient(s, connection) };
}
