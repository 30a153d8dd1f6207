/**
 * The batch path of a bulk resync of Accounts: one page of accounts costs a few Zendesk calls instead of
 * one to three per account.
 *
 * 1. One SOQL query for the page, then the same filters, match key, mapping and fingerprint as a pass.
 * 2. Which accounts have a running record workflow: one visibility list per 200 accounts. Only those are
 *    queried for their state (link and pass count); one mid-pass or with a change pending takes the
 *    per-record path instead.
 * 3. Linked: organizations/show_many?ids= (current tags; a missing one = lost link → per-record path).
 *    Unlinked: with externalId, first by the account's own Id (show_many?external_ids=, 18 and 15
 *    characters); then matched with the per-record rule (>1 candidate = MultipleMatches, nothing written): by name
 *    against one listing of the organizations per run (organization-index.ts), by external_id with
 *    show_many?external_ids=.
 * 4. update_many / create_many jobs of up to 100, polled with job_statuses/show_many. A per-item
 *    DuplicateValue or not-found hands the record to the per-record path; any other refusal is that
 *    record's failed outcome with Zendesk's reason.
 * 5. Write-back of new links with Salesforce composite collections (200 a call), once, as a pass does.
 * 6. Each result goes to its record workflow (`batchSynced`), which records it as a pass. With a
 *    write-back field, an account that had no workflow (listed again before the write-back) gets none
 *    unless it failed: its link is the written-back Zendesk ID, which its next change's workflow adopts
 *    (workflows/adopt-link.ts). Starting a workflow per account was the batch path's bottleneck.
 *
 * Tags keep their append semantics: update_many replaces an organization's tags (the OAS has no
 * additional_tags for organizations), so the mapped tags are merged into the tags just read and sent
 * only when one is missing. A tag added in Zendesk between that read and the job is lost; the window is
 * the length of one page's jobs.
 */
import { Context } from '@temporalio/activity';
import { WorkflowNotFoundError } from '@temporalio/client';
import {
  fieldsToFetch,
  ownExternalIdForms,
  ownIdHolder,
  planMatch,
  type MatchLookup,
  type ObjectSyncConfig,
} from '../../core';
import { redactContactValues } from '../../core/redact';
import {
  deliverBatchResult,
  notifyRecordChange,
  readRecordState,
  runningRecordWorkflows,
} from '../../common/record-workflows';
import type {
  BatchCounts,
  BatchPageInput,
  BatchPageResult,
  BatchSyncResult,
} from '../../workflows/bulk-types';
import { FailureType } from '../../workflows/failure-types';
import type { ZendeskChanges } from '../../workflows/sync-types';
import { toSalesforceApiError } from '../salesforce/errors';
import type { SyncDeps } from '../sync/deps';
import { evaluateScope, mapRecord, sectionFor, sectionIssues } from '../sync/fetch-and-plan';
import { runClassified } from '../sync/run-classified';
import { isSalesforceId } from '../sync/salesforce-ids';
import { missingTags, overwriteFields } from '../sync/write-zendesk';
import type { ZendeskJobStatus } from '../zendesk/client';
import { ZendeskApiError } from '../zendesk/errors';
import { normalizeName, type OrganizationIndex, OrganizationIndexCache } from './organization-index';

/** Zendesk's batch endpoints take at most 100 records; Salesforce collections 200. */
const ZENDESK_BATCH = 100;
const SALESFORCE_BATCH = 200;
const MAX_JOB_WAIT_MS = 5 * 60_000;

interface WorkflowView {
  passes: number;
  linkedTo?: number;
  writtenBack: boolean;
  busy: boolean;
  /** No running record workflow (by the visibility list): the batch starts none if it can help it. */
  none?: boolean;
}

/** One record's way through the page. */
interface Item {
  id: string;
  view: WorkflowView;
  record?: Record<string, unknown>;
  changes?: ZendeskChanges;
  fingerprint?: string;
  label?: string;
  syncedIdValue?: string | null;
  /** Set once the record's fate is known. */
  result?: BatchSyncResult;
  fallback?: string;
}

interface Write {
  item: Item;
  body: Record<string, unknown>;
  zendeskId?: number;
  name: string;
}

async function mapLimit<T, R>(items: T[], width: number, fn: (t: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array<R>(items.length);
  let next = 0;
  const run = async () => {
    for (let i = next++; i < items.length; i = next++) out[i] = await fn(items[i]!);
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(width, items.length)) }, run));
  return out;
}

const chunks = <T>(list: T[], size: number): T[][] =>
  Array.from({ length: Math.ceil(list.length / size) }, (_, i) => list.slice(i * size, (i + 1) * size));

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/**
 * The record workflow's state, by query. A workflow that cannot answer (a worker too busy to take the
 * query in time) counts as busy: the record takes the per-record path rather than failing the page.
 */
async function readView(deps: SyncDeps, id: string): Promise<WorkflowView> {
  for (let attempt = 1; ; attempt++) {
    try {
      const s = await readRecordState(deps.temporal, { object: 'Account', salesforceId: id });
      return {
        passes: s.passes,
        linkedTo: s.link?.zendeskId,
        writtenBack: s.writtenBack,
        busy: s.running || s.pending !== undefined,
      };
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) return { passes: 0, writtenBack: false, busy: false };
      if (attempt >= 3) return { passes: -1, writtenBack: false, busy: true };
      await sleep(1_000 * attempt);
    }
  }
}

/** Submits jobs of up to 100 and waits until every one has finished. */
async function runJobs(
  deps: SyncDeps,
  kind: 'create' | 'update',
  writes: Write[],
): Promise<
  Array<{ write: Write; status: ZendeskJobStatus; entry?: NonNullable<ZendeskJobStatus['results']>[number] }>
> {
  const submitted: Array<{ writes: Write[]; job: ZendeskJobStatus }> = [];
  for (const group of chunks(writes, ZENDESK_BATCH)) {
    const bodies = group.map((w) => (kind === 'update' ? { id: w.zendeskId, ...w.body } : w.body));
    const job =
      kind === 'create'
        ? await deps.zendesk.createManyOrganizations(bodies)
        : await deps.zendesk.updateManyOrganizations(bodies);
    submitted.push({ writes: group, job });
  }
  const done = new Map<string, ZendeskJobStatus>();
  const started = Date.now();
  for (let wait = 100; ; wait = Math.min(2_000, wait * 2)) {
    const open = submitted.filter((s) => !done.has(s.job.id) && !isFinished(s.job));
    for (const s of submitted) if (isFinished(s.job)) done.set(s.job.id, s.job);
    if (open.length === 0) break;
    if (Date.now() - started > MAX_JOB_WAIT_MS)
      throw new Error(`Zendesk jobs ${open.map((s) => s.job.id).join(', ')} did not finish in 5 minutes`);
    await sleep(wait);
    Context.current().heartbeat();
    for (const group of chunks(open, ZENDESK_BATCH)) {
      let statuses: ZendeskJobStatus[];
      try {
        statuses = await deps.zendesk.showManyJobStatuses(group.map((s) => s.job.id));
      } catch (err) {
        // A poll is a read: a dropped connection or a 5xx is polled again, instead of failing the page
        // (whose retry would find its own creates and send those accounts down the per-record path).
        if (err instanceof ZendeskApiError && err.code === 'ZENDESK_UNAVAILABLE') continue;
        throw err;
      }
      for (const st of statuses) {
        const s = submitted.find((x) => x.job.id === st.id);
        if (s) s.job = st;
      }
    }
  }
  return submitted.flatMap(({ writes: group, job }) => {
    const results = job.results ?? [];
    return group.map((write, i) => {
      // Failed entries carry `index`; update successes only the id, in request order.
      const entry =
        results.find((r) => r.index === i) ??
        (results.length === group.length && results[i]?.index === undefined ? results[i] : undefined);
      return { write, status: job, entry };
    });
  });
}

/** The organization name a record maps to (mapping Name → name is required for organizations). */
const nameOf = (item: Item): string => {
  const name = item.changes?.fields.name;
  return typeof name === 'string' ? name : (item.label ?? item.id);
};

const isFinished = (job: ZendeskJobStatus) => job.status !== 'queued' && job.status !== 'working';

export function createBatchAccounts(deps: SyncDeps) {
  const indexes = new OrganizationIndexCache(() => deps.zendesk);

  return {
    async batchSyncAccounts(input: BatchPageInput): Promise<BatchPageResult> {
      const ctx = Context.current();
      const beat = setInterval(() => ctx.heartbeat(), 5_000);
      try {
        return await runClassified(deps, () => syncPage(deps, indexes, input, ctx.info.taskQueue));
      } finally {
        clearInterval(beat);
      }
    },
  };
}

async function syncPage(
  deps: SyncDeps,
  indexes: OrganizationIndexCache,
  input: BatchPageInput,
  taskQueue: string,
): Promise<BatchPageResult> {
  const width = Math.max(1, Math.min(100, input.concurrency));
  const ids = input.ids.filter((id) => isSalesforceId('Account', id));
  const found = sectionFor(deps, 'Account');
  const items = await readViews(deps, ids, width);

  if ('disabled' in found) {
    for (const item of items) fallback(item, found.disabled);
  } else if (sectionIssues(deps, 'Account').length > 0) {
    // Each pass then fails visibly with ConfigInvalid, naming the config paths.
    for (const item of items) fallback(item, 'the configuration no longer fits the schemas');
  } else {
    const { section } = found;
    const records = await readPage(deps, ids);
    const sorted = sortItems(deps, section, items, records);
    const writes = new PageWrites(section.mode);
    await planLinked(deps, writes, sorted.linked);
    // The listing of organizations is read once per run when names are matched; it then also answers
    // the own-Id lookups (organization-index.ts).
    const byName = sorted.unlinked.some((i) => matchesByName(section, i));
    const index = byName ? await indexes.get(input.runKey) : undefined;
    const toMatch = section.externalId
      ? await planByOwnId(deps, writes, sorted.unlinked, index)
      : sorted.unlinked;
    sortByMatch(section, toMatch, sorted);
    for (const { item, value } of sorted.byName)
      // The field, never the value: messages are not payloads, and an account's name can be a person's.
      writes.matched(item, index!.find(value), 'name');
    await planByExternalId(deps, writes, sorted.byExternalId);
    await runWrites(deps, writes, index);
    await writeBack(deps, section.syncedIdField, items, width);
  }
  return handOff(deps, taskQueue, items, width, !('disabled' in found) && !!found.section.syncedIdField);
}

/**
 * Each record's workflow state: one visibility list for the page, then a query only to the records that
 * have a running workflow. A record without one reads as `none` (0 passes, not linked).
 */
async function readViews(deps: SyncDeps, ids: string[], width: number): Promise<Item[]> {
  const running = await runningRecordWorkflows(deps.temporal, 'Account', ids);
  const withWorkflow = ids.filter((id) => running.has(id));
  const views = new Map(
    (await mapLimit(withWorkflow, width, (id) => readView(deps, id))).map((v, i) => [withWorkflow[i]!, v]),
  );
  return ids.map((id) => ({
    id,
    view: views.get(id) ?? { passes: 0, writtenBack: false, busy: false, none: true },
  }));
}

/**
 * Whether a result can stand without a record workflow: nothing failed, and a written link is in the
 * write-back field (the only record of it then). A write-back that did not happen for any reason sends
 * the result to a workflow, which holds the link and writes it back: no link is left recorded nowhere.
 */
function linkIsInSalesforce(result: BatchSyncResult): boolean {
  if (result.outcome === 'failed') return false;
  if (result.outcome === 'created' || result.outcome === 'updated') return result.writtenBack === true;
  return true;
}

/**
 * Lists again the records read as having no workflow: one may have started since (a change in
 * Salesforce). Those take the workflow path from here on, with the state their workflow has now.
 */
async function relist(deps: SyncDeps, items: Item[], width: number): Promise<void> {
  const none = items.filter((i) => i.view.none);
  const running = await runningRecordWorkflows(
    deps.temporal,
    'Account',
    none.map((i) => i.id),
  );
  const started = none.filter((i) => running.has(i.id));
  for (const item of started) item.view.none = false;
  await mapLimit(started, width, async (item) => {
    const now = await readView(deps, item.id);
    // Its pass (if it ran) decides; the batch result is then delivered and not adopted as-is.
    if (now.busy || now.passes > 0) item.view.passes = -1;
  });
}

/** The record takes the per-record path (a forced pass), for this reason. */
function fallback(item: Item, why: string): void {
  item.fallback = why;
}

/** The record's fate is known: its result goes to its workflow. */
function finish(item: Item, result: Omit<BatchSyncResult, 'basedOnPasses'>): void {
  item.result = { basedOnPasses: item.view.passes, ...result };
}

/** The page's accounts by Id, in one SOQL query. */
async function readPage(deps: SyncDeps, ids: string[]): Promise<Map<string, Record<string, unknown>>> {
  const { config } = deps.context();
  // Field names come from the validated configuration and the IDs were validated above.
  const soql = `SELECT ${fieldsToFetch(config, 'Account').join(', ')} FROM Account WHERE Id IN (${ids
    .map((id) => `'${id}'`)
    .join(', ')})`;
  const conn = await deps.salesforce.connection();
  let records: Array<Record<string, unknown>> = [];
  if (ids.length > 0) {
    try {
      records = (await conn.query<Record<string, unknown>>(soql, { autoFetch: true, maxFetch: 10_000 }))
        .records;
    } catch (err) {
      throw toSalesforceApiError(err, 'query Account page');
    }
  }
  return new Map(records.map((r) => [r.Id as string, r]));
}

type AccountSection = ObjectSyncConfig;

interface Sorted {
  linked: Item[];
  /** Not linked yet: found by their own Id (externalId), else by the match criterion. */
  unlinked: Item[];
  byName: Array<{ item: Item; value: string }>;
  byExternalId: Array<{ item: Item; value: string }>;
}

/**
 * Filters and maps each record as a pass would, and sorts the ones left by how the batch finds their
 * organization: by link, by name or by external_id. The rest are finished or fall back here.
 */
function sortItems(
  deps: SyncDeps,
  section: AccountSection,
  items: Item[],
  byId: Map<string, Record<string, unknown>>,
): Sorted {
  const sorted: Sorted = { linked: [], unlinked: [], byName: [], byExternalId: [] };
  for (const item of items) {
    if (item.view.busy) {
      fallback(item, 'its workflow is mid-pass or has a change pending');
      continue;
    }
    const record = byId.get(item.id);
    if (!record) {
      finish(item, { outcome: 'deleted-in-salesforce' });
      continue;
    }
    const scope = evaluateScope(deps, 'Account', section, record);
    if (!scope.pass) {
      finish(item, { outcome: 'filtered-out', message: scope.reasons.join('; ') });
      continue;
    }
    const mapped = mapRecord(deps, 'Account', section, record);
    if (mapped.changes.problems.length > 0) {
      // The pass reads Zendesk's definitions again and fails visibly if the value still has no place.
      fallback(item, 'a mapped value has no place in Zendesk as last read');
      continue;
    }
    item.record = record;
    item.changes = mapped.changes;
    item.fingerprint = mapped.fingerprint;
    item.label = typeof record.Name === 'string' ? record.Name.slice(0, 80) : item.id;
    item.syncedIdValue = section.syncedIdField
      ? ((record[section.syncedIdField] as string | null | undefined) ?? null)
      : undefined;
    if (item.view.linkedTo !== undefined) {
      sorted.linked.push(item);
      continue;
    }
    sorted.unlinked.push(item);
  }
  return sorted;
}

/** Whether the record's match criterion looks its organization up by name. */
function matchesByName(section: AccountSection, item: Item): boolean {
  const match = planMatch('organization', section.match, item.record!);
  return match.ok && match.lookup.kind === 'organization_by_name';
}

/** Sorts the unlinked records by how their match criterion finds an organization, by name or external_id. */
function sortByMatch(section: AccountSection, unlinked: Item[], sorted: Sorted): void {
  for (const item of unlinked) {
    const match = planMatch('organization', section.match, item.record!);
    if (!match.ok) {
      finish(item, { outcome: 'failed', failure: FailureType.NoMatchKey, message: match.message });
      continue;
    }
    const lookup: MatchLookup = match.lookup;
    if (lookup.kind === 'organization_by_name') sorted.byName.push({ item, value: lookup.value });
    else if (lookup.kind === 'organization_by_external_id' && !lookup.value.includes(','))
      sorted.byExternalId.push({ item, value: lookup.value });
    else fallback(item, 'its match value cannot go into a show_many list');
  }
}

/**
 * externalId: true: the account's own Id first, in both forms, as a pass does
 * (activities/sync/own-id-match.ts): from the run's listing when there is one, else one show_many per 50
 * accounts. Returns the accounts still unmatched.
 */
async function planByOwnId(
  deps: SyncDeps,
  writes: PageWrites,
  unlinked: Item[],
  index: OrganizationIndex | undefined,
): Promise<Item[]> {
  const toMatch: Item[] = [];
  for (const group of chunks(unlinked, ZENDESK_BATCH / 2)) {
    const ownIds = group.map((item) => String(item.record!.Id));
    const forms = ownIds.flatMap(ownExternalIdForms);
    const orgs: Array<{ id: number; tags?: string[]; external_id: string | null }> = index
      ? index.withExternalIds(forms).map((o) => ({ ...o, external_id: o.external_id ?? null }))
      : await deps.zendesk.showManyOrganizations({ external_ids: forms });
    group.forEach((item, i) => {
      const holder = ownIdHolder(orgs, ownIds[i]!);
      if (holder) writes.update(item, holder.id, holder.tags ?? []);
      else toMatch.push(item);
    });
  }
  return toMatch;
}

/** The page's writes: updates, creates, and the accounts that follow a namesake this page creates. */
class PageWrites {
  readonly creates: Write[] = [];
  readonly updates: Write[] = [];
  /** Accounts named like one this page creates: a sequential sync would match them to it. */
  readonly followers: Array<{ item: Item; leader: Item }> = [];
  private readonly creating = new Map<string, Item>();

  constructor(private readonly mode: AccountSection['mode']) {}

  update(item: Item, zendeskId: number, tags: string[], into = this.updates): void {
    const body = overwriteFields(item.changes!);
    const missing = missingTags(tags, item.changes!.tagsToAdd);
    // update_many replaces the tag list: send the current tags plus the missing mapped ones.
    if (missing.length > 0) body.tags = [...tags, ...missing];
    into.push({ item, body, zendeskId, name: nameOf(item) });
  }

  /** The per-record match rule: >1 candidate = MultipleMatches, none = create (or skip in update-only). */
  matched(item: Item, candidates: Array<{ id: number; tags: string[] }>, what: string): void {
    if (candidates.length > 1) {
      const candidateIds = candidates.map((c) => c.id);
      finish(item, {
        outcome: 'failed',
        failure: FailureType.MultipleMatches,
        message: `${candidateIds.length} Zendesk organizations match on ${what}: ${candidateIds.join(', ')}; nothing was written`,
        details: { candidateIds },
      });
    } else if (candidates[0]) {
      this.update(item, candidates[0].id, candidates[0].tags);
    } else if (this.mode === 'update-only') {
      finish(item, { outcome: 'skipped-update-only' });
    } else {
      const key = normalizeName(nameOf(item));
      const leader = this.creating.get(key);
      if (leader) {
        this.followers.push({ item, leader });
        return;
      }
      this.creating.set(key, item);
      this.creates.push({
        item,
        body: { ...overwriteFields(item.changes!), tags: item.changes!.tagsToAdd },
        name: nameOf(item),
      });
    }
  }
}

/** Linked: one show_many per 100 gives existence and the current tags. */
async function planLinked(deps: SyncDeps, writes: PageWrites, linked: Item[]): Promise<void> {
  for (const group of chunks(linked, ZENDESK_BATCH)) {
    const orgs = await deps.zendesk.showManyOrganizations({ ids: group.map((i) => i.view.linkedTo!) });
    const current = new Map(orgs.map((o) => [o.id, o]));
    for (const item of group) {
      const org = current.get(item.view.linkedTo!);
      if (org) writes.update(item, org.id, org.tags ?? []);
      else fallback(item, `linked organization ${item.view.linkedTo} no longer exists`);
    }
  }
}

/** Unlinked, matched by external_id: one show_many per 100. */
async function planByExternalId(
  deps: SyncDeps,
  writes: PageWrites,
  byExternalId: Sorted['byExternalId'],
): Promise<void> {
  for (const group of chunks(byExternalId, ZENDESK_BATCH)) {
    const orgs = await deps.zendesk.showManyOrganizations({ external_ids: group.map((g) => g.value) });
    for (const { item, value } of group) {
      const candidates = orgs.filter(
        (o) => o.external_id?.trim().toLowerCase() === value.trim().toLowerCase(),
      );
      writes.matched(item, candidates, 'external_id');
    }
  }
}

type JobResult = Awaited<ReturnType<typeof runJobs>>[number] & { created: boolean };

/** Updates and creates, then the followers' updates of what their namesakes created. */
async function runWrites(
  deps: SyncDeps,
  writes: PageWrites,
  index: OrganizationIndex | undefined,
): Promise<void> {
  settle(
    [
      ...(await runJobs(deps, 'update', writes.updates)).map((r) => ({ ...r, created: false })),
      ...(await runJobs(deps, 'create', writes.creates)).map((r) => ({ ...r, created: true })),
    ],
    index,
  );
  // Followers update the organization their namesake just created, after it, as in a sequential sync.
  const followerUpdates: Write[] = [];
  for (const { item, leader } of writes.followers) {
    const made = leader.result?.outcome === 'created' ? leader.result.zendeskId : undefined;
    if (made !== undefined) writes.update(item, made, leader.changes!.tagsToAdd, followerUpdates);
    else fallback(item, 'the account of the same name on this page was not created by the batch');
  }
  settle(
    (await runJobs(deps, 'update', followerUpdates)).map((r) => ({ ...r, created: false })),
    index,
  );
}

/**
 * Each job entry's fate: written, handed to the per-record path (DuplicateValue, not found, a job that
 * did not complete), or failed with Zendesk's reason.
 */
function settle(written: JobResult[], index: OrganizationIndex | undefined): void {
  for (const { write, status, entry, created } of written) {
    const { item } = write;
    const zendeskId = created ? entry?.id : write.zendeskId;
    const ok = entry !== undefined && !entry.error && entry.success !== false && zendeskId !== undefined;
    if (ok) {
      finish(item, {
        outcome: created ? 'created' : 'updated',
        zendeskId,
        created,
        fingerprint: item.fingerprint,
        label: item.label,
      });
      if (created) {
        const externalId = typeof write.body.external_id === 'string' ? write.body.external_id : null;
        index?.add(write.name, { id: zendeskId, tags: item.changes!.tagsToAdd, external_id: externalId });
      }
    } else if (!entry || status.status !== 'completed') {
      fallback(item, `Zendesk job ${status.id} ended ${status.status}`);
    } else if (
      entry.error === 'DuplicateValue' ||
      entry.error === 'RecordNotFound' ||
      entry.error === 'ZENDESK_NOT_FOUND'
    ) {
      if (!created && write.zendeskId !== undefined && entry.error !== 'DuplicateValue')
        index?.remove(write.zendeskId);
      fallback(item, `Zendesk answered ${entry.error}${entry.details ? `: ${entry.details}` : ''}`);
    } else {
      finish(item, {
        outcome: 'failed',
        failure: FailureType.ZendeskRejected,
        // Zendesk's text quotes the value it refused ("Name: … has already been taken"): details only.
        message: `organizations/${created ? 'create_many' : 'update_many'}: ${entry.error}`,
        details: { error: entry.error, details: entry.details },
        zendeskId: write.zendeskId,
      });
    }
  }
}

/** Hands every result to its record workflow, and the rest to the per-record path. */
async function handOff(
  deps: SyncDeps,
  taskQueue: string,
  items: Item[],
  width: number,
  writeBackConfigured: boolean,
): Promise<BatchPageResult> {
  const failures: BatchPageResult['failures'] = [];
  const counts: BatchCounts = {
    created: 0,
    updated: 0,
    failed: 0,
    other: 0,
    fallback: 0,
    withoutWorkflow: 0,
  };
  await mapLimit(items, width, async (item) => {
    try {
      if (item.result && writeBackConfigured && item.view.none && linkIsInSalesforce(item.result)) {
        // The record's result is in Salesforce (the written-back Zendesk ID) and in Zendesk: no workflow
        // is started for it. Its next change starts one, which adopts the link (workflows/adopt-link.ts).
        const o = item.result.outcome;
        if (o === 'created' || o === 'updated') counts[o] += 1;
        else counts.other += 1;
        counts.withoutWorkflow += 1;
      } else if (item.result) {
        await deliverBatchResult(
          deps.temporal,
          taskQueue,
          { object: 'Account', salesforceId: item.id },
          item.result,
        );
        const o = item.result.outcome;
        if (o === 'created' || o === 'updated' || o === 'failed') counts[o] += 1;
        else counts.other += 1;
      } else {
        await notifyRecordChange(
          deps.temporal,
          taskQueue,
          { object: 'Account', salesforceId: item.id },
          { source: 'bulk-resync', force: true },
        );
        counts.fallback += 1;
      }
    } catch (err) {
      failures.push({ salesforceId: item.id, message: (err as Error).message });
    }
  });
  return { handedOff: items.length - failures.length, failures, counts };
}

/**
 * Writes the new links' Zendesk IDs back, once: not when the workflow wrote it already, nor when
 * Salesforce holds the value (an earlier attempt of this activity, or an admin). The workflows are read
 * again just before, so a pass that started since keeps the write-back to itself.
 */
async function writeBack(
  deps: SyncDeps,
  field: string | undefined,
  items: Item[],
  width: number,
): Promise<void> {
  const done = items.filter(
    (i) => i.result && (i.result.outcome === 'created' || i.result.outcome === 'updated'),
  );
  if (!field) return;
  const needed: Item[] = [];
  for (const item of done) {
    const zendeskId = item.result!.zendeskId!;
    if (item.view.writtenBack && item.view.linkedTo === zendeskId) item.result!.writtenBack = true;
    else if (item.syncedIdValue === String(zendeskId)) item.result!.writtenBack = true;
    else needed.push(item);
  }
  // Records without a workflow are listed again (one may have started since); the others re-read.
  await relist(deps, items, width);
  const fresh = await mapLimit(needed, width, (item) =>
    item.view.none ? Promise.resolve(item.view) : readView(deps, item.id),
  );
  const toWrite = needed.filter((item, i) => {
    const now = fresh[i]!;
    // A pass ran or is running since: the batch result will not be adopted as-is, and the pass writes back.
    return !now.busy && now.passes === item.view.passes && !now.writtenBack;
  });
  const conn = await deps.salesforce.connection();
  for (const group of chunks(toWrite, SALESFORCE_BATCH)) {
    let results: Array<{ success: boolean; errors?: Array<{ errorCode?: string; message?: string }> }>;
    try {
      results = await conn.sobject('Account').update(
        group.map((item) => ({ Id: item.id, [field]: String(item.result!.zendeskId) })),
        { allOrNone: false },
      );
    } catch (err) {
      throw toSalesforceApiError(err, `write back ${field} on ${group.length} Accounts`);
    }
    group.forEach((item, i) => {
      const r = results[i];
      if (r?.success) {
        item.result!.writtenBack = true;
        return;
      }
      const errors = r?.errors ?? [];
      item.result = {
        ...item.result!,
        outcome: 'failed',
        failure: FailureType.SalesforceRejected,
        message: `Salesforce refused to write ${field}: ${errors.map((e) => `${e.errorCode}: ${redactContactValues(e.message ?? '')}`).join('; ')}`,
        details: errors,
      };
    });
  }
}
