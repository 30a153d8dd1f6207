/**
 * RecordType: one row per (non-master) record type the schema declares. The 13 fields two real v62 orgs
 * describe, in their order (`.sfdx/tools/soqlMetadata/standardObjects/RecordType.json` of
 * https://github.com/derickporter1993/CloudCode101 and https://github.com/Sandilenkosie/InternTracking,
 * sourceApiVersion 62.0), plus IsPersonType while person accounts are on (neither org has them, and neither
 * describes it), with lengths from
 * https://developer.salesforce.com/docs/atlas.en-us.sfFieldRef.meta/sfFieldRef/salesforce_field_reference_RecordType.htm
 * and the properties of https://developer.salesforce.com/docs/atlas.en-us.object_reference.meta/object_reference/sforce_api_objects_recordtype.htm
 * The sandbox declares record types in code, so the REST API refuses writes to RecordType here.
 */
import { auditFields, bool, idFields, picklist, str, options, REFERENCE_DATA } from './fields';
import type { SObjectDef } from './types';

const RO = { readOnly: true } as const;

/** The audit fields in the order a real RecordType describe lists them (by id before date). */
const [createdDate, createdById, lastModifiedDate, lastModifiedById, systemModstamp] = auditFields();

export const RECORD_TYPE: SObjectDef = {
  name: 'RecordType',
  label: 'Record Type',
  labelPlural: 'Record Types',
  keyPrefix: '012',
  ...REFERENCE_DATA,
  recordTypes: [],
  fields: [
    idFields('Record Type ID')[0]!,
    str('Name', 'Name', 80, { ...RO, nillable: false, nameField: true }),
    str('DeveloperName', 'Record Type Name', 80, { ...RO, nillable: false }),
    str('NamespacePrefix', 'Namespace Prefix', 15, RO),
    str('Description', 'Description', 255, RO),
    // No relationship name in a real describe.
    {
      name: 'BusinessProcessId',
      label: 'Business Process ID',
      type: 'reference',
      length: 18,
      referenceTo: ['BusinessProcess'],
      readOnly: true,
    },
    picklist('SobjectType', 'SObject Type Name', options('Account', 'Contact', 'Lead'), {
      ...RO,
      restricted: true,
      nillable: false,
      length: 40,
    }),
    bool('IsActive', 'Active', RO),
    bool('IsPersonType', 'Is Person Type', { ...RO, personAccountOnly: true }),
    createdById!,
    createdDate!,
    lastModifiedById!,
    lastModifiedDate!,
    systemModstamp!,
  ],
};
