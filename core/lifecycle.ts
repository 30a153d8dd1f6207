/**
 * What the sync does when a Salesforce record stops being a live record: a converted Lead, a deleted,
 * undeleted or merged Account/Contact/Lead. Pure rules (no I/O), shared by the listener, the activities and
 * the record workflow.
 *
 * Salesforce facts they rest on:
 * - Conversion sets IsConverted, ConvertedDate, ConvertedAccountId and ConvertedContactId on the lead, whose
 *   change event names them in changedFields; the converted lead is read-only from then on.
 *   https://developer.salesforce.com/docs/atlas.en-us.change_data_capture.meta/change_data_capture/cdc_standard_objects_lead_conversion.htm
 * - A merge deletes the losing records with MasterRecordId set to the winner; the DELETE change event has no
 *   fields (CometD), so a merge is told from a delete by reading the loser with queryAll.
 *   https://developer.salesforce.com/docs/atlas.en-us.apexcode.meta/apexcode/apex_triggers_merge_statements.htm ,
 *   https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/dome_queryall.htm
 */
import type { OnDelete } from './config/schema';
import { getFieldValue, toBoolean, type SalesforceRecord } from './record';

/** The Lead fields a pass reads to tell a converted lead (added to its query). */
export const LEAD_CONVERSION_FIELDS = [
  'IsConverted',
  'ConvertedDate',
  'ConvertedAccountId',
  'ConvertedContactId',
] as const;

export interface LeadConversion {
  contactId?: string;
  accountId?: string;
  /** `YYYY-MM-DD` */
  date?: string;
}

const text = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

/** The conversion of a Lead record, or undefined when it is not converted. */
export function leadConversion(record: SalesforceRecord): LeadConversion | undefined {
  if (toBoolean(getFieldValue(record, 'IsConverted')) !== true) return undefined;
  const contactId = text(getFieldValue(record, 'ConvertedContactId'));
  const accountId = text(getFieldValue(record, 'ConvertedAccountId'));
  const date = text(getFieldValue(record, 'ConvertedDate'));
  return {
    ...(contactId ? { contactId } : {}),
    ...(accountId ? { accountId } : {}),
    ...(date ? { date } : {}),
  };
}

/** A Lead UPDATE that converts it: a pass must run even when IsConverted is not a mapped field. */
export function isLeadConversionChange(changedFields: readonly string[]): boolean {
  return changedFields.some((f) => f.toLowerCase() === 'isconverted');
}

/** A section's delete settings, as a pass needs them (carried in the plan, so the workflow stays pure). */
export interface DeleteRule {
  onDelete: OnDelete;
  deletedTag: string;
  mergedTag: string;
  /** The section's `externalId`: whether the sync writes the Salesforce Id to Zendesk's external_id. */
  externalId: boolean;
}

/** What a pass does for a record it found deleted in Salesforce. */
export type DeleteAction =
  | { kind: 'none'; reason: 'ignore' | 'not-linked' }
  | { kind: 'tag'; tag: string }
  | { kind: 'unlink' }
  /** A merge's loser: `tag` its Zendesk record (unless it is the winner's too), then forget the link if `unlink`. */
  | { kind: 'merge'; masterId: string; tag: string; unlink: boolean };

/**
 * `ignore` (the default) is Zendesk's own sync: nothing in Zendesk changes. Otherwise a merged record is
 * handled as a merge whatever the setting (tag or unlink), and a deleted one as the setting says.
 */
export function deleteAction(
  rule: DeleteRule,
  record: { linked: boolean; mergedInto?: string },
): DeleteAction {
  if (rule.onDelete === 'ignore') return { kind: 'none', reason: 'ignore' };
  if (!record.linked) return { kind: 'none', reason: 'not-linked' };
  if (record.mergedInto)
    return {
      kind: 'merge',
      masterId: record.mergedInto,
      tag: rule.mergedTag,
      unlink: rule.onDelete === 'unlink',
    };
  return rule.onDelete === 'tag' ? { kind: 'tag', tag: rule.deletedTag } : { kind: 'unlink' };
}

/**
 * Whether a Zendesk record's external_id is the one the sync wrote (`externalId: true` writes the record's
 * own Salesforce Id), so unlinking may clear it. A value anyone else set is left alone. Zendesk compares
 * external_ids case-insensitively.
 */
export function externalIdSetBySync(
  rule: Pick<DeleteRule, 'externalId'>,
  zendeskExternalId: string | null | undefined,
  salesforceId: string,
): boolean {
  if (!rule.externalId || !zendeskExternalId) return false;
  return zendeskExternalId.toLowerCase() === salesforceId.toLowerCase();
}

/** How a merged account's organization relates to the winner's. */
export type MergeTarget = 'same-record' | 'winner-not-linked' | 'apply';

export function mergeTarget(loserZendeskId: number, winnerZendeskId: number | null | undefined): MergeTarget {
  if (winnerZendeskId === null || winnerZendeskId === undefined) return 'winner-not-linked';
  return winnerZendeskId === loserZendeskId ? 'same-record' : 'apply';
}

/**
 * What one member of a merged account's organization gets: agents and admins are never touched; a user whose
 * default organization is the loser's gets the winner's as default (`organization_id`: with multiple
 * organizations off that moves the user, the only membership it can have; on, it joins the winner's and keeps
 * the loser's, as memberships are never deleted); any other member gets a membership of the winner's.
 */
export function winnerMembershipStep(
  user: { role: string; organization_id: number | null },
  loserOrganizationId: number,
): 'skip-protected' | 'set-default' | 'add' {
  if (user.role === 'agent' || user.role === 'admin') return 'skip-protected';
  return user.organization_id === loserOrganizationId ? 'set-default' : 'add';
}
