/**
 * Records addressed by an external id: retrieve (`GET /sobjects/T/Field/value`), upsert
 * (`PATCH /sobjects/T/Field/value`) and collection upsert (`PATCH /composite/sobjects/T/Field`, what jsforce
 * sends for `upsert(records[])` from API 46.0).
 */
import type { Request, Response } from 'express';
import type { SalesforceContext } from './context';
import { notFound, SalesforceApiError } from './errors';
import { apiVersionOf, handle, transactionFor, versionBase, withAttributes } from './http';
import type { RestApi } from './rest-guard';
import type { FieldDef, OrgSchema, SObjectName } from './schema';
import { bodyOf, project, selectFields, sobjectOf, V } from './sobject-routes';
import type { RecordStore, WriteTransaction } from './store';

const MAX_RECORDS = 200;

/** Only Id, external id and id-lookup fields can address a record. */
function externalField(schema: OrgSchema, objectName: SObjectName, name: string): FieldDef {
  const field = schema.findField(objectName, name);
  if (!field || !(field.name === 'Id' || field.externalId || field.idLookup)) {
    throw new SalesforceApiError(
      404,
      'NOT_FOUND',
      `Provided external ID field does not exist or is not accessible: ${name}`,
    );
  }
  return field;
}

class MultipleMatches extends SalesforceApiError {
  constructor(
    readonly ids: string[],
    field: FieldDef,
  ) {
    super(
      300,
      'DUPLICATE_EXTERNAL_ID',
      `${field.label}: more than one record found for external id field: [${ids.join(', ')}]`,
      [field.name],
    );
  }
}

function upsertOne(
  store: RecordStore,
  objectName: SObjectName,
  field: FieldDef,
  value: string,
  body: unknown,
  tx: WriteTransaction,
): { id: string; created: boolean } {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw new SalesforceApiError(
      400,
      'JSON_PARSER_ERROR',
      `Cannot deserialize instance of ${objectName} from a non-object value`,
    );
  }
  // The key may ride along in the body; it must not contradict the URL.
  const rest: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(body as Record<string, unknown>)) {
    if (k.toLowerCase() !== field.name.toLowerCase()) rest[k] = v;
  }
  const matches = store.findByField(objectName, field.name, value);
  if (matches.length > 1) throw new MultipleMatches(matches, field);
  if (matches.length === 1) {
    store.update(objectName, matches[0]!, rest, tx);
    return { id: matches[0]!, created: false };
  }
  if (field.name === 'Id') throw notFound();
  return { id: store.create(objectName, { ...rest, [field.name]: value }, tx), created: true };
}

export function registerUpsertRoutes(api: RestApi, ctx: SalesforceContext): void {
  const { store } = ctx;

  const multipleChoices = (res: Response, err: MultipleMatches, objectName: SObjectName) => {
    res.status(300).json(err.ids.map((id) => `${versionBase(res)}/sobjects/${objectName}/${id}`));
  };

  api.get(
    `${V}/sobjects/:type/:field/:value`,
    handle((req: Request, res: Response) => {
      const type = sobjectOf(req);
      const field = externalField(store.schema, type, String(req.params.field));
      const fieldsParam = typeof req.query.fields === 'string' ? req.query.fields : undefined;
      const fields = fieldsParam
        ? selectFields(
            type,
            fieldsParam.split(',').filter((f) => f.trim() !== ''),
            store.schema,
          )
        : undefined;
      const matches = store.findByField(type, field.name, String(req.params.value));
      if (matches.length === 0) throw notFound();
      if (matches.length > 1) return multipleChoices(res, new MultipleMatches(matches, field), type);
      res.json(
        withAttributes(type, versionBase(res), matches[0]!, project(store.read(type, matches[0]!), fields)),
      );
    }),
  );

  api.patch(
    `${V}/sobjects/:type/:field/:value`,
    handle((req: Request, res: Response) => {
      const type = sobjectOf(req);
      const field = externalField(store.schema, type, String(req.params.field));
      try {
        const { id, created } = upsertOne(
          store,
          type,
          field,
          String(req.params.value),
          bodyOf(req),
          transactionFor(req, res),
        );
        // Before API 46.0 an update answered 204 with no body.
        if (!created && Number(apiVersionOf(res)) < 46) return res.status(204).end();
        res.status(created ? 201 : 200).json({ id, success: true, errors: [], created });
      } catch (err) {
        if (err instanceof MultipleMatches) return multipleChoices(res, err, type);
        throw err;
      }
    }),
  );

  api.patch(
    `${V}/composite/sobjects/:type/:field`,
    handle((req: Request, res: Response) => {
      const type = sobjectOf(req);
      const field = externalField(store.schema, type, String(req.params.field));
      const body = bodyOf(req) as { allOrNone?: unknown; records?: unknown };
      if (body === null || typeof body !== 'object' || !Array.isArray(body.records)) {
        throw new SalesforceApiError(
          400,
          'JSON_PARSER_ERROR',
          'Cannot deserialize instance of list: records is required',
        );
      }
      if (body.records.length > MAX_RECORDS) {
        throw new SalesforceApiError(
          400,
          'EXCEEDED_ID_LIMIT',
          `record limit reached. cannot submit more than ${MAX_RECORDS} records into this call`,
        );
      }
      const allOrNone = body.allOrNone === true;
      const tx = transactionFor(req, res);
      const records = body.records as Record<string, unknown>[];
      const created: boolean[] = [];
      const results = store.batch(
        records.map((record, i) => () => {
          const key = Object.entries(record ?? {}).find(
            ([k]) => k.toLowerCase() === field.name.toLowerCase(),
          )?.[1];
          if (typeof key !== 'string' || key === '') {
            throw new SalesforceApiError(400, 'MISSING_ARGUMENT', `${field.name} not specified`, [
              field.name,
            ]);
          }
          const out = upsertOne(store, type, field, key, record, tx);
          created[i] = out.created;
          return out.id;
        }),
        allOrNone,
      );
      const failed = results.some((r) => !r.ok);
      res.json(
        results.map((r, i) => {
          if (!r.ok) return { success: false, errors: [r.error.toSaveError()] };
          if (allOrNone && failed) {
            return {
              success: false,
              errors: [
                {
                  statusCode: 'ALL_OR_NONE_OPERATION_ROLLED_BACK',
                  message:
                    'Record rolled back because not all records were valid and the request was using AllOrNone header',
                  fields: [],
                },
              ],
            };
          }
          return { id: r.value, success: true, errors: [], created: created[i] === true };
        }),
      );
    }),
  );
}
