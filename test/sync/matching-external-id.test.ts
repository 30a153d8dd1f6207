/**
 * Zendesk external_id on the real stack (issue #15, item 2):
 * - externalId: true looks the record's own Salesforce Id up as external_id before the configured
 *   criterion, so a legacy organization (keyed by the Account Id by an earlier integration, since renamed
 *   in Salesforce) or user is linked instead of the create failing on the taken external_id; a legacy
 *   15-character Id counts too.
 * - externalId: false lets a Salesforce field fill external_id; a value another Zendesk record holds fails
 *   the pass before anything is written, naming that record's ID.
 */
import assert from 'node:assert/strict';
import type { ZendeskOrganization as Org, ZendeskUser as User } from '../../activities/zendesk/client';
import { syncConfig } from '../fixtures/sync-config';
import { startStack, type Stack } from '../helpers/stack';

const orgsOf = async (stack: Stack): Promise<Org[]> =>
  (await stack.zendesk.get('organizations').json<{ organizations: Org[] }>()).organizations;
const createOrg = async (stack: Stack, organization: Record<string, unknown>): Promise<Org> =>
  (await stack.zendesk.post('organizations', { json: { organization } }).json<{ organization: Org }>())
    .organization;
/** Zendesk requests other than reads since the log was last reset. */
const writes = (stack: Stack): string[] =>
  Object.keys(stack.zd.log.summary().byEndpoint).filter((route) => !route.startsWith('GET '));

describe('external_id: the Salesforce Id first, legacy records relinked (end to end)', function () {
  this.timeout(60_000);
  let stack: Stack;

  before(async () => {
    stack = await startStack(); // accounts and users with externalId: true, matched on Name and Email
  });
  after(async () => {
    await stack?.close();
  });

  it('links a legacy organization holding the Account Id after a rename, instead of failing the create', async () => {
    const id = (await stack.salesforce.sobject('Account').create({ Name: 'Renamed Rockets Ltd' })).id!;
    const legacy = await createOrg(stack, { name: 'Old Rockets GmbH', external_id: id });
    const before = (await orgsOf(stack)).length;

    await stack.notify('Account', id, { source: 'created' });
    const outcome = await stack.waitForPasses('Account', id, 1);
    assert.equal(outcome.outcome, 'updated', JSON.stringify(outcome));
    assert.equal(outcome.zendeskId, legacy.id);

    const orgs = await orgsOf(stack);
    assert.equal(orgs.length, before, 'no second organization');
    const org = orgs.find((o) => o.id === legacy.id)!;
    assert.equal(org.name, 'Renamed Rockets Ltd', 'the mapped name is written over the legacy one');
    assert.equal(org.external_id, id);
    const state = await stack.state('Account', id);
    assert.deepEqual([state.link?.zendeskId, state.link?.via], [legacy.id, 'matched']);
    assert.equal(state.writtenBack, true);
    const account = await stack.salesforce.sobject('Account').retrieve(id);
    assert.equal(account.Zendesk_Organization_Id__c, String(legacy.id), 'the ID is written back');
  });

  it('prefers the organization holding the Id over one the name matches', async () => {
    const id = (await stack.salesforce.sobject('Account').create({ Name: 'Twin Peaks Co' })).id!;
    const byName = await createOrg(stack, { name: 'Twin Peaks Co' });
    const byId = await createOrg(stack, { name: 'Twin Peaks (legacy)', external_id: id.toLowerCase() });
    await stack.notify('Account', id, { source: 'created' });
    const outcome = await stack.waitForPasses('Account', id, 1);
    // The Id is unambiguous, so it wins; the name the legacy organization would take belongs to the other
    // organization, which Zendesk refuses (names are unique), so the pass fails visibly instead of
    // writing the wrong organization.
    assert.equal(outcome.outcome, 'failed', JSON.stringify(outcome));
    assert.equal(outcome.failure, 'ZendeskRejected');
    assert.match(
      outcome.message ?? '',
      /^PUT organizations\/\{id\} answered 422 RecordInvalid: name: DuplicateValue/,
    );
    const orgs = await orgsOf(stack);
    const legacy = orgs.find((o) => o.id === byId.id)!;
    const untouched = orgs.find((o) => o.id === byName.id)!;
    assert.deepEqual([legacy.name, legacy.external_id], ['Twin Peaks (legacy)', id.toLowerCase()]);
    assert.equal(untouched.external_id, null, 'the organization the name matches is not written');
    assert.equal(orgs.filter((o) => o.name.startsWith('Twin Peaks')).length, 2, 'nothing created');
  });

  it('links an organization that holds the 15-character form of the Id, and writes the 18-character one', async () => {
    const id = (await stack.salesforce.sobject('Account').create({ Name: 'Short Id Holdings' })).id!;
    assert.equal(id.length, 18);
    const legacy = await createOrg(stack, { name: 'Short Id (old CRM)', external_id: id.slice(0, 15) });
    await stack.notify('Account', id, { source: 'created' });
    const outcome = await stack.waitForPasses('Account', id, 1);
    assert.equal(outcome.outcome, 'updated', JSON.stringify(outcome));
    assert.equal(outcome.zendeskId, legacy.id);
    const org = (await orgsOf(stack)).find((o) => o.id === legacy.id)!;
    assert.equal(org.external_id, id);
  });

  it('does not take an organization whose 15-character external_id differs from the Id only in case', async () => {
    const id = (await stack.salesforce.sobject('Account').create({ Name: 'Case Matters Inc' })).id!;
    const short = id.slice(0, 15);
    const flipped =
      short.slice(0, 3) +
      [...short.slice(3)].map((c) => (c === c.toLowerCase() ? c.toUpperCase() : c.toLowerCase())).join('');
    assert.notEqual(flipped, short, 'the Id has letters to flip');
    const other = await createOrg(stack, { name: 'Another Account (old CRM)', external_id: flipped });
    await stack.notify('Account', id, { source: 'created' });
    const outcome = await stack.waitForPasses('Account', id, 1);
    assert.equal(outcome.outcome, 'created', JSON.stringify(outcome));
    assert.notEqual(outcome.zendeskId, other.id);
  });

  it('links a legacy user holding the Contact Id although its email differs', async () => {
    const id = (
      await stack.salesforce
        .sobject('Contact')
        .create({ FirstName: 'Lee', LastName: 'Legacy', Email: 'lee.new@legacy.example' })
    ).id!;
    const legacy = (
      await stack.zendesk
        .post('users', {
          json: {
            user: { name: 'L. Legacy', email: 'lee.old@legacy.example', external_id: id },
            skip_verify_email: true,
          },
        })
        .json<{ user: User }>()
    ).user;
    await stack.notify('Contact', id, { source: 'created' });
    const outcome = await stack.waitForPasses('Contact', id, 1);
    assert.equal(outcome.outcome, 'updated', JSON.stringify(outcome));
    assert.equal(outcome.zendeskId, legacy.id);
    const user = (await stack.zendesk.get(`users/${legacy.id}`).json<{ user: User }>()).user;
    assert.equal(user.name, 'Lee Legacy');
  });
});

describe('external_id mapped from a Salesforce field (end to end)', function () {
  this.timeout(60_000);
  let stack: Stack;

  before(async () => {
    const config = syncConfig({
      accounts: {
        externalId: false,
        fields: [
          { salesforce: 'Name', zendesk: 'name' },
          { salesforce: 'AccountNumber', zendesk: 'external_id' },
        ],
      },
    });
    stack = await startStack({ config });
  });
  after(async () => {
    await stack?.close();
  });

  it('writes the field to external_id on create and on update', async () => {
    const id = (
      await stack.salesforce.sobject('Account').create({ Name: 'Mapped Id Corp', AccountNumber: ' ERP-100 ' })
    ).id!;
    await stack.notify('Account', id, { source: 'created' });
    const created = await stack.waitForPasses('Account', id, 1);
    assert.equal(created.outcome, 'created', JSON.stringify(created));
    const orgId = created.zendeskId!;
    const find = async () => (await orgsOf(stack)).find((o) => o.id === orgId)!;
    assert.equal((await find()).external_id, 'ERP-100');

    await stack.salesforce.sobject('Account').update({ Id: id, AccountNumber: 'ERP-101' });
    await stack.notify('Account', id, { source: 'cdc', changedFields: ['AccountNumber'] });
    assert.equal((await stack.waitForPasses('Account', id, 2)).outcome, 'updated');
    assert.equal((await find()).external_id, 'ERP-101');

    await stack.salesforce.sobject('Account').update({ Id: id, AccountNumber: null });
    await stack.notify('Account', id, { source: 'cdc', changedFields: ['AccountNumber'] });
    assert.equal((await stack.waitForPasses('Account', id, 3)).outcome, 'updated');
    assert.equal((await find()).external_id, null, 'an empty field clears external_id');
  });

  it('fails a create whose external_id another organization holds, naming it, before writing anything', async () => {
    const holder = await createOrg(stack, { name: 'Holder Of ERP-200', external_id: 'ERP-200' });
    const id = (
      await stack.salesforce.sobject('Account').create({ Name: 'Clashing Corp', AccountNumber: 'erp-200' })
    ).id!;
    stack.zd.log.reset();
    await stack.notify('Account', id, { source: 'created' });
    const outcome = await stack.waitForPasses('Account', id, 1);
    assert.equal(outcome.outcome, 'failed', JSON.stringify(outcome));
    assert.equal(outcome.failure, 'ExternalIdTaken');
    assert.match(outcome.message ?? '', new RegExp(`held by Zendesk organization ${holder.id}\\b`));
    assert.doesNotMatch(outcome.message ?? '', /erp-200/i, 'the value stays out of the message');
    assert.deepEqual(writes(stack), [], 'nothing was written to Zendesk');
    assert.ok(!(await orgsOf(stack)).some((o) => o.name === 'Clashing Corp'));
    const state = await stack.state('Account', id);
    assert.equal(state.link, undefined);
    assert.deepEqual(state.lastError?.details, { field: 'external_id', value: 'erp-200', heldBy: holder.id });
  });

  it('fails an update to a taken external_id without writing the linked organization', async () => {
    const holder = await createOrg(stack, { name: 'Holder Of ERP-300', external_id: 'ERP-300' });
    const id = (
      await stack.salesforce.sobject('Account').create({ Name: 'Moving Id Ltd', AccountNumber: 'ERP-301' })
    ).id!;
    await stack.notify('Account', id, { source: 'created' });
    const orgId = (await stack.waitForPasses('Account', id, 1)).zendeskId!;

    await stack.salesforce
      .sobject('Account')
      .update({ Id: id, Name: 'Moving Id Ltd (renamed)', AccountNumber: 'ERP-300' });
    stack.zd.log.reset();
    await stack.notify('Account', id, { source: 'cdc', changedFields: ['Name', 'AccountNumber'] });
    const outcome = await stack.waitForPasses('Account', id, 2);
    assert.equal(outcome.failure, 'ExternalIdTaken', JSON.stringify(outcome));
    assert.match(
      outcome.message ?? '',
      new RegExp(`held by Zendesk organization ${holder.id}\\b.*organization ${orgId}\\b`),
    );
    assert.deepEqual(writes(stack), []);
    const org = (await orgsOf(stack)).find((o) => o.id === orgId)!;
    assert.deepEqual([org.name, org.external_id], ['Moving Id Ltd', 'ERP-301']);
  });
});
