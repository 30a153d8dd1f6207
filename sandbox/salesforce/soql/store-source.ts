/** Exposes the record store to the sandbox's SOQL engine as its SoqlSource. */
import { resolveSObjectName, SOBJECT_NAMES, type SObjectName } from '../schema';
import { fieldCapabilities } from '../describe';
import type { RecordStore } from '../store';
import type { SoqlFieldInfo, SoqlSource } from './schema';

/** `includeDeleted` is queryAll: recycle-bin rows (IsDeleted = true) are visible too. */
export function storeSoqlSource(store: RecordStore, includeDeleted: boolean): SoqlSource {
  return {
    fields(objectName: string): SoqlFieldInfo[] | undefined {
      const name = resolveSObjectName(objectName);
      if (!name) return undefined;
      return store.schema.objects[name].fields.map((f) => {
        const can = fieldCapabilities(f);
        return {
          name: f.name,
          type: f.type,
          ...(f.referenceTo ? { referenceTo: f.referenceTo } : {}),
          ...(f.relationshipName ? { relationshipName: f.relationshipName } : {}),
          ...(f.childRelationshipName ? { childRelationshipName: f.childRelationshipName } : {}),
          ...(f.picklist
            ? { picklistValues: f.picklist.values.map(({ value, label }) => ({ value, label })) }
            : {}),
          // Salesforce does not group by formula fields ("field 'X' can not be grouped in a query call").
          groupable: can.groupable && !f.formula,
          aggregatable: can.aggregatable,
        };
      });
    },
    records(objectName: string): Iterable<Record<string, unknown>> {
      const name = resolveSObjectName(objectName);
      return name ? store.records(name, includeDeleted) : [];
    },
    recordsWithIds(objectName: string, ids: string[]): Iterable<Record<string, unknown>> {
      const name = resolveSObjectName(objectName);
      return name ? store.recordsWithIds(name, ids, includeDeleted) : [];
    },
    recordsInIdOrder(objectName: string, afterId: string | undefined): Iterable<Record<string, unknown>> {
      const name = resolveSObjectName(objectName);
      return name ? store.recordsInIdOrder(name, afterId, includeDeleted) : [];
    },
    related(objectName: string, field: string, id: string): Record<string, unknown> | undefined {
      const from = resolveSObjectName(objectName);
      const target = from ? store.schema.findField(from, field)?.referenceTo?.[0] : undefined;
      const targetName = target ? resolveSObjectName(target) : undefined;
      if (!targetName) return undefined;
      try {
        return store.read(targetName, id);
      } catch {
        return undefined;
      }
    },
    objectNames: (): SObjectName[] => [...SOBJECT_NAMES],
  };
}
