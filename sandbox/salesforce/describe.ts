/**
 * describe() and describeGlobal() bodies in Salesforce's shape (jsforce's DescribeSObjectResult / Field /
 * DescribeGlobalResult), derived from the metadata in schema.ts.
 */
import {
  isCalculated,
  isCreateable,
  isCustomField,
  isUpdateable,
  SOBJECT_NAMES,
  SOBJECTS,
  type FieldDef,
  type SObjectDef,
} from './schema';

const SOAP_TYPE: Record<FieldDef['type'], string> = {
  id: 'tns:ID',
  reference: 'tns:ID',
  string: 'xsd:string',
  textarea: 'xsd:string',
  picklist: 'xsd:string',
  multipicklist: 'xsd:string',
  phone: 'xsd:string',
  email: 'xsd:string',
  url: 'xsd:string',
  encryptedstring: 'xsd:string',
  boolean: 'xsd:boolean',
  currency: 'xsd:double',
  double: 'xsd:double',
  int: 'xsd:int',
  date: 'xsd:date',
  datetime: 'xsd:dateTime',
};

const TEXT_TYPES = new Set<FieldDef['type']>([
  'string',
  'textarea',
  'picklist',
  'multipicklist',
  'phone',
  'email',
  'url',
  'encryptedstring',
  'id',
  'reference',
]);

/** describe's aggregatable / groupable / filterable / sortable flags; SOQL enforces the same ones. */
export function fieldCapabilities(f: FieldDef): {
  aggregatable: boolean;
  groupable: boolean;
  filterable: boolean;
  sortable: boolean;
} {
  const longText = f.type === 'textarea' && (f.length ?? 0) > 255;
  return {
    aggregatable: !longText && f.type !== 'multipicklist' && f.type !== 'encryptedstring',
    groupable:
      !longText && !['double', 'currency', 'multipicklist', 'encryptedstring', 'datetime'].includes(f.type),
    filterable: !longText && f.type !== 'encryptedstring',
    sortable: !longText && f.type !== 'multipicklist',
  };
}

function describeField(f: FieldDef): Record<string, unknown> {
  const calculated = isCalculated(f);
  const text = TEXT_TYPES.has(f.type);
  const can = fieldCapabilities(f);
  return {
    aggregatable: can.aggregatable,
    aiPredictionField: false,
    autoNumber: false,
    byteLength: text ? (f.length ?? 0) * 3 : 0,
    calculated,
    calculatedFormula: f.formula?.expression ?? null,
    cascadeDelete: false,
    caseSensitive: false,
    compoundFieldName: f.compoundFieldName ?? null,
    controllerName: null,
    createable: isCreateable(f),
    custom: isCustomField(f),
    defaultValue: f.type === 'boolean' && f.name !== 'IsDeleted' ? false : null,
    defaultValueFormula: null,
    defaultedOnCreate: f.defaultedOnCreate === true,
    dependentPicklist: false,
    deprecatedAndHidden: false,
    digits: f.type === 'int' ? (f.digits ?? 9) : 0,
    displayLocationInDecimal: false,
    encrypted: f.type === 'encryptedstring',
    externalId: f.externalId === true,
    extraTypeInfo: f.extraTypeInfo ?? null,
    filterable: can.filterable,
    filteredLookupInfo: null,
    formulaTreatNullNumberAsZero: false,
    groupable: can.groupable,
    highScaleNumber: false,
    htmlFormatted: f.htmlFormatted === true,
    idLookup: f.idLookup === true,
    inlineHelpText: null,
    label: f.label,
    length: text ? (f.length ?? 0) : 0,
    mask: f.type === 'encryptedstring' ? 'lastFour' : null,
    maskType: f.type === 'encryptedstring' ? 'all' : null,
    name: f.name,
    nameField: f.nameField === true,
    namePointing: false,
    nillable: f.nillable !== false && f.type !== 'boolean',
    permissionable: f.nillable !== false && !calculated && f.readOnly !== true,
    picklistValues: (f.picklist?.values ?? []).map((v) => ({
      active: true,
      defaultValue: v.defaultValue === true,
      label: v.label,
      validFor: null,
      value: v.value,
    })),
    polymorphicForeignKey: false,
    precision: f.type === 'double' || f.type === 'currency' ? (f.precision ?? 18) : 0,
    queryByDistance: false,
    referenceTargetField: null,
    referenceTo: f.referenceTo ?? [],
    relationshipName: f.relationshipName ?? null,
    relationshipOrder: null,
    restrictedDelete: false,
    restrictedPicklist: f.picklist?.restricted === true,
    scale: f.type === 'double' || f.type === 'currency' ? (f.scale ?? 0) : 0,
    searchPrefilterable: false,
    soapType: SOAP_TYPE[f.type],
    sortable: can.sortable,
    type: f.type,
    unique: f.unique === true,
    updateable: isUpdateable(f),
    writeRequiresMasterRead: false,
  };
}

const objectUrls = (base: string, def: SObjectDef) => ({
  compactLayouts: `${base}/sobjects/${def.name}/describe/compactLayouts`,
  rowTemplate: `${base}/sobjects/${def.name}/{ID}`,
  approvalLayouts: `${base}/sobjects/${def.name}/describe/approvalLayouts`,
  uiDetailTemplate: `https://sandbox.my.salesforce.com/{ID}`,
  uiEditTemplate: `https://sandbox.my.salesforce.com/{ID}/e`,
  listviews: `${base}/sobjects/${def.name}/listviews`,
  describe: `${base}/sobjects/${def.name}/describe`,
  uiNewRecord: `https://sandbox.my.salesforce.com/${def.keyPrefix}/e`,
  quickActions: `${base}/sobjects/${def.name}/quickActions`,
  layouts: `${base}/sobjects/${def.name}/describe/layouts`,
  sobject: `${base}/sobjects/${def.name}`,
});

/** The per-object entry shared by describeGlobal and describe. */
function objectSummary(def: SObjectDef, base: string): Record<string, unknown> {
  return {
    activateable: false,
    associateEntityType: null,
    associateParentEntity: null,
    createable: true,
    custom: false,
    customSetting: false,
    deepCloneable: false,
    deletable: true,
    deprecatedAndHidden: false,
    feedEnabled: true,
    hasSubtypes: false,
    isInterface: false,
    isSubtype: false,
    keyPrefix: def.keyPrefix,
    label: def.label,
    labelPlural: def.labelPlural,
    layoutable: true,
    mergeable: true,
    mruEnabled: true,
    name: def.name,
    queryable: true,
    replicateable: true,
    retrieveable: true,
    searchable: true,
    triggerable: true,
    undeletable: true,
    updateable: true,
    urls: objectUrls(base, def),
  };
}

export function describeSObject(def: SObjectDef, base: string): Record<string, unknown> {
  return {
    ...objectSummary(def, base),
    actionOverrides: [],
    childRelationships:
      def.name === 'Account'
        ? [
            {
              cascadeDelete: true,
              childSObject: 'Contact',
              deprecatedAndHidden: false,
              field: 'AccountId',
              junctionIdListNames: [],
              junctionReferenceTo: [],
              relationshipName: 'Contacts',
              restrictedDelete: false,
            },
            {
              cascadeDelete: false,
              childSObject: 'Account',
              deprecatedAndHidden: false,
              field: 'ParentId',
              junctionIdListNames: [],
              junctionReferenceTo: [],
              relationshipName: 'ChildAccounts',
              restrictedDelete: false,
            },
          ]
        : [],
    compactLayoutable: true,
    defaultImplementation: null,
    extendedBy: null,
    extendsInterfaces: null,
    fields: def.fields.map(describeField),
    implementedBy: null,
    implementsInterfaces: null,
    listviewable: null,
    lookupLayoutable: null,
    namedLayoutInfos: [],
    networkScopeFieldName: null,
    recordTypeInfos: def.recordTypes.map((rt) => ({
      active: true,
      available: true,
      defaultRecordTypeMapping: rt.default,
      developerName: rt.developerName,
      master: rt.master,
      name: rt.name,
      recordTypeId: rt.recordTypeId,
      urls: { layout: `${base}/sobjects/${def.name}/describe/layouts/${rt.recordTypeId}` },
    })),
    searchLayoutable: true,
    sobjectDescribeOption: 'FULL',
    supportedScopes: [
      { label: 'All accounts', name: 'everything' },
      { label: 'My accounts', name: 'mine' },
    ],
  };
}

export function describeGlobal(base: string): Record<string, unknown> {
  return {
    encoding: 'UTF-8',
    maxBatchSize: 200,
    sobjects: SOBJECT_NAMES.map((n) => objectSummary(SOBJECTS[n], base)),
  };
}
