/** The text the Temporal UI shows for a record: activity summaries and current details. */
import assert from 'node:assert/strict';
import {
  deletionSummary,
  findOrganizationSummary,
  matchSummary,
  outcomeText,
  renderDetails,
  truncate,
  writeBackSummary,
  writeSummary,
} from '../../workflows/record-details';
import type { RecordState, ZendeskChanges } from '../../workflows/sync-types';

const changes = (partial: Partial<ZendeskChanges>): ZendeskChanges => ({
  fields: {},
  tagsToAdd: [],
  emailsToAdd: [],
  phonesToAdd: [],
  problems: [],
  ...partial,
});

describe('Record workflow UI text', () => {
  it("summarizes a match by the field only: no name, even an organization's, in a summary", () => {
    assert.equal(matchSummary({ kind: 'organization_by_name', value: 'Acme' }), 'match by name');
    assert.equal(matchSummary({ kind: 'user_by_external_id', value: 'ext-9' }), 'match by external_id');
    const longKey = matchSummary({ kind: 'user_by_custom_field', key: 'k'.repeat(100), value: 'v' });
    assert.equal(longKey, `match by user_fields.${'k'.repeat(59)}…`);
    assert.equal(truncate('a\n  b'), 'a b');
  });

  it('never puts an e-mail address or a custom field value in a match summary', () => {
    assert.equal(matchSummary({ kind: 'user_by_email', value: 'jane@example.com' }), 'match by email');
    const custom = matchSummary({ kind: 'user_by_custom_field', key: 'mobile', value: '+15551234567' });
    assert.equal(custom, 'match by user_fields.mobile');
  });

  it('summarizes writes by counting fields (custom fields one by one), tags and identities', () => {
    const c = changes({
      fields: { name: 'Acme', notes: 'n', organization_fields: { industry: 'Energy', tier: 'gold' } },
      tagsToAdd: ['a', 'b'],
    });
    assert.equal(writeSummary('Account', 123, c), 'update organization 123: 4 fields, 2 tags');
    assert.equal(
      writeSummary('Contact', undefined, changes({ fields: { name: 'J' }, emailsToAdd: ['j@x.test'] })),
      'create user: 1 field, 1 email identity',
    );
    assert.equal(
      writeBackSummary('Zendesk_Organization_Id__c', 123),
      'write back Zendesk_Organization_Id__c = 123',
    );
    assert.equal(findOrganizationSummary('001A'), 'find organization of account 001A');
  });

  it('renders details headed by the record and its link (never its name), then the last error', () => {
    const state: RecordState = {
      object: 'Account',
      salesforceId: '001A',
      label: 'Acme',
      link: { zendeskId: 123, via: 'matched', linkedAt: '2026-01-01T00:00:00.000Z' },
      writtenBack: true,
      outcomes: [
        { outcome: 'failed', failure: 'ZendeskRejected', at: '2026-01-02T00:00:00.000Z', trigger: 'cdc' },
      ],
      lastError: { type: 'ZendeskRejected', message: 'bad\nvalue', at: '2026-01-02T00:00:00.000Z' },
      passes: 2,
    };
    const lines = renderDetails(state).split('\n');
    assert.equal(lines[0], '**Account 001A → Organization 123**');
    assert.ok(!renderDetails(state).includes('Acme'), 'the label stays in the state query');
    assert.ok(lines.includes('- Link: organization 123 (matched 2026-01-01T00:00:00.000Z)'));
    assert.ok(lines.includes('- Write-back: done'));
    assert.ok(lines.includes('- Last error: **ZendeskRejected**: bad value'));
  });

  it('renders a retrying pass: failure type, attempt, activity, when it retries and gives up', () => {
    const lines = renderDetails({
      object: 'Account',
      salesforceId: '001A',
      writtenBack: false,
      outcomes: [],
      passes: 0,
      retrying: {
        activity: 'writeZendesk',
        failure: 'ZendeskAuthFailed',
        message: "PUT organizations/{id} answered 401\nCouldn't authenticate you",
        attempt: 4,
        since: '2026-01-02T00:00:00.000Z',
        at: '2026-01-02T00:03:00.000Z',
        nextRetryAt: '2026-01-02T00:11:00.000Z',
        giveUpAt: '2026-01-03T00:00:00.000Z',
      },
    }).split('\n');
    assert.ok(
      lines.includes(
        "- Retrying: **ZendeskAuthFailed**, attempt 4 of writeZendesk (since 2026-01-02T00:00:00.000Z; next try 2026-01-02T00:11:00.000Z; gives up 2026-01-03T00:00:00.000Z): PUT organizations/{id} answered 401 Couldn't authenticate you",
      ),
      lines.join('\n'),
    );
  });

  it("renders what a pass did to the user's organizations and who the user's syncing record is", () => {
    const member: RecordState = {
      object: 'Contact',
      salesforceId: '003B',
      link: {
        zendeskId: 77,
        via: 'matched',
        linkedAt: '2026-01-01T00:00:00.000Z',
        syncingRecord: '003A',
      },
      writtenBack: true,
      outcomes: [
        {
          outcome: 'membership-added',
          at: '2026-01-02T00:00:00.000Z',
          trigger: 'created',
          zendeskId: 77,
          organizations: { added: [12] },
        },
      ],
      passes: 1,
    };
    const lines = renderDetails(member).split('\n');
    assert.ok(
      lines.includes(
        '- Last outcome: membership-added: joined organization 12 at 2026-01-02T00:00:00.000Z, trigger created',
      ),
      lines.join('\n'),
    );
    assert.ok(
      lines.includes(
        '- Syncing record of user 77: Contact 003A (this record only adds organization memberships)',
      ),
    );
    const owner = renderDetails({
      ...member,
      salesforceId: '003A',
      link: { ...member.link!, syncingRecord: '003A', defaultOrganizationId: 34 },
      outcomes: [
        {
          outcome: 'updated',
          at: '2026-01-03T00:00:00.000Z',
          trigger: 'cdc',
          organizations: { added: [], replaced: { from: 12, to: 34 } },
        },
      ],
    }).split('\n');
    assert.ok(owner.includes("- Syncing record of user 77: this record (it writes the user's fields)"));
    assert.ok(owner.includes('- Default organization set by the sync: 34'));
    assert.ok(owner.some((l) => l.startsWith('- Last outcome: updated: organization 12 replaced by 34 at')));
    assert.equal(
      outcomeText({
        outcome: 'updated',
        at: '',
        trigger: 'cdc',
        organizations: { added: [56], keptDefault: 12 },
      }),
      'updated: joined organization 56; default 12 set by hand kept',
    );
  });

  it('renders details of an old history without a label', () => {
    const first = renderDetails({
      object: 'Contact',
      salesforceId: '003B',
      writtenBack: false,
      outcomes: [],
      passes: 0,
    }).split('\n')[0];
    assert.equal(first, '**Contact 003B → User (not linked yet)**');
  });

  it('renders what the sync did for a deleted or merged record, and a converted lead, by IDs only', () => {
    const merged = renderDetails({
      object: 'Account',
      salesforceId: '001L',
      writtenBack: true,
      outcomes: [],
      passes: 3,
      deleted: {
        at: '2026-01-02T00:00:00.000Z',
        outcome: 'merged',
        zendeskId: 123,
        tag: 'salesforce_merged',
        unlinked: true,
        externalIdCleared: true,
        mergedInto: '001W',
      },
    }).split('\n');
    assert.ok(
      merged.includes(
        '- In Salesforce: merged into Account 001W; organization 123 tagged salesforce_merged; link to organization 123 forgotten; its external_id cleared (2026-01-02T00:00:00.000Z)',
      ),
      merged.join('\n'),
    );
    assert.equal(
      deletionSummary('Contact', 9, {
        kind: 'merge',
        masterId: '003W',
        tag: 'salesforce_merged',
        unlink: false,
      }),
      'merge into Contact 003W: tag user 9 salesforce_merged',
    );
    assert.equal(
      deletionSummary('Account', 5, { kind: 'tag', tag: 'salesforce_deleted' }),
      'tag organization 5 salesforce_deleted',
    );
    const converted = renderDetails({
      object: 'Lead',
      salesforceId: '00QA',
      label: 'Jane Doe',
      writtenBack: true,
      outcomes: [],
      passes: 2,
      converted: { at: '2026-01-02T00:00:00.000Z', contactId: '003C', accountId: '001A', date: '2026-01-02' },
    }).split('\n');
    assert.ok(
      converted.includes(
        '- In Salesforce: Lead 00QA was converted to Contact 003C (Account 001A) on 2026-01-02; nothing more is synced from it',
      ),
      converted.join('\n'),
    );
  });
});
