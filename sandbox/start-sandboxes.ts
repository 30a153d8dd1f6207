/**
 * Both sandboxes as one unit, for `npm run sandbox`, `npm start` and the benchmarks: Salesforce on
 * 127.0.0.1:7401 and Zendesk on 127.0.0.1:7402 by default, seeded, with state kept in .data/sandbox/.
 */
import { join } from 'node:path';
import { z } from 'zod';
import { startSalesforceSandbox, type SalesforceSandbox } from './salesforce';
import { startZendeskSandbox, type ZendeskSandbox } from './zendesk';

const port = z.coerce.number().int().min(0).max(65535);
const count = z.coerce.number().int().min(0).max(1_000_000);

const sandboxEnvSchema = z.object({
  SANDBOX_HOST: z.string().default('127.0.0.1'),
  SANDBOX_SALESFORCE_PORT: port.default(7401),
  SANDBOX_ZENDESK_PORT: port.default(7402),
  SANDBOX_SEED_ACCOUNTS: count.default(50),
  SANDBOX_SEED_CONTACTS_PER_ACCOUNT: count.default(3),
  SANDBOX_SEED_LEADS: count.default(20),
  SANDBOX_ZENDESK_RATE_LIMIT: count.default(700),
  /** Salesforce org option: person accounts (off in a new org). */
  SANDBOX_SALESFORCE_PERSON_ACCOUNTS: z.enum(['true', 'false']).default('false'),
  /** Folder for the JSON snapshots; empty = in memory only. */
  SANDBOX_DATA_DIR: z.string().default('.data/sandbox'),
});

export type SandboxSettings = z.infer<typeof sandboxEnvSchema>;

export function readSandboxSettings(env: NodeJS.ProcessEnv = process.env): SandboxSettings {
  const result = sandboxEnvSchema.safeParse(env);
  if (result.success) return result.data;
  throw new Error(
    `Invalid sandbox settings:\n${result.error.issues.map((i) => `  - ${i.path.join('.')}: ${i.message}`).join('\n')}`,
  );
}

export interface RunningSandboxes {
  salesforce: SalesforceSandbox;
  zendesk: ZendeskSandbox;
  close(): Promise<void>;
}

export async function startSandboxes(settings: SandboxSettings): Promise<RunningSandboxes> {
  const snapshot = (name: string) =>
    settings.SANDBOX_DATA_DIR ? join(settings.SANDBOX_DATA_DIR, `${name}.json`) : undefined;
  const salesforce = await startSalesforceSandbox({
    host: settings.SANDBOX_HOST,
    port: settings.SANDBOX_SALESFORCE_PORT,
    snapshotFile: snapshot('salesforce'),
    personAccounts: settings.SANDBOX_SALESFORCE_PERSON_ACCOUNTS === 'true',
    seed: {
      accounts: settings.SANDBOX_SEED_ACCOUNTS,
      contactsPerAccount: settings.SANDBOX_SEED_CONTACTS_PER_ACCOUNT,
      leads: settings.SANDBOX_SEED_LEADS,
    },
  });
  try {
    const zendesk = await startZendeskSandbox({
      host: settings.SANDBOX_HOST,
      port: settings.SANDBOX_ZENDESK_PORT,
      rateLimitPerMinute: settings.SANDBOX_ZENDESK_RATE_LIMIT,
      snapshotFile: snapshot('zendesk'),
      seed: true,
    });
    return {
      salesforce,
      zendesk,
      close: async () => {
        await Promise.all([salesforce.close(), zendesk.close()]);
      },
    };
  } catch (err) {
    await salesforce.close();
    throw err;
  }
}

/** The environment that points the worker at the sandboxes (their fixed development credentials). */
export function sandboxCredentialEnv(salesforceUrl: string, zendeskUrl: string): NodeJS.ProcessEnv {
  return {
    SALESFORCE_LOGIN_URL: salesforceUrl,
    SALESFORCE_CLIENT_ID: 'sandbox',
    SALESFORCE_CLIENT_SECRET: 'sandbox',
    ZENDESK_URL: zendeskUrl,
    ZENDESK_EMAIL: 'admin@sandbox.test',
    ZENDESK_API_TOKEN: 'sandbox',
  };
}

export function describeSandboxes(s: RunningSandboxes): string {
  return [
    `Salesforce sandbox: ${s.salesforce.url}  (login URL; client id/secret sandbox/sandbox, user admin@sandbox.test / sandbox)`,
    `  REST ${s.salesforce.url}/services/data/v62.0/  ·  CometD ${s.salesforce.url}/cometd/62.0  ·  control ${s.salesforce.url}/__sandbox/`,
    `Zendesk sandbox:    ${s.zendesk.url}  (admin@sandbox.test, API token sandbox)`,
    `  API ${s.zendesk.url}/api/v2/  ·  control ${s.zendesk.url}/__sandbox/`,
  ].join('\n');
}
