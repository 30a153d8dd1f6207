/**
 * Search lag must not create duplicates (issue #15). Zendesk's Search API "can take up to a few minutes"
 * to show a new record (https://developer.zendesk.com/api-reference/ticketing/ticket-management/search/),
 * so when two Salesforce records with the same match value (a custom field, a domain, a phone) sync
 * seconds apart, the second one's search does not find what the first one just created.
 *
 * The rule: a record about to create a Zendesk record for a search-backed match value first claims that
 * value, by starting this workflow with the ID `zendesk/<kind>/match/<field>/<hash of the value>` (the
 * hash keeps the value, which may be an email or phone, out of IDs, which are never encrypted). Temporal
 * runs one workflow per ID at a time, so exactly one record wins; the winner creates and signals the new
 * record's Zendesk ID, published as the `ZendeskId` search attribute. A record that finds the value claimed
 * links to that ID, as a sequential sync would once search caught up, or, while the winner is still
 * creating, retries shortly (ZendeskIndexLag). The claim ends when the creator gives up (released, or no
 * signal within CREATE_WINDOW_MS) or MATCH_CLAIM_HOLD_MS after the create, by when search shows the record.
 */
import {
  condition,
  defineSignal,
  setCurrentDetails,
  setHandler,
  sleep,
  upsertSearchAttributes,
} from '@temporalio/workflow';
import { ZendeskId } from './search-attributes';

export interface MatchClaimInput {
  /** The Salesforce record that claimed the value (also its SalesforceId search attribute). */
  salesforceId: string;
  /** `organization_fields.code`, `domain_names`, `phone`, …: the field, never the value. */
  field: string;
}

/** How long the claim outlives the create: longer than Zendesk's "up to a few minutes" of index lag. */
export const MATCH_CLAIM_HOLD_MS = 15 * 60_000;
/** How long the claimant has to create; its write activity times out well before. */
export const CREATE_WINDOW_MS = 10 * 60_000;

/** The claimant created this Zendesk record. */
export const matchClaimCreatedSignal = defineSignal<[number]>('matchClaimCreated');
/** The claimant did not create (Zendesk refused it): the value is free again. */
export const matchClaimReleasedSignal = defineSignal('matchClaimReleased');

export async function matchValueClaim(input: MatchClaimInput): Promise<void> {
  let created: number | undefined;
  let released = false;
  setHandler(matchClaimCreatedSignal, (zendeskId: number) => {
    created = zendeskId;
    upsertSearchAttributes([{ key: ZendeskId, value: String(zendeskId) }]);
  });
  setHandler(matchClaimReleasedSignal, () => {
    released = true;
  });
  setCurrentDetails(
    `**Match value on ${input.field} claimed by ${input.salesforceId}**\n\n` +
      'Other records with the same value link to the Zendesk record it creates until Zendesk search shows it.',
  );
  const settled = await condition(() => created !== undefined || released, CREATE_WINDOW_MS);
  if (!settled || created === undefined) return;
  await sleep(MATCH_CLAIM_HOLD_MS);
}
