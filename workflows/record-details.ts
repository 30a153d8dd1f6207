/**
 * What the Temporal UI shows for a record workflow: the Markdown "current details" and the one-line
 * summary of each activity call. Workflow-safe (pure string building).
 *
 * Summaries are stored unencrypted in the history and shown to every UI user, so they never carry
 * e-mail addresses or phone numbers; names and IDs only, truncated.
 */
import { describeMembershipChange } from '../core/memberships';
import type {
  MatchLookup,
  OutcomeEntry,
  RecordState,
  RetryReport,
  SalesforceObject,
  ZendeskChanges,
} from './sync-types';
import { zendeskKindOf } from './sync-types';

/** Longest value shown in a summary; a match value can be a long free-text name. */
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

/** `match by name = "Acme"`; e-mail values are never shown. */
export function matchSummary(lookup: MatchLookup): string {
  switch (lookup.kind) {
    case 'organization_by_name':
      return `match by name = "${truncate(lookup.value)}"`;
    case 'organization_by_external_id':
    case 'user_by_external_id':
      return `match by external_id = "${truncate(lookup.value)}"`;
    case 'user_by_email':
      return 'match by email';
    case 'user_by_custom_field':
      // A custom field may hold anything (a phone, an address): name the field, not the value.
      return `match by user_fields.${truncate(lookup.key)}`;
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

/** First line: `Account 001… "Acme" → Organization 123`. */
export function headline(state: RecordState): string {
  const kind = capitalize(zendeskKindOf(state.object));
  const label = state.label ? ` "${truncate(state.label.replace(/["*_`[\]]/g, ''))}"` : '';
  const target = state.link ? `${kind} ${state.link.zendeskId}` : `${kind} (not linked yet)`;
  return `**${state.object} ${state.salesforceId}${label} → ${target}**`;
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
