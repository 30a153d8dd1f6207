/** Small constructors for FieldDefs, so the per-object files read like the Object Reference tables. */
import type { FieldDef, PicklistOption } from './types';

type Extra = Partial<FieldDef>;

export const str = (name: string, label: string, length: number, extra: Extra = {}): FieldDef => ({
  name,
  label,
  type: 'string',
  length,
  ...extra,
});

/** A text area: up to 255 it is filterable/sortable like text; longer ones are "long text areas". */
export const textArea = (name: string, label: string, length: number, extra: Extra = {}): FieldDef => ({
  name,
  label,
  type: 'textarea',
  length,
  extraTypeInfo: 'plaintextarea',
  ...extra,
});

export const phone = (name: string, label: string, extra: Extra = {}): FieldDef => ({
  name,
  label,
  type: 'phone',
  length: 40,
  ...extra,
});

export const email = (name: string, label: string, extra: Extra = {}): FieldDef => ({
  name,
  label,
  type: 'email',
  length: 80,
  ...extra,
});

export const url = (name: string, label: string, extra: Extra = {}): FieldDef => ({
  name,
  label,
  type: 'url',
  length: 255,
  ...extra,
});

/** Checkboxes are never null: they default to false (or `defaultValue`) on create. */
export const bool = (name: string, label: string, extra: Extra = {}): FieldDef => ({
  name,
  label,
  type: 'boolean',
  nillable: false,
  defaultedOnCreate: true,
  ...extra,
});

export const date = (name: string, label: string, extra: Extra = {}): FieldDef => ({
  name,
  label,
  type: 'date',
  ...extra,
});

export const dateTime = (name: string, label: string, extra: Extra = {}): FieldDef => ({
  name,
  label,
  type: 'datetime',
  ...extra,
});

export const int = (name: string, label: string, digits: number, extra: Extra = {}): FieldDef => ({
  name,
  label,
  type: 'int',
  digits,
  ...extra,
});

export const double = (
  name: string,
  label: string,
  precision: number,
  scale: number,
  extra: Extra = {},
): FieldDef => ({ name, label, type: 'double', precision, scale, ...extra });

export const currency = (name: string, label: string, extra: Extra = {}): FieldDef => ({
  name,
  label,
  type: 'currency',
  precision: 18,
  scale: 0,
  ...extra,
});

export const picklist = (
  name: string,
  label: string,
  values: readonly PicklistOption[],
  extra: Extra & { restricted?: boolean; length?: number } = {},
): FieldDef => {
  const { restricted = false, ...rest } = extra;
  return {
    name,
    label,
    type: 'picklist',
    length: 255,
    picklist: { restricted, values: values.map((v) => ({ ...v })) },
    ...rest,
  };
};

export const multiPicklist = (
  name: string,
  label: string,
  values: readonly PicklistOption[],
  extra: Extra & { restricted?: boolean } = {},
): FieldDef => {
  const { restricted = false, ...rest } = extra;
  return {
    name,
    label,
    type: 'multipicklist',
    length: 4099,
    picklist: { restricted, values: values.map((v) => ({ ...v })) },
    ...rest,
  };
};

export const ref = (
  name: string,
  label: string,
  referenceTo: string,
  relationshipName: string,
  extra: Extra = {},
): FieldDef => ({
  name,
  label,
  type: 'reference',
  length: 18,
  referenceTo: [referenceTo],
  relationshipName,
  ...extra,
});

/** Options whose API name is also the label, as in every standard picklist Salesforce ships. */
export const options = (...values: string[]): PicklistOption[] => values.map((v) => ({ value: v, label: v }));

/**
 * A compound address (https://developer.salesforce.com/docs/atlas.en-us.api.meta/api/compound_fields_address.htm):
 * Street (text area 255), City (40), State (80), PostalCode (20), Country (80), Latitude/Longitude
 * (double 18,15), GeocodeAccuracy (restricted picklist) and the read-only `address` field itself, in
 * describe order. `prefix` is `Billing`, `Mailing`, `PersonMailing` or '' (Lead, User, Organization);
 * `labelPrefix` is how the labels start ("Billing", "Mailing", ...).
 */
export function addressFields(
  prefix: string,
  labelPrefix: string,
  geocodeAccuracy: readonly PicklistOption[],
  extra: { personAccountOnly?: boolean; readOnly?: boolean; compoundLabel?: string } = {},
): FieldDef[] {
  const compound = `${prefix}Address`;
  const lp = labelPrefix === '' ? '' : `${labelPrefix} `;
  const common: Extra = {
    compoundFieldName: compound,
    ...(extra.personAccountOnly ? { personAccountOnly: true } : {}),
    ...(extra.readOnly ? { readOnly: true } : {}),
  };
  return [
    textArea(`${prefix}Street`, `${lp}Street`, 255, common),
    str(`${prefix}City`, `${lp}City`, 40, common),
    str(`${prefix}State`, `${lp}State/Province`, 80, common),
    str(`${prefix}PostalCode`, `${lp}Zip/Postal Code`, 20, common),
    str(`${prefix}Country`, `${lp}Country`, 80, common),
    double(`${prefix}Latitude`, `${lp}Latitude`, 18, 15, common),
    double(`${prefix}Longitude`, `${lp}Longitude`, 18, 15, common),
    picklist(`${prefix}GeocodeAccuracy`, `${lp}Geocode Accuracy`, geocodeAccuracy, {
      ...common,
      restricted: true,
      length: 40,
    }),
    {
      name: compound,
      label: extra.compoundLabel ?? `${lp}Address`,
      type: 'address',
      readOnly: true,
      ...(extra.personAccountOnly ? { personAccountOnly: true } : {}),
    },
  ];
}

/**
 * The person name of a Contact or Lead: LastName (required), FirstName, Salutation, and the read-only Name
 * they make up (`personname` compound).
 */
export const personName = (salutations: readonly PicklistOption[]): FieldDef[] => {
  const part = { compoundFieldName: 'Name', extraTypeInfo: 'personname' } as const;
  return [
    str('LastName', 'Last Name', 80, { nillable: false, ...part }),
    str('FirstName', 'First Name', 40, part),
    picklist('Salutation', 'Salutation', salutations, { ...part, length: 40 }),
    str('Name', 'Full Name', 121, {
      readOnly: true,
      nameField: true,
      extraTypeInfo: 'personname',
      nillable: false,
    }),
  ];
};

/** Object-level flags of objects the sandbox serves as read-only reference data (User, Organization, RecordType). */
export const REFERENCE_DATA = {
  createable: false,
  updateable: false,
  deletable: false,
  mergeable: false,
  undeletable: false,
} as const;

/** Id and IsDeleted, the first two fields of every object. */
export const idFields = (idLabel: string): FieldDef[] => [
  {
    name: 'Id',
    label: idLabel,
    type: 'id',
    length: 18,
    nillable: false,
    readOnly: true,
    idLookup: true,
    defaultedOnCreate: true,
  },
  bool('IsDeleted', 'Deleted', { readOnly: true }),
];

/** The audit fields the platform maintains on every object (https://developer.salesforce.com/docs/atlas.en-us.object_reference.meta/object_reference/system_fields.htm). */
export const auditFields = (): FieldDef[] => [
  dateTime('CreatedDate', 'Created Date', { nillable: false, readOnly: true, defaultedOnCreate: true }),
  ref('CreatedById', 'Created By ID', 'User', 'CreatedBy', {
    nillable: false,
    readOnly: true,
    defaultedOnCreate: true,
  }),
  dateTime('LastModifiedDate', 'Last Modified Date', {
    nillable: false,
    readOnly: true,
    defaultedOnCreate: true,
  }),
  ref('LastModifiedById', 'Last Modified By ID', 'User', 'LastModifiedBy', {
    nillable: false,
    readOnly: true,
    defaultedOnCreate: true,
  }),
  dateTime('SystemModstamp', 'System Modstamp', { nillable: false, readOnly: true, defaultedOnCreate: true }),
];

export const ownerField = (): FieldDef =>
  ref('OwnerId', 'Owner ID', 'User', 'Owner', { nillable: false, defaultedOnCreate: true });

/** Read-only activity/recently-viewed fields the platform keeps. */
export const lastActivityFields = (): FieldDef[] => [
  date('LastActivityDate', 'Last Activity', { readOnly: true }),
];
export const viewedFields = (): FieldDef[] => [
  dateTime('LastViewedDate', 'Last Viewed Date', { readOnly: true }),
  dateTime('LastReferencedDate', 'Last Referenced Date', { readOnly: true }),
];

/**
 * IsPriorityRecord ("Important") of Contact and Lead at v62: a checkbox a real describe reports not filterable
 * and not sortable. It shows whether the current user flagged the record as important, which Salesforce keeps
 * as UserPrioritizedRecord rows
 * (https://developer.salesforce.com/docs/atlas.en-us.object_reference.meta/object_reference/sforce_api_objects_userprioritizedrecord.htm),
 * so the sandbox serves it read-only (inferred: the describe source has no createable/updateable).
 */
export const priorityRecordField = (): FieldDef =>
  bool('IsPriorityRecord', 'Important', { readOnly: true, filterable: false, sortable: false });
