// With `externalId: true` the sync writes a record's own Salesforce Id to Zendesk's external_id, so an
// unlinked record is first looked up by that Id (activities/sync/own-id-match.ts). This decides which
// Zendesk external ids are the record's own.
//
// Salesforce Ids come in two forms: 15 characters, case-sensitive (what the UI and reports show, and what
// some older integrations stored), and 18 characters, whose last 3 encode the case of the first 15 so that
// the Id is unique case-insensitively (what the API returns):
// https://help.salesforce.com/s/articleView?id=000385008&type=1
// Zendesk compares external ids case-insensitively (OAS: "external_id … case-insensitive"), which is right
// for the 18-character form only. A 15-character id is accepted as the record's own only when its case
// matches too: "001Ab…" and "001aB…" are two different accounts that Zendesk's lookup cannot tell apart.

/** The record's Id in both forms, 18 then 15 characters, to look up together. */
export function ownExternalIdForms(salesforceId: string): string[] {
  return salesforceId.length === 18 ? [salesforceId, salesforceId.slice(0, 15)] : [salesforceId];
}

/** Whether `externalId` (a Zendesk record's external_id) is `salesforceId` in its 18- or 15-character form. */
export function isOwnExternalId(externalId: string | null | undefined, salesforceId: string): boolean {
  if (!externalId) return false;
  const value = externalId.trim();
  if (value.length === 18) return value.toLowerCase() === salesforceId.toLowerCase();
  return value.length === 15 && value === salesforceId.slice(0, 15);
}

/**
 * The record among `candidates` that holds the Salesforce Id: the 18-character form wins (it is unique
 * in Zendesk); otherwise the 15-character form with the same case. At most one, so never ambiguous.
 */
export function ownIdHolder<T extends { external_id: string | null }>(
  candidates: readonly T[],
  salesforceId: string,
): T | undefined {
  const owned = candidates.filter((c) => isOwnExternalId(c.external_id, salesforceId));
  return owned.find((c) => c.external_id!.trim().length === 18) ?? owned[0];
}
