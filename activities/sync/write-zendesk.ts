/**
 * Step 4: write the Zendesk record. Mapped fields overwrite; tags are added (PUT …/tags), emails become
 * secondary identities and phones are appended; an agent or admin is never written.
 *
 * Idempotency: a worker can die after Zendesk created a record but before the activity completed. The
 * retry looks the record up by a key Zendesk keeps unique and consistent right after a write (the
 * organization name or external_id, the user's external_id, or the email Zendesk refuses to reuse)
 * and updates it instead of creating a second one.
 */
import { ApplicationFailure } from '@temporalio/common';
import { FailureType } from '../../workflows/failure-types';
import type { WriteRequest, WriteResult, ZendeskChanges } from '../../workflows/sync-types';
import type { ZendeskUser } from '../zendesk/client';
import { ZendeskApiError } from '../zendesk/errors';
import type { SyncDeps } from './deps';
import { assertExternalIdFree, explainExternalIdRefusal } from './external-id-conflict';
import { claimMatchValue, releaseClaim, settleClaim } from './match-claim';
import { placeUser } from './memberships';
import { isProtectedRole, lookupCandidates } from './resolve-match';
import { isRetryAttempt, runClassified } from './run-classified';

const isNotFound = (err: unknown) => err instanceof ZendeskApiError && err.code === 'ZENDESK_NOT_FOUND';

/**
 * The mapped tags the record does not carry yet. Tags are only ever added, so when the current tags
 * (from the update's own response) already hold them all, the tags PUT is skipped; unknown current tags
 * mean every mapped tag is sent. Zendesk stores tags lower-cased.
 */
export function missingTags(current: string[] | undefined, wanted: string[]): string[] {
  if (!current) return wanted;
  const have = new Set(current.map((t) => t.toLowerCase()));
  return wanted.filter((t) => !have.has(t.toLowerCase()));
}

export function overwriteFields(changes: ZendeskChanges): Record<string, unknown> {
  return { ...changes.fields, ...(changes.externalId ? { external_id: changes.externalId } : {}) };
}

/** The record an earlier attempt of this create may have made, by its unique key. */
async function findEarlierCreate(
  deps: SyncDeps,
  req: WriteRequest,
): Promise<{ id: number; role?: string } | undefined> {
  const { changes } = req;
  if (req.object === 'Account') {
    const name = typeof changes.fields.name === 'string' ? changes.fields.name : undefined;
    const lookup = changes.externalId
      ? ({ kind: 'organization_by_external_id', value: changes.externalId } as const)
      : name
        ? ({ kind: 'organization_by_name', value: name } as const)
        : undefined;
    const found = lookup ? await lookupCandidates(deps, lookup) : { kind: 'none' as const };
    return found.kind === 'one' ? { id: found.zendeskId } : undefined;
  }
  // Only a user that really holds the external_id or email (checked in the user and its identities).
  const lookup = changes.externalId
    ? ({ kind: 'user_by_external_id', value: changes.externalId } as const)
    : changes.emailsToAdd[0]
      ? ({ kind: 'user_by_email', value: changes.emailsToAdd[0] } as const)
      : undefined;
  const found = lookup ? await lookupCandidates(deps, lookup) : { kind: 'none' as const };
  if (found.kind === 'one') return { id: found.zendeskId };
  if (found.kind === 'protected') return { id: found.zendeskId, role: found.role };
  return undefined;
}

async function writeOrganization(deps: SyncDeps, req: WriteRequest): Promise<WriteResult> {
  const zd = deps.zendesk;
  const body = overwriteFields(req.changes);
  let id = req.zendeskId;
  let created = false;
  if (id === undefined) {
    id = isRetryAttempt() ? (await findEarlierCreate(deps, req))?.id : undefined;
    created = true;
    // A search-backed match value is claimed first: a record created for it moments ago is linked.
    const claim = id === undefined ? await claimMatchValue(deps, req) : undefined;
    if (claim?.kind === 'taken') {
      id = claim.zendeskId;
      created = false;
    } else if (claim?.zendeskId !== undefined) id = claim.zendeskId;
    if (id === undefined) {
      await assertExternalIdFree(deps, req.object, req.changes, undefined);
      try {
        const org = await zd.createOrganization({ ...body, tags: req.changes.tagsToAdd });
        await settleClaim(deps, claim, org.id);
        return { kind: 'written', zendeskId: org.id, created: true };
      } catch (err) {
        // Someone (or an attempt of ours that died) created the same name since matching ran, e.g. two
        // Salesforce accounts with one name syncing at once. Matching by name links to that organization,
        // exactly as a sequential sync would; with another criterion Zendesk's refusal stands.
        await releaseClaim(deps, claim);
        if (!(err instanceof ZendeskApiError && err.hasDetail('name', 'DuplicateValue'))) throw err;
        id = (await findEarlierCreate(deps, req))?.id;
        const name = req.changes.fields.name;
        if (
          id === undefined &&
          deps.context().config.accounts.match.zendesk === 'name' &&
          typeof name === 'string'
        ) {
          const byName = await lookupCandidates(deps, { kind: 'organization_by_name', value: name });
          if (byName.kind === 'one') {
            id = byName.zendeskId;
            created = false;
          }
        }
        if (id === undefined) throw err;
      }
    }
  }
  await assertExternalIdFree(deps, req.object, req.changes, id);
  try {
    const current = Object.keys(body).length > 0 ? await zd.updateOrganization(id, body) : undefined;
    const missing = missingTags(current?.tags, req.changes.tagsToAdd);
    if (missing.length > 0) await zd.addTags('organization', id, missing);
  } catch (err) {
    if (isNotFound(err)) return { kind: 'link-lost' };
    throw err;
  }
  return { kind: 'written', zendeskId: id, created };
}

/**
 * The body of a new end user: the first email and phone go on the user itself, the rest become identities
 * afterwards. Shared with the dry-run preview so what it shows is exactly what a pass sends.
 */
export function newUserBody(
  changes: ZendeskChanges,
  organizationId: number | undefined,
  welcomeEmail: boolean,
): Record<string, unknown> {
  const [primaryEmail] = changes.emailsToAdd;
  const [primaryPhone] = changes.phonesToAdd;
  return {
    ...overwriteFields(changes),
    role: 'end-user',
    ...(primaryEmail ? { email: primaryEmail } : {}),
    ...(primaryPhone ? { phone: primaryPhone } : {}),
    ...(changes.tagsToAdd.length > 0 ? { tags: changes.tagsToAdd } : {}),
    ...(organizationId ? { organization_id: organizationId } : {}),
    skip_verify_email: !welcomeEmail,
  };
}

async function createUser(deps: SyncDeps, req: WriteRequest): Promise<WriteResult> {
  const { changes } = req;
  const [primaryEmail] = changes.emailsToAdd;
  const body = newUserBody(changes, req.organizationId, deps.context().config.users.welcomeEmail);
  await assertExternalIdFree(deps, req.object, changes, undefined);
  try {
    let user: ZendeskUser;
    try {
      user = await deps.zendesk.createUser(body);
    } catch (err) {
      // The account's organization was deleted in Zendesk after the account synced: the user is still
      // created, without a membership (none is created for an organization that does not exist).
      const missingOrganization =
        err instanceof ZendeskApiError && err.hasDetail('organization_id', 'InvalidValue');
      if (!(body.organization_id !== undefined && missingOrganization)) throw err;
      delete body.organization_id;
      user = await deps.zendesk.createUser(body);
    }
    const rest = {
      ...changes,
      emailsToAdd: changes.emailsToAdd.slice(1),
      phonesToAdd: changes.phonesToAdd.slice(1),
      tagsToAdd: [],
    };
    await appendIdentities(deps, user, rest);
    return { kind: 'written', zendeskId: user.id, created: true, ...(await placeNewUser(deps, user, req)) };
  } catch (err) {
    if (err instanceof ZendeskApiError && err.hasDetail('email', 'DuplicateValue')) {
      // The address belongs to a user the search index does not show yet. Never guess: retry shortly
      // (every 30 s for up to 10 minutes, workflows/failure-types.ts). The email goes in the details,
      // which are encrypted payloads, never in the message.
      throw ApplicationFailure.create({
        type: FailureType.ZendeskIndexLag,
        message:
          "Zendesk already has a user with the contact's email, but its search does not return that user yet",
        details: [{ field: 'email', value: primaryEmail }],
      });
    }
    throw err;
  }
}

async function appendIdentities(deps: SyncDeps, user: ZendeskUser, changes: ZendeskChanges): Promise<void> {
  const emails = changes.emailsToAdd.filter((e) => e !== user.email?.toLowerCase());
  const phones = changes.phonesToAdd.filter((p) => p !== user.phone);
  if (emails.length === 0 && phones.length === 0) return;
  const existing = await deps.zendesk.listIdentities(user.id);
  const has = (type: string, value: string) =>
    existing.some((i) => i.type === type && i.value.toLowerCase() === value.toLowerCase());
  const { welcomeEmail } = deps.context().config.users;
  for (const value of emails) {
    if (!has('email', value))
      await deps.zendesk.addIdentity(user.id, { type: 'email', value }, !welcomeEmail);
  }
  for (const value of phones) {
    if (!has('phone_number', value))
      await deps.zendesk.addIdentity(user.id, { type: 'phone_number', value }, true);
  }
}

/**
 * A new user's organizations: the create placed it in its primary organization (its default, set by this
 * sync); the secondary ones are added now.
 */
async function placeNewUser(
  deps: SyncDeps,
  user: ZendeskUser,
  req: WriteRequest,
): Promise<Pick<Extract<WriteResult, { kind: 'written' }>, 'organizations' | 'defaultOrganizationId'>> {
  const primary = user.organization_id ?? undefined;
  const placed = req.secondaryOrganizationIds?.length
    ? await placeUser(
        deps,
        user.id,
        user.organization_id,
        { ...req, syncDefaultOrganizationId: primary },
        true,
      )
    : {};
  const added = [...(primary !== undefined ? [primary] : []), ...(placed.change?.added ?? [])];
  return {
    ...(added.length
      ? { organizations: { added, ...(primary !== undefined ? { defaultSet: primary } : {}) } }
      : {}),
    ...(primary !== undefined ? { defaultOrganizationId: primary } : {}),
  };
}

/**
 * users.multipleOrganizations, a contact that is not the user's syncing record: its organizations are
 * added to the user, nothing else is written ("The syncing record updates its corresponding user",
 * support.zendesk.com article 4408832217882).
 */
async function addMembershipsOnly(
  deps: SyncDeps,
  req: WriteRequest,
  user: ZendeskUser,
): Promise<WriteResult> {
  try {
    const placed = await placeUser(deps, user.id, user.organization_id, req, false);
    return {
      kind: 'written',
      zendeskId: user.id,
      created: false,
      ...(placed.change ? { organizations: placed.change } : {}),
    };
  } catch (err) {
    if (isNotFound(err)) return { kind: 'link-lost' };
    throw err;
  }
}

async function updateUser(deps: SyncDeps, req: WriteRequest, zendeskId: number): Promise<WriteResult> {
  const zd = deps.zendesk;
  const user = await zd.showUser(zendeskId);
  if (!user) return { kind: 'link-lost' };
  // Checked on every write, not only when matching: a linked end-user may have been promoted since.
  if (isProtectedRole(user.role)) return { kind: 'protected', zendeskId, role: user.role };
  if (req.membershipsOnly) return addMembershipsOnly(deps, req, user);
  await assertExternalIdFree(deps, req.object, req.changes, zendeskId, user.external_id);
  const body = overwriteFields(req.changes);
  // A user without a phone gets Salesforce's as the primary phone; otherwise phones are appended.
  if (!user.phone && req.changes.phonesToAdd[0]) body.phone = req.changes.phonesToAdd[0];
  try {
    // Identities before the fields: a phone is judged by Zendesk only when it is written (when the
    // sync cannot read "Validate user phone numbers", it cannot check first), so a refused identity ends
    // the pass before the other fields are written rather than after. The update itself is one request,
    // which Zendesk applies whole or not at all.
    await appendIdentities(
      deps,
      { ...user, phone: (body.phone as string | undefined) ?? user.phone },
      req.changes,
    );
    const updated = Object.keys(body).length > 0 ? await zd.updateUser(zendeskId, body) : undefined;
    const missing = missingTags(updated?.tags ?? user.tags, req.changes.tagsToAdd);
    if (missing.length > 0) await zd.addTags('user', zendeskId, missing);
    // Memberships are added, never removed (several organizations per user), or the organization is
    // replaced (one per user); a 404 other than a deleted organization means the user is gone.
    const placed = await placeUser(
      deps,
      zendeskId,
      updated?.organization_id ?? user.organization_id,
      req,
      true,
    );
    return {
      kind: 'written',
      zendeskId,
      created: false,
      ...(placed.change ? { organizations: placed.change } : {}),
      ...(placed.syncDefault !== undefined ? { defaultOrganizationId: placed.syncDefault } : {}),
    };
  } catch (err) {
    if (isNotFound(err)) return { kind: 'link-lost' };
    throw err;
  }
}

async function writeUser(deps: SyncDeps, req: WriteRequest): Promise<WriteResult> {
  if (req.zendeskId !== undefined) return updateUser(deps, req, req.zendeskId);
  const earlier = isRetryAttempt() ? await findEarlierCreate(deps, req) : undefined;
  if (earlier) {
    if (earlier.role && isProtectedRole(earlier.role))
      return { kind: 'protected', zendeskId: earlier.id, role: earlier.role };
    const result = await updateUser(deps, req, earlier.id);
    return result.kind === 'written' ? { ...result, created: true } : result;
  }
  // A search-backed match value is claimed first: a user created for it moments ago is linked.
  const claim = await claimMatchValue(deps, req);
  if (claim?.kind === 'taken') return updateUser(deps, req, claim.zendeskId);
  if (claim?.zendeskId !== undefined) {
    const result = await updateUser(deps, req, claim.zendeskId);
    return result.kind === 'written' ? { ...result, created: true } : result;
  }
  let result: WriteResult;
  try {
    result = await createUser(deps, req);
  } catch (err) {
    await releaseClaim(deps, claim);
    throw err;
  }
  if (result.kind === 'written') await settleClaim(deps, claim, result.zendeskId);
  return result;
}

/** A refusal other than a taken name, email or external_id: a value the schema or settings may now refuse. */
function mayBeSchemaChange(err: ZendeskApiError): boolean {
  const details = err.details;
  if (!details || typeof details !== 'object' || Array.isArray(details)) return true;
  return Object.values(details as Record<string, unknown>)
    .flatMap((d) => (Array.isArray(d) ? (d as unknown[]) : [d]))
    .some((d) => (d as { error?: string } | null)?.error !== 'DuplicateValue');
}

export function createWriteZendesk(deps: SyncDeps) {
  return async function writeZendesk(req: WriteRequest): Promise<WriteResult> {
    return runClassified(deps, async () => {
      try {
        return await (req.object === 'Account' ? writeOrganization(deps, req) : writeUser(deps, req));
      } catch (err) {
        // Zendesk refused a value (an option removed, phone validation turned on since the last read):
        // read its definitions and settings again now, so the record's next pass is judged on them.
        if (err instanceof ZendeskApiError && err.code === 'ZENDESK_REJECTED' && mayBeSchemaChange(err))
          await deps.refreshSchemas?.('zendesk').catch(() => undefined);
        throw await explainExternalIdRefusal(deps, req.object, req.changes, req.zendeskId, err);
      }
    });
  };
}
