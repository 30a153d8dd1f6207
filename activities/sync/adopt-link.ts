/**
 * Adopting a link from the write-back field. A batch backfill links accounts without starting their
 * record workflows: the Zendesk ID it writes back to Salesforce is the record of the link
 * (docs/architecture.md, "A batch backfill starts no workflows"). When such a record changes later, its
 * new workflow is not linked yet; it adopts the value instead of matching (a search) or creating again.
 *
 * The value is adopted only if it is the record's own:
 * - the Zendesk record exists (one show_many by id: a direct lookup, not the search index);
 * - with `externalId: true`, its external_id is the record's own Salesforce Id (15 or 18 characters);
 * - otherwise, the record is the oldest-created Salesforce record holding that value. A clone of a record
 *   carries its fields, write-back field included; the clone is the younger one and is refused, so it gets
 *   a normal match, and its pass's outcome says why.
 * Users of an agent or admin are never adopted (the sync does not write them, as in matching).
 */
import { soqlStringLiteral } from '../../core/soql';
import { isOwnExternalId } from '../../core/own-id';
import type { SalesforceObject } from '../../workflows/sync-types';
import { toSalesforceApiError } from '../salesforce/errors';
import type { SyncDeps } from './deps';
import { isProtectedRole } from './resolve-match';
import { runClassified } from './run-classified';
import { assertSalesforceId, isSalesforceId } from './salesforce-ids';

export interface AdoptLinkInput {
  object: SalesforceObject;
  salesforceId: string;
  /** The write-back field's current value, as the pass read it. */
  value: string;
}

export type AdoptLinkResult = { kind: 'adopted'; zendeskId: number } | { kind: 'refused'; reason: string };

const refused = (reason: string): AdoptLinkResult => ({ kind: 'refused', reason });

/** Whether `salesforceId` owns the Zendesk ID `value` held in its write-back field (see the module comment). */
export async function ownsWriteBackValue(
  deps: SyncDeps,
  object: SalesforceObject,
  salesforceId: string,
  value: string,
): Promise<AdoptLinkResult> {
  const { config } = deps.context();
  const section = object === 'Account' ? config.accounts : config.users;
  const field = section.syncedIdField;
  if (!field) return refused('no write-back field is configured');
  const trimmed = value.trim();
  if (!/^\d{1,16}$/.test(trimmed)) return refused(`${field} does not hold a Zendesk ID`);
  const zendeskId = Number(trimmed);
  const held =
    object === 'Account'
      ? (await deps.zendesk.showManyOrganizations({ ids: [zendeskId] }))[0]
      : (await deps.zendesk.showManyUsers([zendeskId]))[0];
  const kind = object === 'Account' ? 'organization' : 'user';
  if (!held) return refused(`${field} holds Zendesk ${kind} ${zendeskId}, which does not exist`);
  if ('role' in held && typeof held.role === 'string' && isProtectedRole(held.role))
    return refused(`${field} holds Zendesk ${kind} ${zendeskId}, an ${held.role}`);
  if (section.externalId) {
    return isOwnExternalId(held.external_id, salesforceId)
      ? { kind: 'adopted', zendeskId }
      : refused(
          `${field} holds Zendesk ${kind} ${zendeskId}, whose external_id is not this record's Id (a clone carries the write-back value of its original)`,
        );
  }
  const oldest = await oldestHolder(deps, object, field, trimmed);
  if (oldest === salesforceId) return { kind: 'adopted', zendeskId };
  return refused(
    `${field} holds Zendesk ${kind} ${zendeskId}, which ${oldest ?? 'another record'} holds too and was created first (a clone carries the write-back value of its original)`,
  );
}

/** The oldest-created Salesforce record of `object` whose `field` holds `value`. */
async function oldestHolder(
  deps: SyncDeps,
  object: SalesforceObject,
  field: string,
  value: string,
): Promise<string | undefined> {
  // `field` comes from the validated configuration; the value is escaped as a SOQL string literal.
  const soql = `SELECT Id FROM ${object} WHERE ${field} = ${soqlStringLiteral(value)} ORDER BY CreatedDate ASC, Id ASC LIMIT 1`;
  const conn = await deps.salesforce.connection();
  try {
    const id = (await conn.query<{ Id: string }>(soql)).records[0]?.Id;
    return typeof id === 'string' && isSalesforceId(object, id) ? id : undefined;
  } catch (err) {
    throw toSalesforceApiError(err, `query ${object} by ${field}`);
  }
}

export function createAdoptLink(deps: SyncDeps) {
  return async function adoptLink(input: AdoptLinkInput): Promise<AdoptLinkResult> {
    return runClassified(deps, async () => {
      assertSalesforceId(input.object, input.salesforceId);
      return ownsWriteBackValue(deps, input.object, input.salesforceId, input.value);
    });
  };
}
