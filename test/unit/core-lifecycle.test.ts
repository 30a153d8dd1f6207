/** The pure rules of lead conversion, deletes and merges (core/lifecycle.ts) and their configuration. */
import assert from 'node:assert/strict';
import { ConfigError, parseSyncConfig } from '../../core';
import {
  deleteAction,
  externalIdSetBySync,
  isLeadConversionChange,
  leadConversion,
  mergeTarget,
  winnerMembershipStep,
  type DeleteRule,
} from '../../core/lifecycle';
import { lifecycleFields } from '../../activities/sync/deleted-record';

const rule = (onDelete: DeleteRule['onDelete']): DeleteRule => ({
  onDelete,
  deletedTag: 'salesforce_deleted',
  mergedTag: 'salesforce_merged',
  externalId: true,
});

describe('core/lifecycle', () => {
  describe('lead conversion', () => {
    it('reads a converted lead, and nothing from a live one', () => {
      assert.deepEqual(
        leadConversion({
          Id: '00Q1',
          IsConverted: true,
          ConvertedContactId: '003000000000001AAA',
          ConvertedAccountId: '001000000000001AAA',
          ConvertedDate: '2025-03-04',
        }),
        { contactId: '003000000000001AAA', accountId: '001000000000001AAA', date: '2025-03-04' },
      );
      // Field names are case-insensitive in SOQL results read by configuration.
      assert.deepEqual(leadConversion({ isconverted: true, convertedcontactid: null }), {});
      assert.equal(leadConversion({ IsConverted: false, ConvertedContactId: null }), undefined);
      assert.equal(leadConversion({ Id: '00Q1' }), undefined);
    });

    it('triggers on a change event naming IsConverted', () => {
      assert.equal(
        isLeadConversionChange(['Status', 'IsConverted', 'ConvertedDate', 'ConvertedContactId']),
        true,
      );
      assert.equal(isLeadConversionChange(['Status', 'LastModifiedDate']), false);
    });

    it('adds the conversion fields to a Lead query only, without duplicates', () => {
      assert.deepEqual(lifecycleFields('Lead', ['Id', 'Email', 'convertedDate']), [
        'Id',
        'Email',
        'convertedDate',
        'IsConverted',
        'ConvertedAccountId',
        'ConvertedContactId',
      ]);
      assert.deepEqual(lifecycleFields('Contact', ['Id', 'Email']), ['Id', 'Email']);
    });
  });

  describe('deletes and merges', () => {
    it('does nothing with onDelete: ignore (the native sync), whatever the record is', () => {
      assert.deepEqual(deleteAction(rule('ignore'), { linked: true }), { kind: 'none', reason: 'ignore' });
      assert.deepEqual(deleteAction(rule('ignore'), { linked: true, mergedInto: '001W' }), {
        kind: 'none',
        reason: 'ignore',
      });
    });

    it('does nothing for a record that was never linked', () => {
      assert.deepEqual(deleteAction(rule('tag'), { linked: false }), { kind: 'none', reason: 'not-linked' });
      assert.deepEqual(deleteAction(rule('unlink'), { linked: false, mergedInto: '001W' }), {
        kind: 'none',
        reason: 'not-linked',
      });
    });

    it('tags or unlinks a deleted record as configured', () => {
      assert.deepEqual(deleteAction(rule('tag'), { linked: true }), {
        kind: 'tag',
        tag: 'salesforce_deleted',
      });
      assert.deepEqual(deleteAction(rule('unlink'), { linked: true }), { kind: 'unlink' });
    });

    it('handles a merged record as a merge with either setting', () => {
      assert.deepEqual(deleteAction(rule('tag'), { linked: true, mergedInto: '001W' }), {
        kind: 'merge',
        masterId: '001W',
        tag: 'salesforce_merged',
        unlink: false,
      });
      assert.deepEqual(deleteAction(rule('unlink'), { linked: true, mergedInto: '001W' }), {
        kind: 'merge',
        masterId: '001W',
        tag: 'salesforce_merged',
        unlink: true,
      });
    });

    it('clears only an external_id the sync wrote: the record Id, with externalId on', () => {
      const id = '001000000000001AAA';
      assert.equal(externalIdSetBySync({ externalId: true }, id, id), true);
      assert.equal(externalIdSetBySync({ externalId: true }, id.toLowerCase(), id), true);
      assert.equal(externalIdSetBySync({ externalId: true }, 'legacy-42', id), false);
      assert.equal(externalIdSetBySync({ externalId: true }, null, id), false);
      assert.equal(externalIdSetBySync({ externalId: false }, id, id), false);
    });

    it("tells a loser linked to the winner's record from one with its own, and from an unlinked winner", () => {
      assert.equal(mergeTarget(10, 20), 'apply');
      assert.equal(mergeTarget(10, 10), 'same-record');
      assert.equal(mergeTarget(10, null), 'winner-not-linked');
      assert.equal(mergeTarget(10, undefined), 'winner-not-linked');
    });

    it("gives the loser organization's members the winner's, never touching agents and admins", () => {
      assert.equal(winnerMembershipStep({ role: 'end-user', organization_id: 10 }, 10), 'set-default');
      assert.equal(winnerMembershipStep({ role: 'end-user', organization_id: 7 }, 10), 'add');
      assert.equal(winnerMembershipStep({ role: 'end-user', organization_id: null }, 10), 'add');
      assert.equal(winnerMembershipStep({ role: 'agent', organization_id: 10 }, 10), 'skip-protected');
      assert.equal(winnerMembershipStep({ role: 'admin', organization_id: 7 }, 10), 'skip-protected');
    });
  });

  describe('configuration', () => {
    it('defaults to the native behaviour: onDelete ignore, with the default tags', () => {
      const config = parseSyncConfig({ accounts: {}, users: {} });
      for (const section of [config.accounts, config.users]) {
        assert.equal(section.onDelete, 'ignore');
        assert.equal(section.deletedTag, 'salesforce_deleted');
        assert.equal(section.mergedTag, 'salesforce_merged');
      }
    });

    it('takes onDelete per object and stores tags lower-cased, as Zendesk does', () => {
      const config = parseSyncConfig({
        accounts: { onDelete: 'tag', deletedTag: 'SF_Deleted' },
        users: { onDelete: 'unlink', mergedTag: 'merged_in_sf' },
      });
      assert.deepEqual(
        [config.accounts.onDelete, config.accounts.deletedTag, config.users.onDelete, config.users.mergedTag],
        ['tag', 'sf_deleted', 'unlink', 'merged_in_sf'],
      );
    });

    it('refuses an unknown onDelete and a tag Zendesk cannot hold, naming the path', () => {
      let error: unknown;
      try {
        parseSyncConfig({ accounts: { onDelete: 'delete' }, users: { deletedTag: 'deleted in sf' } });
      } catch (err) {
        error = err;
      }
      assert.ok(error instanceof ConfigError);
      assert.deepEqual(
        error.issues.map((i) => [i.path, i.message]),
        [
          ['accounts.onDelete', 'must be one of: ignore, tag, unlink (got "delete")'],
          ['users.deletedTag', 'a Zendesk tag cannot contain spaces or commas'],
        ],
      );
    });
  });
});
