/**
 * Merging Accounts, Contacts or Leads as the org does it (SOAP merge(), Apex merge, the Merge button):
 * up to three records, one master that survives and one or two losers.
 * https://developer.salesforce.com/docs/atlas.en-us.api.meta/api/sforce_api_calls_merge.htm
 *
 * In one transaction (order from "Triggers and Merge Statements",
 * https://developer.salesforce.com/docs/atlas.en-us.apexcode.meta/apexcode/apex_triggers_merge_statements.htm):
 * 1. the losers are deleted with MasterRecordId set to the master (DELETE change events);
 * 2. their child records are re-parented to the master: an account's contacts (AccountId), child accounts
 *    (ParentId) and contact relationships; a contact's relationships and direct reports (ReportsToId).
 *    Re-parenting writes the children, so their objects publish UPDATE events ("one record is deleted (the
 *    loser), one record is updated (the winner), and the children are reparented. With CDC that is all out of
 *    the box": https://salesforcecentral.com/communicate-merged-records-to-systems-using-platform-events-and-change-data-capture/);
 * 3. the master is updated with the field values chosen from the losers (an UPDATE event, LastModifiedDate
 *    always among changedFields).
 */
import { SalesforceApiError } from './errors';
import { normalizeId } from './ids';
import type { SObjectName } from './schema';
import type { RecordStore, StoredRecord, WriteTransaction } from './store';

export type MergeableObject = 'Account' | 'Contact' | 'Lead';
export const MERGEABLE: readonly MergeableObject[] = ['Account', 'Contact', 'Lead'];

export interface MergeRequest {
  type: MergeableObject;
  masterId: string;
  /** One or two records merged into the master. */
  loserIds: string[];
  /** Field values the master takes (chosen from the losers, as in the merge wizard). */
  fields?: Record<string, unknown>;
}

/** SOAP MergeResult. */
export interface MergeResult {
  id: string;
  mergedRecordIds: string[];
  updatedRelatedIds: string[];
  success: true;
  errors: [];
}

const bad = (message: string) => new SalesforceApiError(400, 'INVALID_OPERATION', message);

/** Child references re-parented to the master, per merged object. */
const CHILDREN: Readonly<Record<MergeableObject, readonly { object: SObjectName; field: string }[]>> = {
  Account: [
    { object: 'Contact', field: 'AccountId' },
    { object: 'Account', field: 'ParentId' },
    { object: 'AccountContactRelation', field: 'AccountId' },
  ],
  Contact: [
    { object: 'AccountContactRelation', field: 'ContactId' },
    { object: 'Contact', field: 'ReportsToId' },
  ],
  Lead: [],
};

export function mergeRecords(store: RecordStore, req: MergeRequest, tx: WriteTransaction): MergeResult {
  const masterId = normalizeId(req.masterId) ?? req.masterId;
  const loserIds = req.loserIds.map((id) => normalizeId(id) ?? id);
  // "You can merge up to three records at a time": the master and at most two others.
  if (loserIds.length < 1 || loserIds.length > 2)
    throw bad('A merge takes the master and one or two other records');
  if (new Set([masterId, ...loserIds]).size !== loserIds.length + 1)
    throw bad('A record cannot be merged into itself');

  return store.transaction(() => {
    const { record: master } = store.existing(req.type, masterId);
    const losers = loserIds.map((id) => store.existing(req.type, id).record);
    if (req.type === 'Lead' && [master, ...losers].some((r) => r.IsConverted === true)) {
      throw new SalesforceApiError(400, 'CANNOT_UPDATE_CONVERTED_LEAD', 'cannot reference converted lead');
    }
    if (req.type === 'Account') {
      const person = (r: StoredRecord) => r.IsPersonAccount === true;
      if (losers.some((l) => person(l) !== person(master))) {
        throw bad('Business accounts and person accounts cannot be merged together');
      }
    }

    for (const id of loserIds) store.deleteMergedLoser(req.type, id, masterId, tx);

    const updatedRelatedIds: string[] = [];
    for (const { object, field } of CHILDREN[req.type]) {
      for (const child of store.dump(object)) {
        if (child.IsDeleted === true || !loserIds.includes(String(child[field]))) continue;
        const childId = String(child.Id);
        if (object === 'AccountContactRelation') {
          if (reparentRelation(store, child, field, masterId, tx)) updatedRelatedIds.push(childId);
          continue;
        }
        if (object === 'Contact' && field === 'ReportsToId' && childId === masterId) {
          store.update(object, childId, { [field]: null }, tx);
        } else {
          store.update(object, childId, { [field]: masterId }, tx);
        }
        updatedRelatedIds.push(childId);
      }
    }

    store.update(req.type, masterId, req.fields ?? {}, tx);
    return { id: masterId, mergedRecordIds: loserIds, updatedRelatedIds, success: true, errors: [] };
  });
}

/**
 * Moves a relationship to the master unless the master already has one with the same other side (a contact
 * is related to an account once); the duplicate is removed. Returns whether it was moved.
 */
function reparentRelation(
  store: RecordStore,
  relation: StoredRecord,
  field: string,
  masterId: string,
  tx: WriteTransaction,
): boolean {
  const other = field === 'AccountId' ? 'ContactId' : 'AccountId';
  const duplicate = store
    .dump('AccountContactRelation')
    .some((r) => r.IsDeleted !== true && r[field] === masterId && r[other] === relation[other]);
  // A losing contact's relationships join the master contact as indirect ones: the master keeps its own
  // primary account (its direct relationship).
  const values = field === 'ContactId' ? { [field]: masterId, IsDirect: false } : { [field]: masterId };
  store.relinkRelation(String(relation.Id), duplicate ? undefined : values, tx);
  return !duplicate;
}
