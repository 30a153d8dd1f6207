/**
 * sObject Collections (`/composite/sobjects`): create, update and delete up to 200 records in one call,
 * and retrieve many records of one type by id. One call is one transaction for CDC; with allOrNone
 * a single failure rolls every record back.
 */
import type { Request, Response } from 'express';
import type { SalesforceContext } from './context';
import type { RestApi } from './rest-guard';
import { SalesforceApiError, unsupportedSObject } from './errors';
import { handle, transactionFor, versionBase, withAttributes } from './http';
import { normalizeId } from './ids';
import { resolveSObjectName, SOBJECT_NAMES, type SObjectName } from './schema';
import { bodyOf, project, selectFields, sobjectOf, V } from './sobject-routes';
import type { RecordStore, WriteTransaction } from './store';

const MAX_RECORDS = 200;
const MAX_RETRIEVE_IDS = 2000;

interface SaveResult {
  id?: string;
  success: boolean;
  errors: { statusCode: string; message: string; fields: string[] }[];
}

const tooMany = () =>
  new SalesforceApiError(
    400,
    'EXCEEDED_ID_LIMIT',
    `record limit reached. cannot submit more than ${MAX_RECORDS} records into this call`,
  );

const rolledBack = {
  statusCode: 'ALL_OR_NONE_OPERATION_ROLLED_BACK',
  message: 'Record rolled back because not all records were valid and the request was using AllOrNone header',
  fields: [],
};

interface CollectionBody {
  allOrNone: boolean;
  records: Record<string, unknown>[];
}

function collectionBody(req: Request): CollectionBody {
  const body = bodyOf(req) as { allOrNone?: unknown; records?: unknown };
  if (body === null || typeof body !== 'object' || !Array.isArray(body.records)) {
    throw new SalesforceApiError(
      400,
      'JSON_PARSER_ERROR',
      'Cannot deserialize instance of list from VALUE_NULL: records is required',
    );
  }
  if (body.allOrNone !== undefined && typeof body.allOrNone !== 'boolean') {
    throw new SalesforceApiError(
      400,
      'JSON_PARSER_ERROR',
      `Cannot deserialize instance of boolean from value ${JSON.stringify(body.allOrNone)}`,
    );
  }
  if (body.records.length > MAX_RECORDS) throw tooMany();
  const records = body.records.map((r) => {
    if (r === null || typeof r !== 'object' || Array.isArray(r)) {
      throw new SalesforceApiError(
        400,
        'JSON_PARSER_ERROR',
        'Cannot deserialize instance of SObject from a non-object value',
      );
    }
    return r as Record<string, unknown>;
  });
  return { allOrNone: body.allOrNone === true, records };
}

/** The record's `attributes.type`; an unknown type fails the whole request, as in Salesforce. */
function typeOf(record: Record<string, unknown>): SObjectName {
  const raw = (record.attributes as { type?: unknown } | undefined)?.type;
  if (typeof raw !== 'string' || raw === '') {
    throw new SalesforceApiError(400, 'INVALID_TYPE', 'Must specify a type in the attributes of each record');
  }
  const name = resolveSObjectName(raw);
  if (!name) throw unsupportedSObject(raw);
  return name;
}

/** Runs the ops as one batch and renders SaveResults (with rollback entries under allOrNone). */
function saveResults(
  store: RecordStore,
  ops: { id?: string; run: () => string }[],
  allOrNone: boolean,
): SaveResult[] {
  const results = store.batch(
    ops.map((o) => o.run),
    allOrNone,
  );
  const failed = results.some((r) => !r.ok);
  return results.map((r, i) => {
    const echoId = ops[i]!.id;
    if (!r.ok) return { ...(echoId ? { id: echoId } : {}), success: false, errors: [r.error.toSaveError()] };
    if (allOrNone && failed)
      return { ...(echoId ? { id: echoId } : {}), success: false, errors: [rolledBack] };
    return { id: r.value, success: true, errors: [] };
  });
}

function objectOfId(store: RecordStore, raw: string): { type: SObjectName; id: string } {
  const id = normalizeId(raw);
  const type =
    id === undefined
      ? undefined
      : SOBJECT_NAMES.find((n) => id.startsWith(store.schema.objects[n].keyPrefix));
  if (id === undefined || type === undefined) {
    throw new SalesforceApiError(400, 'MALFORMED_ID', `malformed id ${raw}`, ['Id']);
  }
  return { type, id };
}

export function registerCompositeRoutes(api: RestApi, ctx: SalesforceContext): void {
  const { store } = ctx;

  api.post(
    `${V}/composite/sobjects`,
    handle((req: Request, res: Response) => {
      const { allOrNone, records } = collectionBody(req);
      const types = records.map(typeOf);
      const tx: WriteTransaction = transactionFor(req, res);
      const ops = records.map((record, i) => ({
        run: () => {
          if (record.id !== undefined || record.Id !== undefined) {
            throw new SalesforceApiError(400, 'INVALID_FIELD', 'cannot specify Id in an insert call', ['Id']);
          }
          return store.create(types[i]!, record, tx);
        },
      }));
      res.json(saveResults(store, ops, allOrNone));
    }),
  );

  api.patch(
    `${V}/composite/sobjects`,
    handle((req: Request, res: Response) => {
      const { allOrNone, records } = collectionBody(req);
      const types = records.map(typeOf);
      const tx = transactionFor(req, res);
      const ops = records.map((record, i) => {
        const rawId = record.id ?? record.Id;
        const id = typeof rawId === 'string' ? rawId : undefined;
        return {
          id,
          run: () => {
            if (id === undefined)
              throw new SalesforceApiError(400, 'MISSING_ARGUMENT', 'Id not specified in an update call', [
                'Id',
              ]);
            const type = types[i]!;
            const id18 = normalizeId(id);
            if (id18 === undefined || !id18.startsWith(store.schema.objects[type].keyPrefix)) {
              throw new SalesforceApiError(
                400,
                'MALFORMED_ID',
                `${type} ID: id value of incorrect type: ${id}`,
                ['Id'],
              );
            }
            store.update(type, id18, record, tx);
            return id18;
          },
        };
      });
      res.json(saveResults(store, ops, allOrNone));
    }),
  );

  api.delete(
    `${V}/composite/sobjects`,
    handle((req: Request, res: Response) => {
      const idsParam = typeof req.query.ids === 'string' ? req.query.ids : '';
      const ids = idsParam.split(',').filter((s) => s.trim() !== '');
      if (ids.length === 0)
        throw new SalesforceApiError(400, 'MISSING_ARGUMENT', 'ids parameter is required');
      if (ids.length > MAX_RECORDS) throw tooMany();
      const allOrNone = req.query.allOrNone === 'true';
      const tx = transactionFor(req, res);
      const ops = ids.map((raw) => ({
        id: raw,
        run: () => {
          const { type, id } = objectOfId(store, raw.trim());
          if (!store.exists(type, id)) {
            const deleted = store.dump(type).some((r) => r.Id === id);
            throw deleted
              ? new SalesforceApiError(404, 'ENTITY_IS_DELETED', 'entity is deleted')
              : new SalesforceApiError(404, 'INVALID_CROSS_REFERENCE_KEY', 'invalid cross reference id');
          }
          store.delete(type, id, tx);
          return id;
        },
      }));
      res.json(saveResults(store, ops, allOrNone));
    }),
  );

  // Retrieve many records of one type: `{ ids, fields }` -> records in id order, null where not found.
  api.post(
    `${V}/composite/sobjects/:type`,
    handle((req: Request, res: Response) => {
      const type = sobjectOf(req);
      const body = bodyOf(req) as { ids?: unknown; fields?: unknown };
      if (!Array.isArray(body?.ids) || !Array.isArray(body.fields) || body.fields.length === 0) {
        throw new SalesforceApiError(400, 'JSON_PARSER_ERROR', 'ids and fields are required');
      }
      if (body.ids.length > MAX_RETRIEVE_IDS) {
        throw new SalesforceApiError(
          400,
          'EXCEEDED_ID_LIMIT',
          `record limit reached. cannot submit more than ${MAX_RETRIEVE_IDS} records into this call`,
        );
      }
      const fields = selectFields(type, body.fields.map(String), store.schema);
      const base = versionBase(res);
      const out = body.ids.map((raw) => {
        const id = normalizeId(String(raw));
        if (id === undefined || !store.exists(type, id)) return null;
        return withAttributes(type, base, id, project(store.read(type, id), fields));
      });
      res.json(out);
    }),
  );
}
