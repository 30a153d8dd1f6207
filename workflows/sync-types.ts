/**
 * The data that flows between the record workflow and its activities. Workflow-safe (types and
 * constants only), so both sides import it.
 */
import type { ZendeskChanges } from '../core/mapping';
import type { MembershipChange } from '../core/memberships';
import type { BatchSyncResult } from './bulk-types';
import type { MatchLookup } from '../core/match';
import type { DeleteRule, LeadConversion } from '../core/lifecycle';
import type { SalesforceObject } from '../core/salesforce-object';

export type { ZendeskChanges, MatchLookup, MembershipChange, SalesforceObject };
export type ZendeskKind = 'organization' | 'user';

export const zendeskKindOf = (object: SalesforceObject): ZendeskKind =>
  object === 'Account' ? 'organization' : 'user';

/** `salesforce/Account/001…`: one workflow per Salesforce record, so its changes are serialized. */
export const recordWorkflowId = (object: SalesforceObject, salesforceId: string): string =>
  `salesforce/${object}/${salesforceId}`;

export type SyncOutcomeName =
  | 'created'
  | 'updated'
  | 'unchanged'
  | 'filtered-out'
  | 'skipped-update-only'
  | 'deleted-in-salesforce'
  /** Deleted in Salesforce with `onDelete: tag`: the linked Zendesk record got `deletedTag`. */
  | 'deleted-tagged'
  /** Deleted in Salesforce with `onDelete: unlink`: the link is forgotten. */
  | 'deleted-unlinked'
  /** A merge's losing record (MasterRecordId set), unless `onDelete: ignore`. */
  | 'merged'
  /** Undeleted in Salesforce after a delete the sync acted on: what it did was undone, then a full pass. */
  | 'restored'
  /** A converted Lead: nothing is written (core/lifecycle.ts). */
  | 'lead-converted'
  /** users.multipleOrganizations: a contact that is not its user's syncing record added memberships only. */
  | 'membership-added'
  | 'failed';

export interface OutcomeEntry {
  outcome: SyncOutcomeName;
  /** For `failed`: the FailureType. */
  failure?: string;
  message?: string;
  zendeskId?: number;
  /** Machine-readable context, e.g. the candidate IDs of MultipleMatches or Zendesk's validation details. */
  details?: unknown;
  /** ISO timestamp (workflow time). */
  at: string;
  trigger: ChangeSource;
  /** What the pass did to the user's organizations (memberships added, organization replaced, default). */
  organizations?: MembershipChange;
}

export type ChangeSource = 'created' | 'cdc' | 'reconcile' | 'bulk-resync' | 'resync' | 'gap';

/** A request for a sync pass. Several arriving during one pass coalesce into one. */
export interface ChangeNotice {
  source: ChangeSource;
  /** CDC changedFields, when known; informational (the pass re-reads the record). */
  changedFields?: string[];
  /** Force a full pass even when the mapped values did not change. */
  force?: boolean;
}

export interface RecordLink {
  zendeskId: number;
  /** How the link was made: found by the match criterion, or created by this sync. */
  via: 'matched' | 'created';
  linkedAt: string;
  /**
   * Users: the organization this sync last made the linked user's default. A default that is neither
   * this nor the contact's own organization was set by hand and is kept (core/memberships.ts).
   */
  defaultOrganizationId?: number;
  /**
   * users.multipleOrganizations: the Salesforce Id of the linked user's syncing record (this record's
   * own Id when it is the one that writes the user's fields).
   */
  syncingRecord?: string;
}

/**
 * An activity of the current pass failed and will be tried again: sent by the activity itself (a
 * `retrying` signal, activities/sync/run-classified.ts) just before it reports the failed attempt.
 */
export interface RetryReport {
  /** The activity type, e.g. writeZendesk. */
  activity: string;
  /** The FailureType of the failed attempt. */
  failure: string;
  message: string;
  /** Temporal's attempt number of the attempt that just failed (every earlier failure counted). */
  attempt: number;
  /** ISO: the activity's first failure in this pass. */
  since: string;
  /** ISO: this failure. */
  at: string;
  /** ISO: when the next attempt starts. */
  nextRetryAt: string;
  /** ISO: when retrying this failure type stops and the pass fails (workflows/failure-types.ts). */
  giveUpAt?: string;
}

/** What the sync did in Zendesk for a record deleted (or merged away) in Salesforce, to undo on undelete. */
export interface DeletionRecord {
  /** ISO (workflow time). */
  at: string;
  outcome: 'deleted-tagged' | 'deleted-unlinked' | 'merged';
  /** The Zendesk record the Salesforce record was linked to. */
  zendeskId: number;
  /** The tag the sync added to it (removed again on undelete). */
  tag?: string;
  /** The link was forgotten (`unlink`); an undelete matches again. */
  unlinked: boolean;
  /** Its external_id, the record's own Salesforce Id, was cleared. */
  externalIdCleared?: boolean;
  /** For a merge: the winning record's Salesforce Id. */
  mergedInto?: string;
}

/** Everything a record workflow must remember; carried across continue-as-new. */
export interface RecordState {
  object: SalesforceObject;
  salesforceId: string;
  /** The record's name at the last pass, for the UI's details. Optional: older histories lack it. */
  label?: string;
  link?: RecordLink;
  /** The linked Zendesk ID was written back to Salesforce (once per link: again only if the record is relinked). */
  writtenBack: boolean;
  /** Fingerprint of the mapped values at the last successful write. */
  fingerprint?: string;
  /**
   * Fingerprint of the mapped values the last pass read, whatever its outcome (a failed pass too). Lets
   * reconciliation tell a missed mapped change from an unmapped one on a record that never synced.
   */
  seenFingerprint?: string;
  /** Set while an activity of the running pass is between failed attempts; cleared when the pass ends. */
  retrying?: RetryReport;
  outcomes: OutcomeEntry[];
  /** Set while the record is deleted in Salesforce and the sync acted on it (tag, unlink, merge). */
  deleted?: DeletionRecord;
  /** Set once a pass found the Lead converted. */
  converted?: LeadConversion & { at: string };
  lastError?: { type: string; message: string; at: string; details?: unknown };
  passes: number;
}

/** Knobs of the record workflow with production defaults; tests lower them to reach edge cases quickly. */
export interface RecordTuning {
  /** Passes per run before continue-as-new (default 100), even when the server does not suggest it. */
  passesPerRun?: number;
  /**
   * Activity start-to-close timeout in ms (default 2 minutes): the longest one activity may take.
   */
  activityTimeoutMs?: number;
  /**
   * Activity heartbeat timeout in ms (default 30 s): how long a pass waits before an activity whose
   * worker died without reporting back is retried on another worker.
   */
  heartbeatTimeoutMs?: number;
}

export interface SyncRecordInput {
  object: SalesforceObject;
  salesforceId: string;
  state?: RecordState;
  pending?: ChangeNotice;
  /** A bulk batch result not yet applied (carried across continue-as-new, like `pending`). */
  pendingBatch?: BatchSyncResult;
  /** Carried across continue-as-new. */
  tuning?: RecordTuning;
}

/** Result of fetch + filter + mapping, computed by the worker from its configuration. */
export type SyncPlan =
  /**
   * Not found by `query`. `mergedInto`: queryAll found it deleted by a merge (MasterRecordId). `rule`: the
   * section's delete settings (absent only from plans made before they existed).
   */
  | { kind: 'deleted'; mergedInto?: string; rule?: DeleteRule }
  /** A converted Lead. */
  | { kind: 'converted'; conversion: LeadConversion }
  | { kind: 'disabled'; reason: string }
  | { kind: 'filtered-out'; reasons: string[] }
  | {
      kind: 'sync';
      fingerprint: string;
      /** A short human label for summaries, e.g. the account name. Not PII-free: kept out of search attributes. */
      label: string;
      mode: 'upsert' | 'update-only';
      /** Absent only for a linked record without a usable match key (used if the link is lost). */
      match: MatchLookup | undefined;
      /**
       * `externalId: true`: the record's own Salesforce Id, looked up as Zendesk external_id before
       * `match` (activities/sync/own-id-match.ts). Absent in plans made before it existed.
       */
      externalIdFirst?: string;
      /** The Salesforce AccountId of a contact, for organization membership. */
      accountId?: string;
      /** users.secondaryRelationships: the contact's other accounts (AccountContactRelation, not direct). */
      secondaryAccountIds?: string[];
      /**
       * users.multipleOrganizations: several contacts may share the user; only its syncing record writes
       * the user's fields (workflows/syncing-record.ts).
       */
      sharedUsers?: boolean;
      /** Salesforce field to write the Zendesk ID back to, if configured and not yet written. */
      syncedIdField?: string;
      /** The current value of syncedIdField in Salesforce (lets write-back stay exactly-once across retries). */
      syncedIdValue?: string | null;
      changes: ZendeskChanges;
    };

export type MatchResult =
  | { kind: 'none' }
  | { kind: 'one'; zendeskId: number }
  | { kind: 'many'; candidateIds: number[] }
  | { kind: 'protected'; zendeskId: number; role: string };

export interface WriteRequest {
  object: SalesforceObject;
  salesforceId: string;
  /** Update this record; absent = create. */
  zendeskId?: number;
  changes: ZendeskChanges;
  /** For users: the organization to join, resolved from the contact's account link. */
  organizationId?: number;
  /** For users: the organizations of the contact's secondary accounts (AccountContactRelation). */
  secondaryOrganizationIds?: number[];
  /** For users: the organization the sync last made the user's default (RecordLink.defaultOrganizationId). */
  syncDefaultOrganizationId?: number;
  /**
   * For users: another contact is the syncing record of this shared user; only memberships are added
   * (never its fields, identities or tags, never its default organization).
   */
  membershipsOnly?: boolean;
  /**
   * Create only: the match that found nothing. A search-backed value is claimed before the create, so a
   * record with the same value syncing meanwhile links instead of duplicating (workflows/match-claim.ts).
   */
  match?: MatchLookup;
}

export type WriteResult =
  | {
      kind: 'written';
      zendeskId: number;
      created: boolean;
      /** Users: what the write did to the user's organizations, if anything. */
      organizations?: MembershipChange;
      /** Users: the organization the sync has made the user's default (kept in RecordLink). */
      defaultOrganizationId?: number;
    }
  | { kind: 'link-lost' } // the linked Zendesk record no longer exists
  | { kind: 'protected'; zendeskId: number; role: string };
