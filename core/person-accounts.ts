// Salesforce person accounts (an org option) sync as Zendesk organizations, like any account: "Salesforce
// Person accounts are imported as Zendesk Organizations. If you'd prefer a Salesforce Person account to be
// added as a Zendesk user, you can perform a bulk import of users or use the Create user API"
// (support.zendesk.com, "Configuring the Salesforce data sync"). Each person account also has a contact of
// its own (PersonContactId, IsPersonAccount = true) carrying the person fields; that contact is the
// account seen from the Contact side, so the users sync leaves it out rather than make a user of it.
import { toBoolean, getFieldValue, type SalesforceRecord } from './record';

/** The Contact (and Account) field that tells a person account's record; present only with person accounts. */
export const PERSON_ACCOUNT_FIELD = 'IsPersonAccount';

/** Why a person account's contact is out of the users sync (an outcome message: no values). */
export const PERSON_CONTACT_REASON =
  "the contact is a person account's own contact: person accounts sync as organizations (accounts), not as users";

/** The field to add to a Contact query when the org has person accounts (`describe` shows the field). */
export function personAccountFields(
  object: 'Account' | 'Contact' | 'Lead',
  describe: ReadonlyArray<{ name: string }>,
  fields: readonly string[],
): string[] {
  if (object !== 'Contact') return [];
  const lower = PERSON_ACCOUNT_FIELD.toLowerCase();
  if (!describe.some((f) => f.name.toLowerCase() === lower)) return [];
  return fields.some((f) => f.toLowerCase() === lower) ? [] : [PERSON_ACCOUNT_FIELD];
}

/** Whether a Contact record is a person account's own contact. */
export function isPersonContact(object: 'Account' | 'Contact' | 'Lead', record: SalesforceRecord): boolean {
  return object === 'Contact' && toBoolean(getFieldValue(record, PERSON_ACCOUNT_FIELD)) === true;
}
