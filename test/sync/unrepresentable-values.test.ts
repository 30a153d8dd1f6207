/**
 * No silent loss (issue 13 items 1-4), end to end on the real stack (sandboxes, Temporal dev server, a
 * real worker): a value Zendesk cannot hold fails the pass before anything is written and shows in the
 * record's state, the SyncFailure search attribute, the UI's current details, `sfzd failures` /
 * `sfzd status` / `sfzd dry-run`; an option added through Zendesk's field API is used by the next pass
 * with no restart; multi-picklists map to a multiselect through a value map, never to a dropdown without
 * a rule; phones are normalised to E.164 or refused; the configuration that stops fitting the schemas
 * fails its records visibly instead of stopping the worker.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import type { DryRunView } from '../../client/cli/dry-run';
import type { LoggedRequest } from '../../sandbox/common/request-log';
import { configHealth, startHealthServer } from '../../worker/health';
import { SyncFailure } from '../../workflows/search-attributes';
import { recordWorkflowId } from '../../workflows/sync-types';
import { runSfzd } from '../helpers/sfzd';
import { syncConfig, type SyncConfigInput } from '../fixtures/sync-config';
import { useStack } from '../helpers/stack';

interface Org {
  id: number;
  name: string;
  organization_fields: Record<string, unknown>;
}
interface User {
  id: number;
  name: string;
  phone: string | null;
  email: string | null;
}
interface FieldDef {
  id: number;
  key: string;
  custom_field_options: Array<{ id: number; name: string; value: string }>;
}

const INDUSTRY_FIELD = {
  key: 'industry',
  type: 'dropdown',
  title: 'Industry',
  custom_field_options: [
    { name: 'Retail', value: 'retail' },
    { name: 'Technology', value: 'technology' },
  ],
};
const SEGMENTS_FIELD = {
  key: 'segments',
  type: 'multiselect',
  title: 'Segments',
  custom_field_options: [
    { name: 'Small business', value: 'seg_smb' },
    { name: 'Mid-market', value: 'seg_mid' },
    { name: 'Enterprise', value: 'seg_enterprise' },
  ],
};

function config(users: Record<string, unknown> = {}): SyncConfigInput {
  return syncConfig({
    accounts: {
      fields: [
        { salesforce: 'Name', zendesk: 'name' },
        { salesforce: 'Industry', zendesk: 'organization_fields.industry' },
        {
          salesforce: 'Segment__c',
          zendesk: 'organization_fields.segments',
          values: {
            SMB: 'seg_smb',
            Mid_Market: 'seg_mid',
            Enterprise: 'seg_enterprise',
            Public_Sector: null,
            Strategic: null,
          },
        },
      ],
    },
    users,
  });
}

/** Zendesk writes among logged requests: anything but a read. */
const writes = (entries: LoggedRequest[]) =>
  entries.filter((e) => e.method !== 'GET' && e.path.startsWith('/api/v2/')).map((e) => e.route);

describe('No silent loss of values (end to end)', function () {
  this.timeout(90_000);

  const ctx = useStack({
    config: config({ phone: { normalise: 'e164', defaultRegion: 'US' } }),
    organizationFields: [INDUSTRY_FIELD, SEGMENTS_FIELD],
  });

  const sfzd = (...argv: string[]) => runSfzd(ctx.stack, ...argv);
  async function eventually<T>(ask: () => Promise<T>, ok: (v: T) => boolean, timeoutMs = 15_000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const v = await ask();
      if (ok(v) || Date.now() > deadline) return v;
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  const orgsNamed = async (name: string): Promise<Org[]> =>
    (await ctx.stack.zendesk.get('organizations').json<{ organizations: Org[] }>()).organizations.filter(
      (o) => o.name === name,
    );
  const usersWithEmail = async (email: string): Promise<User[]> =>
    (await ctx.stack.zendesk.get('users').json<{ users: User[] }>()).users.filter((u) => u.email === email);

  it('an Industry value without a dropdown option fails the pass with nothing written, visibly everywhere', async () => {
    const id = (
      await ctx.stack.salesforce
        .sobject('Account')
        .create({ Name: 'Harvest Fields Ltd', Industry: 'Agriculture' })
    ).id!;
    const mark = ctx.stack.zd.log.entries().length;
    await ctx.stack.notify('Account', id, { source: 'created' });
    const outcome = await ctx.stack.waitForPasses('Account', id, 1);
    assert.equal(outcome.outcome, 'failed', JSON.stringify(outcome));
    assert.equal(outcome.failure, 'ValueNotRepresentable');
    // The message names the fields and the options Zendesk accepts, never the value itself.
    assert.match(
      outcome.message ?? '',
      /Industry → organization_fields\.industry: the value matches no option; Zendesk accepts an option of Zendesk dropdown 'industry': retail \(Retail\), technology \(Technology\)/,
    );
    assert.ok(!(outcome.message ?? '').includes('Agriculture'), outcome.message);

    // Nothing was written: not one non-GET request reached Zendesk, and no organization exists.
    const seen = ctx.stack.zd.log.entries().slice(mark);
    assert.deepEqual(writes(seen), []);
    assert.ok(
      seen.some((e) => e.route === 'GET /api/v2/organization_fields'),
      'the definitions were read again first',
    );
    assert.deepEqual(await orgsNamed('Harvest Fields Ltd'), []);

    // The value is in the record's state, as the failure's details (a payload).
    const state = await ctx.stack.state('Account', id);
    assert.deepEqual(state.lastError?.type, 'ValueNotRepresentable');
    assert.deepEqual(
      (
        state.lastError?.details as { values: Array<{ salesforce: string; value: unknown; reason: string }> }
      ).values.map((v) => [v.salesforce, v.value, v.reason]),
      [['Industry', 'Agriculture', 'no-option']],
    );

    // Temporal UI: the SyncFailure search attribute and the current details.
    const handle = ctx.stack.client.workflow.getHandle(recordWorkflowId('Account', id));
    const attr = await eventually(
      async () => (await handle.describe()).typedSearchAttributes.get(SyncFailure),
      (v) => v === 'ValueNotRepresentable',
    );
    assert.equal(attr, 'ValueNotRepresentable');
    const metadata = await handle.query<{ currentDetails?: string }>('__temporal_workflow_metadata');
    assert.match(
      metadata.currentDetails ?? '',
      /Last error: \*\*ValueNotRepresentable\*\*: Zendesk cannot hold a mapped value/,
    );

    // sfzd failures and sfzd status, human output: the failure type, the fields and the value.
    const failures = await eventually(
      () => sfzd('failures', 'Account', '--type', 'ValueNotRepresentable'),
      (r) => r.stdout.includes(id),
    );
    assert.equal(failures.code, 0, failures.stderr);
    const row = failures.stdout.split('\n').find((l) => l.includes(id)) ?? '';
    assert.match(row, /ValueNotRepresentable/);
    assert.match(row, /\[Industry → organization_fields\.industry: value 'Agriculture' \(no-option\)\]/);
    const status = await sfzd('status', 'Account', id);
    assert.match(status.stdout, /Last error:\s+ValueNotRepresentable: Zendesk cannot hold a mapped value/);
    assert.match(
      status.stdout,
      /Details:\n\s+Industry → organization_fields\.industry: value 'Agriculture' \(no-option\)/,
    );

    // Dry-run gives the same verdict (not a warning), with the value from the details.
    const dry = await sfzd('--json', 'dry-run', 'Account', id);
    const view = JSON.parse(dry.stdout) as DryRunView;
    assert.equal(view.verdict, 'failed');
    assert.match(view.message, /^ValueNotRepresentable: /);
    assert.equal(view.failure?.type, 'ValueNotRepresentable');
    const human = await sfzd('dry-run', 'Account', id);
    assert.match(
      human.stdout,
      /Details:\n\s+Industry → organization_fields\.industry: value 'Agriculture' \(no-option\)/,
    );
  });

  it('after the option is added through Zendesk’s field API, a resync lands the value with no restart', async () => {
    const id = (
      await ctx.stack.salesforce
        .sobject('Account')
        .create({ Name: 'Orchard Growers Co', Industry: 'Agriculture' })
    ).id!;
    await ctx.stack.notify('Account', id, { source: 'created' });
    assert.equal((await ctx.stack.waitForPasses('Account', id, 1)).failure, 'ValueNotRepresentable');

    // An admin adds the option in Zendesk: PUT with the whole option list (the existing ones by id).
    const field = (
      await ctx.stack.zendesk.get('organization_fields/industry').json<{ organization_field: FieldDef }>()
    ).organization_field;
    await ctx.stack.zendesk.put(`organization_fields/${field.id}`, {
      json: {
        organization_field: {
          custom_field_options: [
            ...field.custom_field_options,
            { id: null, name: 'Agriculture', value: 'agriculture' },
          ],
        },
      },
    });

    await ctx.stack.notify('Account', id, { source: 'resync', force: true });
    const outcome = await ctx.stack.waitForPasses('Account', id, 2);
    assert.equal(outcome.outcome, 'created', JSON.stringify(outcome));
    const [org] = await orgsNamed('Orchard Growers Co');
    assert.equal(org?.organization_fields.industry, 'agriculture');
  });

  it('maps a multi-picklist to a multiselect through its value map; a value mapped to null is left out on purpose', async () => {
    const id = (
      await ctx.stack.salesforce
        .sobject('Account')
        .create({ Name: 'Segmented Inc', Industry: 'Retail', Segment__c: 'SMB;Enterprise;Public_Sector' })
    ).id!;
    await ctx.stack.notify('Account', id, { source: 'created' });
    assert.equal((await ctx.stack.waitForPasses('Account', id, 1)).outcome, 'created');
    const [org] = await orgsNamed('Segmented Inc');
    assert.deepEqual([...(org?.organization_fields.segments as string[])].sort(), [
      'seg_enterprise',
      'seg_smb',
    ]);
    assert.equal(org?.organization_fields.industry, 'retail');
  });

  it('a multi-picklist to a dropdown without a pick: rule is a configuration error naming the field', async () => {
    const bad = config();
    const accounts = bad.accounts as { fields: Array<Record<string, unknown>> };
    // The multi-picklist takes the dropdown's place (one Salesforce field per Zendesk field).
    accounts.fields = [
      accounts.fields[0]!,
      {
        salesforce: 'Segment__c',
        zendesk: 'organization_fields.industry',
        values: {
          SMB: 'retail',
          Mid_Market: 'retail',
          Enterprise: 'technology',
          Public_Sector: null,
          Strategic: null,
        },
      },
    ];
    const file = join(mkdtempSync(join(tmpdir(), 'sfzd-pick-')), 'sync.config.yaml');
    writeFileSync(file, stringify(bad));
    const run = await sfzd('--json', 'config', 'validate', file, '--online');
    assert.equal(run.code, 1, run.stderr);
    const out = JSON.parse(run.stdout) as {
      valid: boolean;
      issues: Array<{ path: string; message: string }>;
    };
    assert.equal(out.valid, false);
    assert.deepEqual(
      out.issues.map((i) => i.path),
      ['accounts.fields[1].pick'],
    );
    assert.match(
      out.issues[0]!.message,
      /Zendesk dropdown 'industry' holds one option but multi-picklist Segment__c/,
    );
  });

  it('config validate --online lists the picklist values that have no place in Zendesk', async () => {
    const run = await sfzd('--json', 'config', 'validate', '--online');
    assert.equal(run.code, 1, run.stderr);
    const out = JSON.parse(run.stdout) as {
      valid: boolean;
      uncoveredValues: Array<{ path: string; message: string }>;
    };
    assert.equal(out.valid, true);
    const industry = out.uncoveredValues.find((u) => u.path === 'accounts.fields[1]');
    // Every Salesforce Industry value without an option, Agriculture gone since the previous test added it.
    assert.match(
      industry?.message ?? '',
      /^Industry values with no option in Zendesk dropdown 'industry': Apparel, Banking, /,
    );
    assert.ok(!/\bAgriculture\b|\bRetail\b|\bTechnology\b/.test(industry!.message), industry!.message);
    const human = await sfzd('config', 'validate', '--online');
    assert.match(human.stdout, /have no place in Zendesk/);
    assert.match(human.stdout, /accounts\.fields\[1\]\s+Industry values with no option/);
  });

  it('normalises a contact phone to E.164', async () => {
    const id = (
      await ctx.stack.salesforce
        .sobject('Contact')
        .create({ LastName: 'Dialtone', Email: 'dialtone@example.test', Phone: '(415) 555-2671' })
    ).id!;
    await ctx.stack.notify('Contact', id, { source: 'created' });
    assert.equal((await ctx.stack.waitForPasses('Contact', id, 1)).outcome, 'created');
    const [user] = await usersWithEmail('dialtone@example.test');
    assert.equal(user?.phone, '+14155552671');
  });

  it('an unparseable phone fails the pass with the rule, the number only in the details', async () => {
    const id = (
      await ctx.stack.salesforce
        .sobject('Contact')
        .create({ LastName: 'Nodial', Email: 'nodial@example.test', Phone: 'ext. 42' })
    ).id!;
    const mark = ctx.stack.zd.log.entries().length;
    await ctx.stack.notify('Contact', id, { source: 'created' });
    const outcome = await ctx.stack.waitForPasses('Contact', id, 1);
    assert.equal(outcome.failure, 'ValueNotRepresentable', JSON.stringify(outcome));
    assert.match(
      outcome.message ?? '',
      /Phone → phone: the number cannot be read as a phone number; Zendesk accepts a valid phone number for rule users\.phone\.normalise: e164 \(numbers without a country code are read as US\)/,
    );
    assert.ok(!(outcome.message ?? '').includes('ext. 42'));
    assert.deepEqual(writes(ctx.stack.zd.log.entries().slice(mark)), []);
    assert.deepEqual(await usersWithEmail('nodial@example.test'), []);
    const state = await ctx.stack.state('Contact', id);
    assert.deepEqual(
      (state.lastError?.details as { values: Array<{ value: unknown }> }).values.map((v) => v.value),
      ['ext. 42'],
    );
  });
});

describe('Phones Zendesk refuses (end to end)', function () {
  this.timeout(90_000);
  const usersWithEmail = async (email: string): Promise<User[]> =>
    (await ctx.stack.zendesk.get('users').json<{ users: User[] }>()).users.filter((u) => u.email === email);

  const ctx = useStack(
    { organizationFields: [INDUSTRY_FIELD, SEGMENTS_FIELD], config: config() },
    {
      beforeClose: async () => {
        ctx.stack.zd.updateSettings({ validatePhoneNumbers: false });
      },
    },
  );

  it('a refused phone is written before the other fields, so a pass never half-applies; then it is caught before writing', async () => {
    const email = 'halfway@example.test';
    const id = (
      await ctx.stack.salesforce
        .sobject('Contact')
        .create({ LastName: 'Halfway', Email: email, Phone: '+14155550123' })
    ).id!;
    await ctx.stack.notify('Contact', id, { source: 'created' });
    assert.equal((await ctx.stack.waitForPasses('Contact', id, 1)).outcome, 'created');

    // An admin turns "Validate user phone numbers" on; the worker's last read says it is off.
    await ctx.stack.zendesk.put('account/settings', {
      json: { settings: { user: { end_user_phone_number_validation: true } } },
    });
    await ctx.stack.salesforce
      .sobject('Contact')
      .update({ Id: id, LastName: 'Halfway-Renamed', Phone: '415 555 0100' });
    await ctx.stack.notify('Contact', id);
    const refused = await ctx.stack.waitForPasses('Contact', id, 2);
    assert.equal(refused.failure, 'ZendeskRejected', JSON.stringify(refused));
    const [user] = await usersWithEmail(email);
    assert.equal(user?.name, 'Halfway', 'the name was not written: the phone identity went first and failed');

    // The human output shows Zendesk's own per-field reason, not only "Record validation errors".
    const { stdout } = await runSfzd(ctx.stack, 'status', 'Contact', id);
    assert.match(stdout, /Details:\n\s+value: InvalidFormat: Value 415 555 0100 is not properly formatted/);

    // The refusal made the worker read Zendesk's settings again: the next pass is refused before any write.
    const mark = ctx.stack.zd.log.entries().length;
    await ctx.stack.notify('Contact', id, { source: 'resync', force: true });
    const caught = await ctx.stack.waitForPasses('Contact', id, 3);
    assert.equal(caught.failure, 'ValueNotRepresentable', JSON.stringify(caught));
    assert.match(
      caught.message ?? '',
      /Phone → phone: the number is not in E\.164 format; Zendesk accepts E\.164 only/,
    );
    assert.deepEqual(writes(ctx.stack.zd.log.entries().slice(mark)), []);
  });
});

describe('Schema drift under a running worker (end to end)', function () {
  this.timeout(90_000);

  const ctx = useStack({
    organizationFields: [INDUSTRY_FIELD, SEGMENTS_FIELD],
    config: config(),
    schemaRefreshMs: 300,
  });

  async function eventually(ok: () => boolean, timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!ok()) {
      if (Date.now() > deadline) throw new Error('timed out');
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  it('a Zendesk field deleted under a running worker fails the affected records (ConfigInvalid), shown on /healthz; recreating it recovers', async () => {
    const field = (
      await ctx.stack.zendesk.get('organization_fields/industry').json<{ organization_field: FieldDef }>()
    ).organization_field;
    await ctx.stack.zendesk.delete(`organization_fields/${field.id}`);
    // Noticed by the interval refresh (SCHEMA_REFRESH_EVERY, here 300 ms): no restart, no crash.
    await eventually(() => ctx.stack.syncContext.current().issues.length > 0);
    // /healthz (the worker's health endpoint, wired as worker/run-worker.ts wires it) lists the issues.
    const server = await startHealthServer({ getState: () => 'RUNNING' }, 0, '127.0.0.1', () =>
      configHealth(ctx.stack.syncContext.current()),
    );
    try {
      const res = await fetch(`http://127.0.0.1:${server.port}/healthz`);
      assert.equal(res.status, 200, 'a schema change is no reason to restart the worker');
      const body = (await res.json()) as {
        state: string;
        config: { fitsSchemas: boolean; issues: Array<{ path: string; message: string }> };
      };
      assert.equal(body.config.fitsSchemas, false);
      assert.deepEqual(body.config.issues, [
        {
          path: 'accounts.fields[1].zendesk',
          message: "Zendesk organization field 'industry' does not exist",
        },
      ]);
    } finally {
      await server.close();
    }

    const id = (
      await ctx.stack.salesforce.sobject('Account').create({ Name: 'Drifted Co', Industry: 'Retail' })
    ).id!;
    await ctx.stack.notify('Account', id, { source: 'created' });
    const failed = await ctx.stack.waitForPasses('Account', id, 1);
    assert.equal(failed.failure, 'ConfigInvalid', JSON.stringify(failed));
    assert.match(
      failed.message ?? '',
      /no longer fits .*accounts\.fields\[1\]\.zendesk: Zendesk organization field 'industry' does not exist/,
    );
    // Users are not affected by an accounts issue.
    const contact = (
      await ctx.stack.salesforce
        .sobject('Contact')
        .create({ LastName: 'Unaffected', Email: 'unaffected@example.test' })
    ).id!;
    await ctx.stack.notify('Contact', contact, { source: 'created' });
    assert.equal((await ctx.stack.waitForPasses('Contact', contact, 1)).outcome, 'created');

    await ctx.stack.zendesk.post('organization_fields', { json: { organization_field: INDUSTRY_FIELD } });
    await eventually(() => ctx.stack.syncContext.current().issues.length === 0);
    const recovered = configHealth(ctx.stack.syncContext.current()) as { config: { fitsSchemas: boolean } };
    assert.equal(recovered.config.fitsSchemas, true);
    await ctx.stack.notify('Account', id, { source: 'resync', force: true });
    assert.equal((await ctx.stack.waitForPasses('Account', id, 2)).outcome, 'created');
  });
});
