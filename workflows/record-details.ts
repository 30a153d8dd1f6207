/**
 * What the Temporal UI shows for a record workflow: the Markdown "current details" and the one-line
 * summary of each activity call. Workflow-safe (pure string building).
 *
 * Summaries are stored unencrypted in the history, and current details are a query answer that is only
 * encrypted when SYNC_ENCRYPTION_KEYS is set; both are shown to every UI user. So they name records by
 * Salesforce and Zendesk IDs and fields by their names, and never carry a record's values: no name,
 * email or phone (an account's name can be a person's, and a match value can be anything).
 */
import type { DeleteAction, LeadConversion } from '../core/lifecycle';
import { describeMembershipChange } from '../core/memberships';
import type {
  DeletionRecord,
  MatchLookup,
  OutcomeEntry,
  RecordState,
  RetryReport,
  SalesforceObject,
  ZendeskChanges,
} from './sync-types';
import { zendeskKindOf } from './sync-types';

/** Longest field name shown in a summary. */
export const SUMMARY_VALUE_MAX = 60;

export function truncate(value: string, max = SUMMARY_VALUE_MAX): string {
  const oneLine = value.replace(/\s+/g, ' ').trim();
  return oneLine.length > max ? `${oneLine.slice(0, max - 1)}…` : oneLine;
}

const capitalize = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);

/** `fetch Account 001…` */
export function fetchSummary(object: SalesforceObject, salesforceId: string): string {
  return `fetch ${object} ${salesforceId}`;
}

/** `match by name`: the Zendesk field matched on, never the value (a name, an email, a phone…). */
export function matchSummary(lookup: MatchLookup): string {
  return `match by ${matchField(lookup)}`;
}

/** The Zendesk field a lookup matches on: `name`, `external_id`, `email`, `organization_fields.<key>`… */
export function matchField(lookup: MatchLookup): string {
  switch (lookup.kind) {
    case 'organization_by_name':
      return 'name';
    case 'organization_by_external_id':
    case 'user_by_external_id':
      return 'external_id';
    case 'organization_by_domain':
      return 'domain_names';
    case 'organization_by_custom_field':
      return `organization_fields.${truncate(lookup.key)}`;
    case 'user_by_email':
      return 'email';
    case 'user_by_phone':
      return 'phone';
    case 'user_by_custom_field':
      return `user_fields.${truncate(lookup.key)}`;
  }
}

function countFields(fields: ZendeskChanges['fields']): number {
  let n = 0;
  for (const value of Object.values(fields)) {
    // organization_fields / user_fields: count the custom fields inside, not the container.
    n += value !== null && typeof value === 'object' && !Array.isArray(value) ? Object.keys(value).length : 1;
  }
  return n;
}

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

/** `update organization 123: 3 fields, 2 tags` or `create organization: 3 fields` */
export function writeSummary(
  object: SalesforceObject,
  zendeskId: number | undefined,
  changes: ZendeskChanges,
): string {
  const kind = zendeskKindOf(object);
  const parts = [plural(countFields(changes.fields), 'field')];
  if (changes.tagsToAdd.length) parts.push(plural(changes.tagsToAdd.length, 'tag'));
  if (changes.emailsToAdd.length) parts.push(plural(changes.emailsToAdd.length, 'email identity'));
  if (changes.phonesToAdd.length) parts.push(plural(changes.phonesToAdd.length, 'phone identity'));
  const target = zendeskId === undefined ? `create ${kind}` : `update ${kind} ${zendeskId}`;
  return `${target}: ${parts.join(', ')}`;
}

/** `write back Zendesk_Organization_Id__c = 123` */
export function writeBackSummary(field: string, zendeskId: number): string {
  return `write back ${field} = ${zendeskId}`;
}

/** `find organization of account 001…` */
export function findOrganizationSummary(accountId: string): string {
  return `find organization of account ${accountId}`;
}

/** `tag organization 123 salesforce_deleted`, `unlink organization 123`, `merge into Account 001…: …` */
export function deletionSummary(
  object: SalesforceObject,
  zendeskId: number,
  action: Exclude<DeleteAction, { kind: 'none' }>,
): string {
  const target = `${zendeskKindOf(object)} ${zendeskId}`;
  switch (action.kind) {
    case 'tag':
      return `tag ${target} ${action.tag}`;
    case 'unlink':
      return `unlink ${target}`;
    case 'merge':
      return `merge into ${object} ${action.masterId}: tag ${target} ${action.tag}${action.unlink ? ', unlink' : ''}`;
  }
}

/** `remove tag salesforce_deleted from organization 123` */
export function undoDeletionSummary(object: SalesforceObject, zendeskId: number, tags: string[]): string {
  return `remove tag ${tags.join(', ')} from ${zendeskKindOf(object)} ${zendeskId}`;
}

/** `Lead 00Q… was converted to Contact 003… (Account 001…) on 2024-05-01`: IDs only. */
export function convertedMessage(object: SalesforceObject, salesforceId: string, c: LeadConversion): string {
  const to = c.contactId ? `Contact ${c.contactId}` : 'a contact';
  const account = c.accountId ? ` (Account ${c.accountId})` : '';
  return `${object} ${salesforceId} was converted to ${to}${account}${c.date ? ` on ${c.date}` : ''}`;
}

/** What the sync did for a deleted record: `deleted; organization 123 tagged salesforce_deleted`. */
export function deletionLine(object: SalesforceObject, d: DeletionRecord): string {
  const target = `${zendeskKindOf(object)} ${d.zendeskId}`;
  const parts = [
    d.mergedInto ? `merged into ${object} ${d.mergedInto}` : 'deleted',
    ...(d.tag ? [`${target} tagged ${d.tag}`] : []),
    ...(d.unlinked ? [`link to ${target} forgotten`] : []),
    ...(d.externalIdCleared ? ['its external_id cleared'] : []),
  ];
  return parts.join('; ');
}

/**
 * First line: `Account 001… → Organization 123`. The record's name (`state.label`) stays out: it is a
 * person's name for a contact or lead. The `state` query (a payload) keeps it.
 */
export function headline(state: RecordState): string {
  const kind = capitalize(zendeskKindOf(state.object));
  const target = state.link ? `${kind} ${state.link.zendeskId}` : `${kind} (not linked yet)`;
  return `**${state.object} ${state.salesforceId} → ${target}**`;
}

/**
 * `Retrying: **ZendeskAuthFailed**, attempt 4 of writeZendesk (since …; next try …; gives up …): <message>`
 */
export function retryingLine(r: RetryReport): string {
  const when = [
    `since ${r.since}`,
    `next try ${r.nextRetryAt}`,
    ...(r.giveUpAt ? [`gives up ${r.giveUpAt}`] : []),
  ];
  return `Retrying: **${r.failure}**, attempt ${r.attempt} of ${r.activity} (${when.join('; ')}): ${r.message.replace(/\n/g, ' ')}`;
}

/**
 * The outcome as one phrase: `updated`, `failed (ZendeskRejected)`, or with what it did to the user's
 * organizations: `updated: organization 12 replaced by 34`.
 */
export function outcomeText(entry: OutcomeEntry): string {
  const organizations = entry.organizations ? describeMembershipChange(entry.organizations) : '';
  return `${entry.outcome}${entry.failure ? ` (${entry.failure})` : ''}${organizations ? `: ${organizations}` : ''}`;
}

/** `this record (writes the user's fields)` or `Contact 003… (this record only adds memberships)`. */
export function syncingRecordText(state: RecordState): string {
  const holder = state.link?.syncingRecord;
  if (holder === undefined) return '';
  return holder === state.salesforceId
    ? "this record (it writes the user's fields)"
    : `Contact ${holder} (this record only adds organization memberships)`;
}

export function renderDetails(state: RecordState): string {
  const kind = zendeskKindOf(state.object);
  const last = state.outcomes[0];
  const lines = [
    headline(state),
    '',
    `- Link: ${state.link ? `${kind} ${state.link.zendeskId} (${state.link.via} ${state.link.linkedAt})` : 'not linked yet'}`,
    `- Write-back: ${state.writtenBack ? 'done' : 'not done'}`,
    `- Last outcome: ${last ? `${outcomeText(last)} at ${last.at}, trigger ${last.trigger}` : 'none'}`,
  ];
  if (state.deleted)
    lines.push(`- In Salesforce: ${deletionLine(state.object, state.deleted)} (${state.deleted.at})`);
  if (state.converted)
    lines.push(
      `- In Salesforce: ${convertedMessage(state.object, state.salesforceId, state.converted)}; nothing more is synced from it`,
    );
  if (state.link?.defaultOrganizationId !== undefined)
    lines.push(`- Default organization set by the sync: ${state.link.defaultOrganizationId}`);
  if (state.link?.syncingRecord !== undefined)
    lines.push(`- Syncing record of ${kind} ${state.link.zendeskId}: ${syncingRecordText(state)}`);
  if (state.retrying) lines.push(`- ${retryingLine(state.retrying)}`);
  if (state.lastError) {
    lines.push(`- Last error: **${state.lastError.type}**: ${state.lastError.message.replace(/\n/g, ' ')}`);
  }
  lines.push(`- Passes: ${state.passes}`);
  return lines.join('\n');
}
