/**
 * sObject Tree (`POST composite/tree/{SObject}`): creates record trees (a root of the URL's type with nested
 * children under their child relationship names) in one transaction. Up to 200 records in all, of up to 5
 * types, up to 5 levels deep. Records are created level by level (every root, then every second-level
 * record, …); any failure rolls back everything and the response names only the records that failed.
 *
 * Source: REST API Developer Guide, "sObject Tree" and its request and response bodies
 * https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/resources_composite_sobject_tree.htm
 */
import type { Request, Response } from 'express';
import type { SalesforceContext } from './context';
import { SalesforceApiError } from './errors';
import { handle, transactionFor } from './http';
import type { RestApi } from './rest-guard';
import { resolveSObjectName, SOBJECT_NAMES, SOBJECTS, type SObjectName } from './schema';
import { bodyOf, sobjectOf, V } from './sobject-routes';

export const MAX_TREE_RECORDS = 200;
export const MAX_TREE_TYPES = 5;
export const MAX_TREE_DEPTH = 5;

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

interface TreeNode {
  referenceId: string;
  type: SObjectName;
  fields: Record<string, unknown>;
  level: number;
  parent?: { node: TreeNode; field: string };
  id?: string;
}

const invalid = (message: string) => new SalesforceApiError(400, 'INVALID_INPUT', message);

/** The child relationship `name` of `parent` (Account's `Contacts`): the child object and its reference field. */
function childRelationship(
  parent: SObjectName,
  name: string,
): { type: SObjectName; field: string } | undefined {
  const lower = name.toLowerCase();
  for (const type of SOBJECT_NAMES) {
    const field = SOBJECTS[type].fields.find(
      (f) =>
        f.childRelationshipName?.toLowerCase() === lower &&
        (f.referenceTo ?? []).some((t) => t.toLowerCase() === parent.toLowerCase()),
    );
    if (field) return { type, field: field.name };
  }
  return undefined;
}

/** Flattens the request's trees into nodes, checking types, reference ids and the documented limits. */
function collect(rootType: SObjectName, records: unknown): TreeNode[] {
  const nodes: TreeNode[] = [];
  const types = new Set<SObjectName>();
  const visit = (raw: unknown, expected: SObjectName, level: number, parent?: TreeNode['parent']) => {
    if (level > MAX_TREE_DEPTH) {
      throw new SalesforceApiError(
        400,
        'LIMIT_EXCEEDED',
        `An sObject tree can be at most ${MAX_TREE_DEPTH} levels deep`,
      );
    }
    if (!isRecord(raw))
      throw new SalesforceApiError(400, 'JSON_PARSER_ERROR', 'Each record must be a JSON object');
    const attributes = isRecord(raw.attributes) ? raw.attributes : {};
    const typeName = attributes.type;
    const referenceId = attributes.referenceId;
    if (typeof typeName !== 'string' || typeName === '')
      throw invalid('Each record must specify its type in attributes');
    if (typeof referenceId !== 'string' || !/^[A-Za-z0-9]/.test(referenceId)) {
      throw invalid(
        'Each record must have a referenceId in attributes that starts with a letter or a number',
      );
    }
    const type = resolveSObjectName(typeName);
    if (!type || type !== expected) {
      throw invalid(
        `The type of the record with referenceId ${referenceId} must be ${expected}, not ${typeName}`,
      );
    }
    types.add(type);
    const fields: Record<string, unknown> = {};
    const children: { records: unknown[]; type: SObjectName; field: string }[] = [];
    for (const [key, value] of Object.entries(raw)) {
      if (key === 'attributes') continue;
      const relationship =
        isRecord(value) && Array.isArray(value.records) ? childRelationship(type, key) : undefined;
      if (relationship && isRecord(value))
        children.push({ records: value.records as unknown[], ...relationship });
      else fields[key] = value;
    }
    if (Object.keys(fields).some((k) => k.toLowerCase() === 'id')) {
      throw new SalesforceApiError(400, 'INVALID_FIELD', 'cannot specify Id in an insert call', ['Id']);
    }
    const node: TreeNode = { referenceId, type, fields, level, ...(parent ? { parent } : {}) };
    nodes.push(node);
    for (const child of children) {
      for (const record of child.records) visit(record, child.type, level + 1, { node, field: child.field });
    }
  };
  if (!Array.isArray(records)) {
    throw new SalesforceApiError(
      400,
      'JSON_PARSER_ERROR',
      'Cannot deserialize instance of sObject tree: records is required',
    );
  }
  for (const record of records) visit(record, rootType, 1);
  if (nodes.length > MAX_TREE_RECORDS) {
    throw new SalesforceApiError(
      400,
      'LIMIT_EXCEEDED',
      `An sObject tree request can create up to ${MAX_TREE_RECORDS} records; this one has ${nodes.length}`,
    );
  }
  if (types.size > MAX_TREE_TYPES) {
    throw new SalesforceApiError(
      400,
      'LIMIT_EXCEEDED',
      `An sObject tree request can hold records of up to ${MAX_TREE_TYPES} types`,
    );
  }
  return nodes;
}

class TreeFailed extends Error {
  constructor(readonly results: { referenceId: string; errors: unknown[] }[]) {
    super('sObject tree failed');
  }
}

export function registerTreeRoutes(api: RestApi, ctx: SalesforceContext): void {
  api.post(
    `${V}/composite/tree/:type`,
    handle((req: Request, res: Response) => {
      const rootType = sobjectOf(req);
      const body = bodyOf(req);
      const nodes = collect(rootType, isRecord(body) ? body.records : undefined);

      // "If there are duplicate reference IDs, results contain one item for each instance of the duplicate ID."
      const counts = new Map<string, number>();
      for (const n of nodes) counts.set(n.referenceId, (counts.get(n.referenceId) ?? 0) + 1);
      const duplicates = nodes.filter((n) => (counts.get(n.referenceId) ?? 0) > 1);
      if (duplicates.length > 0) {
        res.status(400).json({
          hasErrors: true,
          results: duplicates.map((n) => ({
            referenceId: n.referenceId,
            errors: [
              {
                statusCode: 'INVALID_INPUT',
                message: 'Duplicate ReferenceId provided in the request',
                fields: [],
              },
            ],
          })),
        });
        return;
      }

      const tx = transactionFor(req, res);
      const ordered = [...nodes].sort((a, b) => a.level - b.level);
      try {
        ctx.store.transaction(() => {
          for (const node of ordered) {
            const values = node.parent
              ? { ...node.fields, [node.parent.field]: node.parent.node.id }
              : node.fields;
            try {
              node.id = ctx.store.create(node.type, values, tx);
            } catch (err) {
              if (!(err instanceof SalesforceApiError)) throw err;
              throw new TreeFailed([{ referenceId: node.referenceId, errors: [err.toSaveError()] }]);
            }
          }
        });
      } catch (err) {
        if (!(err instanceof TreeFailed)) throw err;
        res.status(400).json({ hasErrors: true, results: err.results });
        return;
      }
      res.status(201).json({
        hasErrors: false,
        results: ordered.map((n) => ({ referenceId: n.referenceId, id: n.id })),
      });
    }),
  );
}
