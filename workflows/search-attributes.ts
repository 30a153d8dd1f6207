/**
 * Custom search attributes: what an operator filters on in the Temporal UI (`SyncOutcome="failed"`).
 * They are never encrypted by payload codecs, so they hold IDs and outcomes only, never PII.
 */
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

export const SalesforceObject = defineSearchAttributeKey('SalesforceObject', SearchAttributeType.KEYWORD);
export const SalesforceId = defineSearchAttributeKey('SalesforceId', SearchAttributeType.KEYWORD);
export const ZendeskId = defineSearchAttributeKey('ZendeskId', SearchAttributeType.KEYWORD);
export const SyncOutcome = defineSearchAttributeKey('SyncOutcome', SearchAttributeType.KEYWORD);
export const SyncFailure = defineSearchAttributeKey('SyncFailure', SearchAttributeType.KEYWORD);
export const LastSyncedAt = defineSearchAttributeKey('LastSyncedAt', SearchAttributeType.DATETIME);
/**
 * While a pass's activity is between failed attempts: the failure type of the last one
 * (`SyncRetrying IS NOT NULL` lists every record retrying now). Cleared when the pass ends.
 */
export const SyncRetrying = defineSearchAttributeKey('SyncRetrying', SearchAttributeType.KEYWORD);
/** With SyncRetrying: Temporal's attempt number of the activity's last failed attempt. */
export const SyncAttempt = defineSearchAttributeKey('SyncAttempt', SearchAttributeType.INT);

export const ALL_SEARCH_ATTRIBUTES = [
  SalesforceObject,
  SalesforceId,
  ZendeskId,
  SyncOutcome,
  SyncFailure,
  LastSyncedAt,
  SyncRetrying,
  SyncAttempt,
];

/** The same list as `--search-attribute Name=Type` flags for `temporal server start-dev`. */
export function searchAttributeFlags(): string[] {
  const cliType: Record<string, string> = {
    KEYWORD: 'Keyword',
    DATETIME: 'Datetime',
    TEXT: 'Text',
    INT: 'Int',
    DOUBLE: 'Double',
    BOOL: 'Bool',
    KEYWORD_LIST: 'KeywordList',
  };
  return ALL_SEARCH_ATTRIBUTES.flatMap((key) => ['--search-attribute', `${key.name}=${cliType[key.type]}`]);
}
