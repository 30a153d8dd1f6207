// Resolves object and field names the way Salesforce does: case-insensitively, to the canonical
// names from describe, following reference fields through their relationship names (`Account.Name`).
import { SoqlError, soqlMessages as messages, type FieldPath } from '../../../core/soql';
import type { FieldCategory } from './values';

export type { FieldCategory } from './values';

export interface SoqlFieldInfo {
  name: string;
  /** Salesforce describe type: id, string, picklist, multipicklist, boolean, double, date, datetime, reference, ... */
  type: string;
  /** reference fields: the object(s) the field points to (describe `referenceTo`) */
  referenceTo?: string[];
  /** reference fields: describe `relationshipName`; derived from the field name when absent (AccountId -> Account, Foo__c -> Foo__r) */
  relationshipName?: string | null;
  /**
   * reference fields: the name the parent object uses for its children in a subquery (describe
   * `childRelationships[].relationshipName`), e.g. `Contacts` for Contact.AccountId.
   */
  childRelationshipName?: string;
  /** picklist fields: the values with their labels, in the picklist's order (toLabel, MIN and MAX). */
  picklistValues?: { value: string; label: string }[];
  /** describe `groupable`; assumed true when absent. */
  groupable?: boolean;
  /** describe `aggregatable`; assumed true when absent. */
  aggregatable?: boolean;
}

export interface SoqlSource {
  /** The object's fields, or undefined when the object does not exist. `Id` is added when missing. */
  fields(objectName: string): SoqlFieldInfo[] | undefined;
  records(objectName: string): Iterable<Record<string, unknown>>;
  /**
   * Optional: only the records with these Ids (15 or 18 characters), for a WHERE clause that pins `Id`.
   * The engine still applies the whole WHERE clause to them; this only spares scanning every record.
   */
  recordsWithIds?(objectName: string, ids: string[]): Iterable<Record<string, unknown>>;
  /** Records with an Id above `afterId` (all without one), in Id order, read lazily (Id-keyed paging). */
  recordsInIdOrder?(objectName: string, afterId: string | undefined): Iterable<Record<string, unknown>>;
  /** Optional: the record a reference field points to, for relationship paths such as `Account.Name`. */
  related?(objectName: string, field: string, id: string): Record<string, unknown> | undefined;
  /** Optional: every object name, so `FROM account` resolves to the canonical `Account`. */
  objectNames?(): Iterable<string>;
}

const CATEGORIES: Record<string, FieldCategory> = {
  id: 'id',
  reference: 'id',
  string: 'text',
  picklist: 'text',
  combobox: 'text',
  email: 'text',
  phone: 'text',
  url: 'text',
  textarea: 'text',
  encryptedstring: 'text',
  multipicklist: 'multipicklist',
  boolean: 'boolean',
  double: 'number',
  int: 'number',
  long: 'number',
  currency: 'number',
  percent: 'number',
  date: 'date',
  datetime: 'datetime',
};

export function categoryOf(field: SoqlFieldInfo): FieldCategory {
  return CATEGORIES[field.type.toLowerCase()] ?? 'any';
}

export interface ObjectSchema {
  name: string;
  fields: SoqlFieldInfo[];
  byName: Map<string, SoqlFieldInfo>;
}

export interface Hop {
  /** the reference field on the object we come from */
  via: SoqlFieldInfo;
  relationshipName: string;
  fromObject: string;
  /** undefined when the target object is not described by the source */
  toObject: string | undefined;
}

export interface ResolvedField {
  hops: Hop[];
  field: SoqlFieldInfo;
  /** canonical dotted path, e.g. `Account.Name` */
  display: string;
  position: number;
}

export class SchemaResolver {
  private readonly cache = new Map<string, ObjectSchema | undefined>();

  constructor(
    private readonly source: SoqlSource,
    private readonly soql: string,
  ) {}

  object(name: string): ObjectSchema | undefined {
    const key = name.toLowerCase();
    if (!this.cache.has(key)) this.cache.set(key, this.load(name));
    return this.cache.get(key);
  }

  requireObject(name: string, position: number): ObjectSchema {
    const schema = this.object(name);
    if (!schema) throw new SoqlError('INVALID_TYPE', messages.unsupportedObject(name), this.soql, position);
    return schema;
  }

  resolve(fieldPath: FieldPath, base: ObjectSchema, alias: string | undefined): ResolvedField {
    let segments = fieldPath.path;
    const head = segments[0]?.toLowerCase();
    // `Account.Name FROM Account` and `a.Name FROM Account a` qualify the field with the queried object.
    if (
      segments.length > 1 &&
      (head === alias?.toLowerCase() || (head === base.name.toLowerCase() && !findRelationship(base, head)))
    ) {
      segments = segments.slice(1);
    }
    const hops: Hop[] = [];
    let current: ObjectSchema | undefined = base;
    for (const segment of segments.slice(0, -1)) {
      const via: SoqlFieldInfo | undefined = current
        ? findRelationship(current, segment.toLowerCase())
        : undefined;
      if (current && !via) {
        throw new SoqlError(
          'INVALID_FIELD',
          messages.unknownRelationship(segment),
          this.soql,
          fieldPath.position,
        );
      }
      const relationshipName: string = via ? (relationshipNameOf(via) ?? segment) : segment;
      const toObject: string | undefined =
        via?.referenceTo?.[0] ?? (this.object(relationshipName) ? relationshipName : undefined);
      const target: ObjectSchema | undefined = toObject ? this.object(toObject) : undefined;
      hops.push({
        via: via ?? { name: `${segment}Id`, type: 'reference' },
        relationshipName,
        fromObject: current?.name ?? '',
        toObject: target?.name ?? toObject,
      });
      current = target;
    }
    const last = segments[segments.length - 1] as string;
    // A relationship into an object the source does not describe cannot be checked: accept the field as written.
    const field = current ? current.byName.get(last.toLowerCase()) : { name: last, type: 'anyType' };
    if (!field) {
      throw new SoqlError(
        'INVALID_FIELD',
        messages.noSuchColumn(last, current!.name),
        this.soql,
        fieldPath.position,
      );
    }
    const display = [...hops.map((h) => h.relationshipName), field.name].join('.');
    return { hops, field, display, position: fieldPath.position };
  }

  /**
   * A parent-to-child relationship used as a subquery's FROM (`Contacts` from Account): the child object
   * and its reference field whose `childRelationshipName` it is.
   */
  childRelationship(
    parent: ObjectSchema,
    name: string,
    position: number,
  ): { name: string; child: ObjectSchema; field: SoqlFieldInfo } {
    const lower = name.toLowerCase();
    for (const objectName of this.source.objectNames?.() ?? []) {
      const child = this.object(objectName);
      const field = child?.fields.find(
        (f) =>
          f.childRelationshipName?.toLowerCase() === lower &&
          (f.referenceTo ?? []).some((t) => t.toLowerCase() === parent.name.toLowerCase()),
      );
      if (child && field) return { name: field.childRelationshipName!, child, field };
    }
    throw new SoqlError(
      'INVALID_TYPE',
      `Didn't understand relationship '${name}' in FROM part of query call. If you are attempting to use a custom relationship, be sure to append the '__r' after the custom relationship name. Please reference your WSDL or the describe call for the appropriate names.`,
      this.soql,
      position,
    );
  }

  private load(name: string): ObjectSchema | undefined {
    let canonical = name;
    let fields = this.source.fields(name);
    if (!fields && this.source.objectNames) {
      const match = [...this.source.objectNames()].find((n) => n.toLowerCase() === name.toLowerCase());
      if (match) {
        canonical = match;
        fields = this.source.fields(match);
      }
    }
    if (!fields) return undefined;
    const byName = new Map<string, SoqlFieldInfo>();
    for (const field of fields) byName.set(field.name.toLowerCase(), field);
    const all = [...fields];
    if (!byName.has('id')) {
      const id = { name: 'Id', type: 'id' };
      byName.set('id', id);
      all.unshift(id);
    }
    return { name: canonical, fields: all, byName };
  }
}

export function relationshipNameOf(field: SoqlFieldInfo): string | undefined {
  if (field.relationshipName) return field.relationshipName;
  if (/__c$/i.test(field.name)) return `${field.name.slice(0, -3)}__r`;
  if (/.Id$/i.test(field.name)) return field.name.slice(0, -2);
  return undefined;
}

function findRelationship(schema: ObjectSchema, lowerName: string | undefined): SoqlFieldInfo | undefined {
  return schema.fields.find(
    (f) =>
      categoryOf(f) === 'id' &&
      f.type.toLowerCase() === 'reference' &&
      relationshipNameOf(f)?.toLowerCase() === lowerName,
  );
}
