/**
 * describe() and describeGlobal() bodies in Salesforce's shape (jsforce's DescribeSObjectResult / Field /
 * DescribeGlobalResult), derived from the metadata in schema.ts. Field attributes follow
 * https://developer.salesforce.com/docs/atlas.en-us.api.meta/api/sforce_api_calls_describesobjects_describesobjectresult.htm
 */
import {
  isCalculated,
  isCreateable,
  isCustomField,
  isUpdateable,
  orgSchema,
  SOBJECT_NAMES,
  type FieldDef,
  type OrgSchema,
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
  percent: 'xsd:double',
  int: 'xsd:int',
  date: 'xsd:date',
  datetime: 'xsd:dateTime',
  address: 'urn:address',
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

const NUMERIC = new Set<FieldDef['type']>(['double', 'currency', 'percent']);

/** describe's aggregatable / groupable / filterable / sortable flags; SOQL enforces the same ones. */
export function fieldCapabilities(f: FieldDef): {
  aggregatable: boolean;
  groupable: boolean;
  filterable: boolean;
  sortable: boolean;
} {
  const longText = f.type === 'textarea' && (f.length ?? 0) > 255;
  const compound = f.type === 'address';
  // Long text areas, encrypted text and compounds cannot be grouped or sorted; long text cannot be filtered.
  return {
    aggregatable: !longText && !compound && !['multipicklist', 'encryptedstring', 'boolean'].includes(f.type),
    groupable:
      f.groupable ??
      (!longText &&
        !compound &&
        !['double', 'currency', 'percent', 'multipicklist', 'encryptedstring', 'datetime'].includes(f.type)),
    filterable: f.filterable ?? (!longText && f.type !== 'encryptedstring'),
    sortable: f.sortable ?? (!longText && !compound && f.type !== 'multipicklist'),
  };
}

function describeField(f: FieldDef): Record<string, unknown> {
  const calculated = isCalculated(f);
  const text = TEXT_TYPES.has(f.type);
  const can = fieldCapabilities(f);
  const idLike = f.type === 'id' || f.type === 'reference';
  return {
    aggregatable: can.aggregatable,
    aiPredictionField: false,
    autoNumber: false,
    byteLength: idLike ? 18 : text ? (f.length ?? 0) * 3 : 0,
    calculated,
    calculatedFormula: f.formula?.expression ?? null,
    cascadeDelete: false,
    caseSensitive: f.caseSensitive === true,
    compoundFieldName: f.compoundFieldName ?? null,
    controllerName: null,
    createable: isCreateable(f),
    custom: isCustomField(f),
    // A checkbox reports false unless its definition says otherwise (true, or null as real describes do for
    // User and Organization preference flags).
    defaultValue: f.type === 'boolean' && f.defaultValue === undefined ? false : (f.defaultValue ?? null),
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
    permissionable: f.nillable !== false && !calculated && f.readOnly !== true && f.type !== 'address',
    picklistValues: (f.picklist?.values ?? []).map((v) => ({
      active: v.active !== false,
      defaultValue: v.defaultValue === true,
      label: v.label,
      validFor: null,
      value: v.value,
    })),
    polymorphicForeignKey: false,
    precision: NUMERIC.has(f.type) ? (f.precision ?? 18) : 0,
    queryByDistance: false,
    referenceTargetField: null,
    referenceTo: f.referenceTo ?? [],
    relationshipName: f.relationshipName ?? null,
    relationshipOrder: null,
    restrictedDelete: false,
    restrictedPicklist: f.picklist?.restricted === true,
    scale: NUMERIC.has(f.type) ? (f.scale ?? 0) : 0,
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
    createable: def.createable !== false,
    custom: false,
    customSetting: false,
    deepCloneable: false,
    deletable: def.deletable !== false,
    deprecatedAndHidden: false,
    feedEnabled: true,
    hasSubtypes: false,
    isInterface: false,
    isSubtype: false,
    keyPrefix: def.keyPrefix,
    label: def.label,
    labelPlural: def.labelPlural,
    layoutable: true,
    mergeable: def.mergeable !== false,
    mruEnabled: true,
    name: def.name,
    queryable: true,
    replicateable: true,
    retrieveable: true,
    searchable: true,
    triggerable: true,
    undeletable: def.undeletable !== false,
    updateable: def.updateable !== false,
    urls: objectUrls(base, def),
  };
}

/** Every reference field in the org that points at this object, named where Salesforce names it. */
function childRelationships(def: SObjectDef, schema: OrgSchema): Record<string, unknown>[] {
  return schema.childRelationships(def.name).map(({ child, field }) => ({
    cascadeDelete: field.childCascadeDelete === true,
    childSObject: child,
    deprecatedAndHidden: false,
    field: field.name,
    junctionIdListNames: [],
    junctionReferenceTo: [],
    relationshipName: field.childRelationshipName ?? null,
    restrictedDelete: false,
  }));
}

export function describeSObject(
  def: SObjectDef,
  base: string,
  schema: OrgSchema = orgSchema(),
): Record<string, unknown> {
  return {
    ...objectSummary(def, base),
    actionOverrides: [],
    childRelationships: childRelationships(def, schema),
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
      { label: `All ${def.labelPlural.toLowerCase()}`, name: 'everything' },
      ...(def.fields.some((f) => f.name === 'OwnerId')
        ? [{ label: `My ${def.labelPlural.toLowerCase()}`, name: 'mine' }]
        : []),
    ],
  };
}

export function describeGlobal(base: string, schema: OrgSchema = orgSchema()): Record<string, unknown> {
  return {
    encoding: 'UTF-8',
    maxBatchSize: 200,
    // describeGlobal lists objects in alphabetical order.
    sobjects: [...SOBJECT_NAMES].sort().map((n) => objectSummary(schema.objects[n], base)),
  };
}
