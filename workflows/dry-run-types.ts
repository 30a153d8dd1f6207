/**
 * What `sfzd dry-run` reports: the verdict of one would-be sync pass and, for a write, the Zendesk
 * requests it would send with a field-by-field diff against the current Zendesk record.
 * Workflow-safe (types and constants only), so the workflow, its activities and the CLI share it.
 */
import type { SalesforceObject, ZendeskChanges, ZendeskKind } from './sync-types';

/** `dry-run/Account/001…/<uuid>`: its own workflow, never the record's, so nothing queues on the record. */
export const dryRunWorkflowId = (object: SalesforceObject, salesforceId: string, nonce: string): string =>
  `dry-run/${object}/${salesforceId}/${nonce}`;

export type DryRunVerdict =
  | 'would-create'
  | 'would-update'
  | 'no-change'
  | 'filtered-out'
  | 'skipped-update-only'
  | 'multiple-matches'
  | 'protected'
  | 'deleted-in-salesforce'
  | 'lead-converted'
  | 'disabled'
  | 'failed';

/** One row of the diff: `set` overwrites, `append` adds to what Zendesk has (tags, emails, phones). */
export interface DiffRow {
  field: string;
  current: unknown;
  new: unknown;
  op: 'set' | 'append';
  changed: boolean;
}

/** One HTTP request the sync would send (path relative to the Zendesk API root, `/api/v2/`). */
export interface WouldSend {
  method: 'POST' | 'PUT';
  path: string;
  body: unknown;
}

export interface DryRunPreviewInput {
  object: SalesforceObject;
  salesforceId: string;
  /** Update this record; absent = create. */
  zendeskId?: number;
  changes: ZendeskChanges;
  organizationId?: number;
  /** As WriteRequest: secondary organizations, the default the sync set, memberships only. */
  secondaryOrganizationIds?: number[];
  syncDefaultOrganizationId?: number;
  membershipsOnly?: boolean;
}

export type DryRunPreview =
  | { kind: 'link-lost' }
  | { kind: 'protected'; zendeskId: number; role: string }
  | { kind: 'write'; create: boolean; zendeskId?: number; diff: DiffRow[]; requests: WouldSend[] };

export interface DryRunResult {
  object: SalesforceObject;
  salesforceId: string;
  zendeskKind: ZendeskKind;
  verdict: DryRunVerdict;
  /** One line for humans: why, or what would happen. */
  message: string;
  /** How the Zendesk record was found: the record workflow's existing link, or the match criterion. */
  foundBy?: 'link' | 'match';
  zendeskId?: number;
  candidateIds?: number[];
  diff: DiffRow[];
  requests: WouldSend[];
  /** The Salesforce field the Zendesk ID would be written back to (on a new link), if configured. */
  writeBack?: { field: string; current: string | null };
  /**
   * For `failed`: the failure a pass would end with and its details (e.g. the values Zendesk cannot
   * hold, for ValueNotRepresentable). Details can carry record values: they stay in payloads.
   */
  failure?: { type: string; details?: unknown };
}
