/**
 * The shape of the sandbox org's object metadata: what describe() reports and what write validation,
 * the store, SOQL and CDC read. One file per object (`account.ts`, `contact.ts`, ...) fills these in.
 */

/** Objects the sandbox org has. */
export type SObjectName =
  'Account' | 'Contact' | 'Lead' | 'User' | 'Organization' | 'RecordType' | 'AccountContactRelation';

export type FieldType =
  | 'id'
  | 'string'
  | 'textarea'
  | 'picklist'
  | 'multipicklist'
  | 'reference'
  | 'boolean'
  | 'currency'
  | 'double'
  | 'percent'
  | 'int'
  | 'date'
  | 'datetime'
  | 'phone'
  | 'email'
  | 'url'
  | 'encryptedstring'
  | 'address';

export interface PicklistOption {
  /** The API name stored on records. For standard picklists it is the value itself, e.g. `Customer - Direct`. */
  value: string;
  /** The display text (differs from the API name only where Salesforce ships it so, e.g. CleanStatus). */
  label: string;
  defaultValue?: boolean;
  /** false: kept on old records, refused on new writes (restricted) and reported `active: false`. */
  active?: boolean;
  /** Lead Status only: the value marks a converted lead (the LeadStatus object's IsConverted). */
  converted?: boolean;
}

export interface FieldDef {
  name: string;
  label: string;
  type: FieldType;
  length?: number;
  precision?: number;
  scale?: number;
  digits?: number;
  /** false = required on create (validation rejects a missing or null value). Default true. */
  nillable?: boolean;
  /** Written by the platform only (Id, audit fields, compound Name, formulas): neither createable nor updateable. */
  readOnly?: boolean;
  /** Overrides: a field can be createable but not updateable (IsConverted) or the reverse. Default !readOnly. */
  createable?: boolean;
  updateable?: boolean;
  /** Overrides of what describe derives from the type (long text areas are not filterable, ...). */
  filterable?: boolean;
  groupable?: boolean;
  sortable?: boolean;
  /** Has a platform default when omitted on create (OwnerId, checkboxes...), so it is not "required". */
  defaultedOnCreate?: boolean;
  /**
   * describe `defaultValue`: checkboxes that default to true (AccountContactRelation.IsActive), a picklist's
   * default (Lead.Status), or `null` where a real describe reports null for a checkbox (User preferences).
   * A null checkbox still stores false on create.
   */
  defaultValue?: string | boolean | number | null;
  picklist?: { values: PicklistOption[]; restricted: boolean };
  referenceTo?: string[];
  relationshipName?: string;
  /** The parent object's name for the child relationship (`Contacts` for Contact.AccountId); null when unnamed. */
  childRelationshipName?: string;
  /** Deleting the parent deletes these children (describe childRelationships[].cascadeDelete). */
  childCascadeDelete?: boolean;
  externalId?: boolean;
  unique?: boolean;
  idLookup?: boolean;
  nameField?: boolean;
  caseSensitive?: boolean;
  extraTypeInfo?: 'plaintextarea' | 'richtextarea' | 'personname' | 'switchablepersonname' | 'imageurl';
  htmlFormatted?: boolean;
  /** Component fields of a compound (Name, BillingAddress ...) name it here. */
  compoundFieldName?: string;
  /** Formula fields: the formula text describe() shows, and how the sandbox computes it on read. */
  formula?: { expression: string; compute(record: Readonly<Record<string, unknown>>): unknown };
  /** Exists only while the org has person accounts enabled. */
  personAccountOnly?: boolean;
}

export interface RecordTypeDef {
  name: string;
  developerName: string;
  recordTypeId: string;
  master: boolean;
  default: boolean;
  /** Account record types of person accounts (RecordType.IsPersonType). */
  personType?: boolean;
  personAccountOnly?: boolean;
  description?: string;
}

export interface SObjectDef {
  name: SObjectName;
  label: string;
  labelPlural: string;
  keyPrefix: string;
  fields: FieldDef[];
  recordTypes: RecordTypeDef[];
  /** Object-level describe flags (what the API lets anyone do with the object). Default true. */
  createable?: boolean;
  updateable?: boolean;
  deletable?: boolean;
  mergeable?: boolean;
  undeletable?: boolean;
  /** Selected for Change Data Capture in the sandbox org (Setup > Change Data Capture). */
  changeEvents?: boolean;
}
