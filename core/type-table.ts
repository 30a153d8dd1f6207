// The seed's type-compatibility table (same for Accounts -> Organizations and Contacts/Leads -> Users):
// which Zendesk field types each Salesforce field type may be mapped to.
import type { SalesforceTypeRow } from './salesforce-fields';

/** Columns of the table. "numeric" is the Zendesk `integer` field type. */
export type ZendeskTypeColumn = 'text' | 'dropdown' | 'decimal' | 'checkbox' | 'date' | 'numeric';

export const TYPE_COMPATIBILITY: Readonly<Record<SalesforceTypeRow, readonly ZendeskTypeColumn[]>> = {
  ID: ['text'],
  String: ['text'],
  Phone: ['text'],
  Email: ['text'],
  Picklist: ['text', 'dropdown'],
  Currency: ['text', 'decimal'],
  Boolean: ['text', 'checkbox'],
  Checkbox: ['checkbox'],
  'Date/Time': ['text', 'date'],
  Number: ['text', 'numeric'],
  Double: ['text', 'decimal'],
  Date: ['text', 'date'],
  'Multi picklist': ['text'],
};

/**
 * The table column of a Zendesk custom field type. textarea and regexp hold text, so they take the Text
 * column. multiselect is not in the native table: only a multi-picklist with a `values:` map may target it.
 * Returns undefined for types that cannot be mapped at all (lookup).
 */
export function columnOfZendeskType(type: string): ZendeskTypeColumn | 'multiselect' | undefined {
  switch (type) {
    case 'text':
    case 'textarea':
    case 'regexp':
      return 'text';
    case 'dropdown':
      return 'dropdown';
    case 'decimal':
      return 'decimal';
    case 'checkbox':
      return 'checkbox';
    case 'date':
      return 'date';
    case 'integer':
      return 'numeric';
    case 'multiselect':
      return 'multiselect';
    default:
      return undefined;
  }
}

export function isCompatible(rows: readonly SalesforceTypeRow[], column: ZendeskTypeColumn): boolean {
  return rows.some((row) => TYPE_COMPATIBILITY[row].includes(column));
}
