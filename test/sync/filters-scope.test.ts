/**
 * Sync filters on the real stack: every operator, ALL and ANY groups, case sensitivity, picklist API
 * names, checkbox true/false, numbers and dates. Out-of-scope records end as filtered-out with nothing
 * written; a record that leaves the filter later is left alone in Zendesk (one-way, never deletes).
 * One stack, several records per rule, synced in parallel (each record has its own workflow).
 */
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import got from 'got';
import { stringify } from 'yaml';
import { ConfigError } from '../../core';
import { buildActivityDeps } from '../../worker/build-deps';
import type { OutcomeEntry, SalesforceObject } from '../../workflows/sync-types';
import { syncConfig, type SyncConfigInput } from '../fixtures/sync-config';
import { useStack } from '../helpers/stack';
import type { LoggedRequest } from '../../sandbox/common/request-log';

const accountFilters = {
  all: [
    { field: 'Tier__c', operator: 'is', value: 'Tier_1,Tier_2' }, // picklist API names, any of
    { field: 'Active__c', operator: 'is', value: true }, // checkbox
    { field: 'Name', operator: 'not_contains', value: 'Test' }, // case-sensitive
  ],
  any: [
    { field: 'NumberOfEmployees', operator: 'greater_than', value: 100 },
    { field: 'Health_Score__c', operator: 'less_than', value: 50 },
    { field: 'Country__c', operator: 'starts_with', value: 'Ger' },
  ],
};
const contactFilters = {
  all: [
    { field: 'Email', operator: 'is_not_empty' },
    { field: 'MobilePhone', operator: 'is_empty' },
    { field: 'LeadSource', operator: 'is_not', value: 'Purchased List,Other' }, // none of
  ],
  any: [
    { field: 'Title', operator: 'contains', value: 'Manager,Director' },
    { field: 'Do_Not_Sync__c', operator: 'is', value: false },
    { field: 'Customer_Since__c', operator: 'greater_than', value: '2020-01-01' },
  ],
};

function filterConfig(accountsAll = accountFilters.all): SyncConfigInput {
  // No syncedIdField: Zendesk IDs are not written back to Salesforce here.
  return syncConfig({
    accounts: {
      fields: [{ salesforce: 'Name', zendesk: 'name' }],
      filters: { all: accountsAll, any: accountFilters.any },
      syncedIdField: undefined,
    },
    users: {
      fields: [
        { salesforce: 'Name', zendesk: 'name' },
        { salesforce: 'Email', zendesk: 'email' },
      ],
      filters: contactFilters,
      syncedIdField: undefined,
    },
  });
}

// Name -> [values, in scope?]. Each out-of-scope record breaks exactly one rule; the comment says which.
const ACCOUNTS: Record<string, [Record<string, unknown>, boolean]> = {
  'Flt Tier One Big': [{ Tier__c: 'Tier_1', Active__c: true, NumberOfEmployees: 500 }, true], // is: first value; greater_than
  'Flt Tier Two Unhealthy': [{ Tier__c: 'Tier_2', Active__c: true, Health_Score__c: 20.5 }, true], // is: second value; less_than
  'Flt German': [{ Tier__c: 'Tier_1', Active__c: true, Country__c: 'Germany' }, true], // starts_with
  'Flt test in lowercase': [{ Tier__c: 'Tier_1', Active__c: true, NumberOfEmployees: 101 }, true], // not_contains is case-sensitive
  'Flt Tier Three': [{ Tier__c: 'Tier_3', Active__c: true, NumberOfEmployees: 500 }, false], // is: not among the values
  'Flt No Tier': [{ Active__c: true, NumberOfEmployees: 500 }, false], // is: empty never equals
  'Flt Inactive': [{ Tier__c: 'Tier_1', Active__c: false, NumberOfEmployees: 500 }, false], // checkbox false
  'Flt Test Account': [{ Tier__c: 'Tier_1', Active__c: true, NumberOfEmployees: 500 }, false], // not_contains 'Test'
  'Flt Boundaries': [
    {
      Tier__c: 'Tier_2',
      Active__c: true,
      NumberOfEmployees: 100,
      Health_Score__c: 50,
      Country__c: 'germany',
    },
    false,
  ], // ANY: none (strict >, <, case)
};

const CONTACTS: Record<string, [Record<string, unknown>, boolean]> = {
  'Flt Web': [{ Email: 'web@flt.test', LeadSource: 'Web', Do_Not_Sync__c: false }, true], // checkbox false; is_not passes
  'Flt Manager': [{ Email: 'mgr@flt.test', Do_Not_Sync__c: true, Title: 'Account Manager' }, true], // contains: first value; is_not on empty passes
  'Flt Director': [{ Email: 'dir@flt.test', Do_Not_Sync__c: true, Title: 'Sales Director' }, true], // contains: second value
  'Flt Recent': [{ Email: 'recent@flt.test', Do_Not_Sync__c: true, Customer_Since__c: '2023-05-01' }, true], // date greater_than
  'Flt Purchased': [{ Email: 'bought@flt.test', LeadSource: 'Purchased List', Do_Not_Sync__c: false }, false], // is_not: first value
  'Flt Other': [{ Email: 'other@flt.test', LeadSource: 'Other', Do_Not_Sync__c: false }, false], // is_not: second value
  'Flt No Email': [{ Do_Not_Sync__c: false }, false], // is_not_empty
  'Flt Mobile': [{ Email: 'mobile@flt.test', MobilePhone: '+15555550100', Do_Not_Sync__c: false }, false], // is_empty
  'Flt Lowercase': [
    {
      Email: 'lower@flt.test',
      Do_Not_Sync__c: true,
      Title: 'account manager',
      Customer_Since__c: '2019-12-31',
    },
    false,
  ], // ANY: none
};

describe('Sync filters (end to end)', function () {
  this.timeout(60_000);
  const ids = new Map<string, { object: SalesforceObject; id: string }>();
  const outcomes = new Map<string, OutcomeEntry>();

  const ctx = useStack({ config: filterConfig() });

  const requestLog = async (): Promise<LoggedRequest[]> =>
    (
      await got(`${ctx.stack.zd.url}/__sandbox/requests`, { searchParams: { entries: 1 } }).json<{
        entries: LoggedRequest[];
      }>()
    ).entries;
  const orgNames = async (): Promise<string[]> =>
    (
      await ctx.stack.zendesk.get('organizations').json<{ organizations: Array<{ name: string }> }>()
    ).organizations
      .map((o) => o.name)
      .sort();
  const userNames = async (): Promise<string[]> =>
    (await ctx.stack.zendesk.get('users').json<{ users: Array<{ name: string; role: string }> }>()).users
      .filter((u) => u.role === 'end-user')
      .map((u) => u.name)
      .sort();

  async function syncAll(
    object: 'Account' | 'Contact',
    records: Record<string, [Record<string, unknown>, boolean]>,
    inScope: boolean,
  ): Promise<void> {
    const names = Object.keys(records).filter((n) => records[n]![1] === inScope);
    await Promise.all(
      names.map(async (name) => {
        const values =
          object === 'Account'
            ? { Name: name, ...records[name]![0] }
            : { LastName: name, ...records[name]![0] };
        const res = await ctx.stack.salesforce.sobject(object).create(values);
        assert.ok(res.success, `${name}: ${JSON.stringify(res)}`);
        ids.set(name, { object, id: res.id });
        await ctx.stack.notify(object, res.id, { source: 'created' });
      }),
    );
    await Promise.all(
      names.map(async (name) =>
        outcomes.set(name, await ctx.stack.waitForPasses(object, ids.get(name)!.id, 1)),
      ),
    );
  }

  const namesIn = (records: typeof ACCOUNTS, inScope: boolean) =>
    Object.keys(records).filter((n) => records[n]![1] === inScope);
  const outOfScope = [...namesIn(ACCOUNTS, false), ...namesIn(CONTACTS, false)];

  /** The in-scope records, synced once by whichever test needs them first. */
  let inScopeSynced: Promise<void> | undefined;
  const syncInScope = () =>
    (inScopeSynced ??= (async () => {
      await syncAll('Account', ACCOUNTS, true);
      await syncAll('Contact', CONTACTS, true);
    })());

  it('ends every out-of-scope record as filtered-out, naming the failed condition, and writes nothing', async () => {
    const mark = (await requestLog()).length;
    await syncAll('Account', ACCOUNTS, false);
    await syncAll('Contact', CONTACTS, false);
    const summary = outOfScope.map((name) => [
      name,
      outcomes.get(name)?.outcome,
      outcomes.get(name)?.zendeskId,
    ]);
    assert.deepEqual(
      summary,
      summary.map(([name]) => [name, 'filtered-out', undefined]),
    );
    const reason = (name: string) => outcomes.get(name)?.message ?? '';
    assert.match(reason('Flt Tier Three'), /Tier__c is 'Tier_1,Tier_2' failed \(value: "Tier_3"\)/);
    assert.match(reason('Flt No Tier'), /Tier__c .* \(value: empty\)/);
    assert.match(reason('Flt Inactive'), /Active__c is 'true' failed/);
    assert.match(reason('Flt Test Account'), /Name not_contains 'Test' failed/);
    assert.match(reason('Flt Boundaries'), /^any: none of the conditions hold/);
    assert.match(reason('Flt Purchased'), /LeadSource is_not/);
    assert.match(reason('Flt Other'), /LeadSource is_not/);
    assert.match(reason('Flt No Email'), /Email is_not_empty failed/);
    assert.match(reason('Flt Mobile'), /MobilePhone is_empty failed/);
    assert.match(reason('Flt Lowercase'), /^any: none of the conditions hold/);
    for (const name of ['Flt Tier Three', 'Flt Inactive', 'Flt Purchased', 'Flt Mobile']) {
      assert.doesNotMatch(reason(name), /any:/, `${name} fails only its ALL condition`);
    }
    const writes = (await requestLog()).slice(mark).filter((e) => e.method !== 'GET');
    assert.deepEqual(writes, []);
    // None of them in Zendesk (the in-scope records are, if that test ran first).
    const outOfScopeIn = (names: string[]) => names.filter((n) => outOfScope.includes(n));
    assert.deepEqual(outOfScopeIn(await orgNames()), []);
    assert.deepEqual(outOfScopeIn(await userNames()), []);
  });

  it('syncs every in-scope record', async () => {
    await syncInScope();
    const inScope = (records: typeof ACCOUNTS) => Object.keys(records).filter((n) => records[n]![1]);
    for (const name of [...inScope(ACCOUNTS), ...inScope(CONTACTS)]) {
      assert.equal(outcomes.get(name)?.outcome, 'created', `${name}: ${JSON.stringify(outcomes.get(name))}`);
    }
    assert.deepEqual(await orgNames(), inScope(ACCOUNTS).sort());
    assert.deepEqual(await userNames(), inScope(CONTACTS).sort());
  });

  it('leaves a record that falls out of scope alone in Zendesk: no update, no delete', async () => {
    await syncInScope();
    const account = ids.get('Flt Tier One Big')!.id;
    const contact = ids.get('Flt Web')!.id;
    const orgId = outcomes.get('Flt Tier One Big')!.zendeskId!;
    const userId = outcomes.get('Flt Web')!.zendeskId!;
    const mark = (await requestLog()).length;
    await ctx.stack.salesforce
      .sobject('Account')
      .update({ Id: account, Name: 'Flt Renamed While Inactive', Active__c: false });
    await ctx.stack.salesforce
      .sobject('Contact')
      .update({ Id: contact, LastName: 'Flt Renamed Purchased', LeadSource: 'Purchased List' });
    await Promise.all([
      ctx.stack.notify('Account', account, { source: 'cdc', changedFields: ['Name', 'Active__c'] }),
      ctx.stack.notify('Contact', contact, { source: 'cdc', changedFields: ['LastName', 'LeadSource'] }),
    ]);
    const [a, c] = await Promise.all([
      ctx.stack.waitForPasses('Account', account, 2),
      ctx.stack.waitForPasses('Contact', contact, 2),
    ]);
    assert.equal(a.outcome, 'filtered-out', JSON.stringify(a));
    assert.equal(c.outcome, 'filtered-out', JSON.stringify(c));
    assert.deepEqual(
      (await requestLog()).slice(mark).filter((e) => e.method !== 'GET'),
      [],
    );
    const org = (
      await ctx.stack.zendesk.get(`organizations/${orgId}`).json<{ organization: { name: string } }>()
    ).organization;
    assert.equal(org.name, 'Flt Tier One Big');
    const user = (
      await ctx.stack.zendesk.get(`users/${userId}`).json<{ user: { name: string; active: boolean } }>()
    ).user;
    assert.deepEqual([user.name, user.active], ['Flt Web', true]);

    // The link is kept, so coming back into scope updates the same organization.
    await ctx.stack.salesforce.sobject('Account').update({ Id: account, Active__c: true });
    await ctx.stack.notify('Account', account, { source: 'cdc', changedFields: ['Active__c'] });
    const back = await ctx.stack.waitForPasses('Account', account, 3);
    assert.equal(back.outcome, 'updated', JSON.stringify(back));
    assert.equal(back.zendeskId, orgId);
    const renamed = (
      await ctx.stack.zendesk.get(`organizations/${orgId}`).json<{ organization: { name: string } }>()
    ).organization;
    assert.equal(renamed.name, 'Flt Renamed While Inactive');
  });

  it('refuses at start-up a picklist filter written with the label instead of the API name', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sfzd-filters-'));
    const configPath = join(dir, 'sync.config.yaml');
    const labelled = [
      { field: 'Tier__c', operator: 'is', value: 'Tier 1 (Strategic)' },
      ...accountFilters.all.slice(1),
    ];
    writeFileSync(configPath, stringify(filterConfig(labelled)));
    await assert.rejects(
      buildActivityDeps({
        salesforce: {
          loginUrl: ctx.stack.sf.url,
          apiVersion: '62.0',
          clientId: 'sandbox',
          clientSecret: 'sandbox',
        },
        zendesk: {
          baseUrl: ctx.stack.zd.url,
          auth: { kind: 'token', email: 'admin@sandbox.test', apiToken: 'sandbox' },
        },
        configPath,
        temporal: ctx.stack.client,
      }),
      (err: unknown) => {
        assert.ok(err instanceof ConfigError, String(err));
        assert.deepEqual(err.issues, [
          {
            path: 'accounts.filters.all[0].value',
            message: "'Tier 1 (Strategic)' is a picklist label; filters use the API name 'Tier_1'",
          },
        ]);
        return true;
      },
    );
  });
});
