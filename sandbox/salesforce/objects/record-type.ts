/**
 * RecordType: one row per (non-master) record type the schema declares. The 14 fields of
 * https://developer.salesforce.com/docs/atlas.en-us.sfFieldRef.meta/sfFieldRef/salesforce_field_reference_RecordType.htm
 * with the properties of https://developer.salesforce.com/docs/atlas.en-us.object_reference.meta/object_reference/sforce_api_objects_recordtype.htm
 * The sandbox declares record types in code, so the REST API refuses writes to RecordType here.
 */
import { auditFields, bool, idFields, picklist, ref, str, options, REFERENCE_DATA } from './fields';
import type { SObjectDef } from './types';

const RO = { readOnly: true } as const;

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
    ref('BusinessProcessId', 'Business Process ID', 'BusinessProcess', 'BusinessProcess', RO),
    picklist('SobjectType', 'SObject Type Name', options('Account', 'Contact', 'Lead'), {
      ...RO,
      restricted: true,
      nillable: false,
      length: 40,
    }),
    bool('IsActive', 'Active', RO),
    bool('IsPersonType', 'Is Person Type', RO),
    ...auditFields(),
  ],
};
