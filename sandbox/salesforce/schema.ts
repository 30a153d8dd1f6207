/**
 * The sandbox org's object metadata: every field of Account, Contact, Lead, User, Organization, RecordType and
 * AccountContactRelation with the attributes that describe() reports and that validation enforces. The
 * definitions live one object per file in `objects/`; this module assembles them into an org schema (with or
 * without person accounts) and keeps the exports the rest of the sandbox uses.
 */
import { ACCOUNT_CONTACT_RELATION } from './objects/account-contact-relation';
import { ACCOUNT } from './objects/account';
import { CONTACT } from './objects/contact';
import { LEAD } from './objects/lead';
import { ORGANIZATION } from './objects/organization';
import { RECORD_TYPE } from './objects/record-type';
import type { FieldDef, RecordTypeDef, SObjectDef, SObjectName } from './objects/types';
import { USER } from './objects/user';

export type {
  FieldDef,
  FieldType,
  PicklistOption,
  RecordTypeDef,
  SObjectDef,
  SObjectName,
} from './objects/types';
export { PERSON_ACCOUNT_RECORD_TYPE_ID, PERSON_FIELD_MAP } from './objects/account';

export const SOBJECT_NAMES: readonly SObjectName[] = [
  'Account',
  'Contact',
  'Lead',
  'User',
  'Organization',
  'RecordType',
  'AccountContactRelation',
];

export const USER_KEY_PREFIX = '005';
export const RECORD_TYPE_KEY_PREFIX = '012';

const ALL_OBJECTS: Readonly<Record<SObjectName, SObjectDef>> = {
  Account: ACCOUNT,
  Contact: CONTACT,
  Lead: LEAD,
  User: USER,
  Organization: ORGANIZATION,
  RecordType: RECORD_TYPE,
  AccountContactRelation: ACCOUNT_CONTACT_RELATION,
};

/** Org-wide settings that change the schema. */
export interface OrgSettings {
  /** Person accounts (Setup > Account Settings); off in a new org. */
  personAccounts: boolean;
}

export const DEFAULT_ORG_SETTINGS: OrgSettings = { personAccounts: false };

/** One org's view of the objects: the fields and record types that exist under its settings. */
export class OrgSchema {
  readonly objects: Readonly<Record<SObjectName, SObjectDef>>;
  private readonly index: Map<SObjectName, Map<string, FieldDef>>;

  constructor(readonly settings: OrgSettings) {
    const keep = <T extends { personAccountOnly?: boolean }>(x: T) =>
      settings.personAccounts || x.personAccountOnly !== true;
    this.objects = Object.fromEntries(
      SOBJECT_NAMES.map((n) => {
        const def = ALL_OBJECTS[n];
        return [n, { ...def, fields: def.fields.filter(keep), recordTypes: def.recordTypes.filter(keep) }];
      }),
    ) as Record<SObjectName, SObjectDef>;
    this.index = new Map(
      SOBJECT_NAMES.map((o) => [o, new Map(this.objects[o].fields.map((f) => [f.name.toLowerCase(), f]))]),
    );
  }

  get personAccounts(): boolean {
    return this.settings.personAccounts;
  }

  /** Field names are case-insensitive in Salesforce; lookups here follow that. */
  findField(objectName: SObjectName, fieldName: string): FieldDef | undefined {
    return this.index.get(objectName)?.get(fieldName.toLowerCase());
  }

  /** Every record type of every object, master ones included. */
  recordTypes(): { objectName: SObjectName; recordType: RecordTypeDef }[] {
    return SOBJECT_NAMES.flatMap((n) =>
      this.objects[n].recordTypes.map((recordType) => ({ objectName: n, recordType })),
    );
  }

  /** Whether `recordTypeId` is the person-account record type of Account. */
  isPersonRecordType(recordTypeId: unknown): boolean {
    return this.objects.Account.recordTypes.some(
      (rt) => rt.personType === true && rt.recordTypeId === recordTypeId,
    );
  }

  /**
   * Reference fields anywhere in the org that point at `objectName`: its child relationships
   * (describe `childRelationships`, and SOQL parent-to-child subqueries by `childRelationshipName`).
   */
  childRelationships(objectName: SObjectName): { child: SObjectName; field: FieldDef }[] {
    return SOBJECT_NAMES.flatMap((child) =>
      this.objects[child].fields
        .filter((f) => f.type === 'reference' && f.referenceTo?.includes(objectName))
        .map((field) => ({ child, field })),
    );
  }
}

const schemas = new Map<string, OrgSchema>();

/** The (cached, immutable) schema for these settings. */
export function orgSchema(settings: OrgSettings = DEFAULT_ORG_SETTINGS): OrgSchema {
  const key = JSON.stringify({ personAccounts: settings.personAccounts });
  let schema = schemas.get(key);
  if (!schema) {
    schema = new OrgSchema({ personAccounts: settings.personAccounts });
    schemas.set(key, schema);
  }
  return schema;
}

/** A new org's objects (no person accounts). Code that must follow the org's settings uses `store.schema`. */
export const SOBJECTS: Readonly<Record<SObjectName, SObjectDef>> = orgSchema().objects;

/** Object names are case-insensitive in URLs and SOQL; this returns the canonical spelling. */
export function resolveSObjectName(name: string): SObjectName | undefined {
  const lower = name.toLowerCase();
  return SOBJECT_NAMES.find((n) => n.toLowerCase() === lower);
}

/** Field lookup in a new org's schema (see OrgSchema.findField for an org with other settings). */
export function findField(objectName: SObjectName, fieldName: string): FieldDef | undefined {
  return orgSchema().findField(objectName, fieldName);
}

export const isCustomField = (f: FieldDef): boolean => f.name.endsWith('__c');
export const isCalculated = (f: FieldDef): boolean => f.formula !== undefined;
export const isCreateable = (f: FieldDef): boolean => f.createable ?? f.readOnly !== true;
export const isUpdateable = (f: FieldDef): boolean => f.updateable ?? f.readOnly !== true;
/** Required on create: not nillable and not filled in by the platform. */
export const isRequired = (f: FieldDef): boolean =>
  f.nillable === false && f.defaultedOnCreate !== true && isCreateable(f);
/** Objects whose writes the sandbox org publishes as change events (selected for CDC). */
export const hasChangeEvents = (def: SObjectDef): boolean => def.changeEvents === true;
