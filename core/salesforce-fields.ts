// Classifies Salesforce describe() field metadata into the kinds the native sync's rules talk about
// (formula, lookup, long text area, ...). Detection follows the rules Salto's Salesforce adapter uses
// (see reference/salesforce.md section 4).

/** The subset of a Salesforce describe() field the sync rules need (jsforce `Field` has all of these). */
export interface FieldDescribe {
  name: string;
  type: string;
  label?: string;
  calculated?: boolean;
  calculatedFormula?: string | null;
  autoNumber?: boolean;
  extraTypeInfo?: string | null;
  htmlFormatted?: boolean;
  length?: number;
  scale?: number;
  picklistValues?: Array<{ value: string; label?: string | null; active?: boolean }>;
  referenceTo?: string[];
  updateable?: boolean;
  createable?: boolean;
}

export type FieldKind =
  'formula' | 'lookup' | 'long_text_area' | 'rich_text_area' | 'encrypted' | 'record_type' | 'regular';

export function fieldKind(field: FieldDescribe): FieldKind {
  // RecordTypeId is itself a reference field; name it precisely because the docs list it separately.
  if (field.name.toLowerCase() === 'recordtypeid') return 'record_type';
  if (field.calculated && field.calculatedFormula) return 'formula';
  if (field.type === 'reference') return 'lookup';
  if (field.type === 'encryptedstring') return 'encrypted';
  if (field.type === 'textarea') {
    if (field.extraTypeInfo === 'richtextarea' || field.htmlFormatted) return 'rich_text_area';
    if ((field.length ?? 0) > 255) return 'long_text_area';
  }
  return 'regular';
}

export const FIELD_KIND_LABEL: Record<FieldKind, string> = {
  formula: 'a formula field',
  lookup: 'a lookup field',
  long_text_area: 'a long text area field',
  rich_text_area: 'a rich text area field',
  encrypted: 'an encrypted text field',
  record_type: 'the record type ID',
  regular: 'a regular field',
};

/** Rows of the seed's type-compatibility table (Salesforce field types). */
export type SalesforceTypeRow =
  | 'ID'
  | 'String'
  | 'Phone'
  | 'Email'
  | 'Picklist'
  | 'Currency'
  | 'Boolean'
  | 'Checkbox'
  | 'Date/Time'
  | 'Number'
  | 'Double'
  | 'Date'
  | 'Multi picklist';

/**
 * The table rows a describe() field belongs to. Notes on decisions the table leaves open:
 * - describe() reports both "Boolean" and "Checkbox" as `boolean`; Checkbox's targets are a subset of
 *   Boolean's, so a boolean field uses the Boolean row.
 * - `int` is "Number"; a `double` with scale 0 (a Number(18,0) custom field) is both "Number" and
 *   "Double"; other `double` and `percent` are "Double".
 * - url, time, combobox-free text and short text areas behave as "String"; combobox as "Picklist".
 * Returns [] for types the sync cannot map (base64, address, location, ...).
 */
export function typeRows(field: FieldDescribe): SalesforceTypeRow[] {
  switch (field.type) {
    case 'id':
      return ['ID'];
    case 'string':
    case 'textarea':
    case 'url':
    case 'time':
      return ['String'];
    case 'phone':
      return ['Phone'];
    case 'email':
      return ['Email'];
    case 'picklist':
    case 'combobox':
      return ['Picklist'];
    case 'currency':
      return ['Currency'];
    case 'boolean':
      return ['Boolean'];
    case 'datetime':
      return ['Date/Time'];
    case 'date':
      return ['Date'];
    case 'int':
    case 'long':
      return ['Number'];
    case 'double':
      return field.scale === 0 ? ['Number', 'Double'] : ['Double'];
    case 'percent':
      return ['Double'];
    case 'multipicklist':
      return ['Multi picklist'];
    default:
      return [];
  }
}

/** Looks a field up by API name; Salesforce API names are case-insensitive. */
export function findField(fields: readonly FieldDescribe[], name: string): FieldDescribe | undefined {
  const lower = name.toLowerCase();
  return fields.find((f) => f.name.toLowerCase() === lower);
}
