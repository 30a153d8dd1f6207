/**
 * The sObject resources: describeGlobal, describe, create, retrieve (with `?fields=`), update, delete,
 * the updated/deleted replication feeds, and limits.
 */
import type { Request, Response } from 'express';
import type { SalesforceContext } from './context';
import type { RestApi } from './rest-guard';
import { describeGlobal, describeSObject } from './describe';
import { notFound, SalesforceApiError } from './errors';
import { handle, transactionFor, versionBase, withAttributes } from './http';
import { normalizeId } from './ids';
import { orgSchema, resolveSObjectName, type OrgSchema, type SObjectName } from './schema';

export const V = '/services/data/:version';

/** Concurrent CometD clients across all channels, Enterprise Edition. */
const CONCURRENT_COMETD_CLIENTS = 1000;

/**
 * Conditional describe: `Last-Modified` names when the org's metadata last changed; `If-Modified-Since`
 * answers 304 with no body when nothing changed since, and `If-Unmodified-Since` refuses when it did.
 * https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/sobject_describe_with_ifmodified_header.htm
 * Returns true when the response was sent.
 */
function conditionalDescribe(req: Request, res: Response, modifiedAt: number): boolean {
  res.set('Last-Modified', new Date(modifiedAt).toUTCString());
  const since = Date.parse(req.get('if-modified-since') ?? '');
  if (!Number.isNaN(since) && modifiedAt <= since) {
    res.status(304).end();
    return true;
  }
  const unmodifiedSince = Date.parse(req.get('if-unmodified-since') ?? '');
  if (!Number.isNaN(unmodifiedSince) && modifiedAt > unmodifiedSince) {
    throw new SalesforceApiError(
      412,
      'PRECONDITION_FAILED',
      'The metadata was modified after the If-Unmodified-Since date',
    );
  }
  return false;
}

export function sobjectOf(req: Request): SObjectName {
  const name = resolveSObjectName(String(req.params.type));
  if (!name) throw notFound();
  return name;
}

/**
 * An id in a URL: text that is not id-shaped is taken as an external id Salesforce cannot find (404);
 * an id-shaped value of another object or with a bad checksum is MALFORMED_ID.
 */
export function urlId(objectName: SObjectName, raw: string, schema: OrgSchema = orgSchema()): string {
  const id = normalizeId(raw);
  if (id === undefined && !/^[a-zA-Z0-9]{15}([a-zA-Z0-9]{3})?$/.test(raw)) {
    throw new SalesforceApiError(
      404,
      'NOT_FOUND',
      `Provided external ID field does not exist or is not accessible: ${raw}`,
    );
  }
  if (id === undefined || !id.startsWith(schema.objects[objectName].keyPrefix)) {
    throw new SalesforceApiError(
      400,
      'MALFORMED_ID',
      `${objectName} ID: id value of incorrect type: ${raw}`,
      ['Id'],
    );
  }
  return id;
}

/** `?fields=a,b` or a composite `fields` list: canonical names, INVALID_FIELD for unknown ones. */
export function selectFields(
  objectName: SObjectName,
  names: string[],
  schema: OrgSchema = orgSchema(),
): string[] {
  return names.map((n) => {
    const f = schema.findField(objectName, n.trim());
    if (!f) {
      throw new SalesforceApiError(
        400,
        'INVALID_FIELD',
        `No such column '${n.trim()}' on entity '${objectName}'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. Please reference your WSDL or the describe call for the appropriate names.`,
      );
    }
    return f.name;
  });
}

export function project(
  record: Record<string, unknown>,
  fields: string[] | undefined,
): Record<string, unknown> {
  if (!fields) return record;
  const out: Record<string, unknown> = {};
  for (const f of fields) out[f] = record[f];
  return out;
}

function parseRange(req: Request): { start: number; end: number } {
  const text = (v: unknown) => (typeof v === 'string' ? v : '');
  const start = Date.parse(text(req.query.start));
  const end = Date.parse(text(req.query.end));
  if (Number.isNaN(start) || Number.isNaN(end) || end < start) {
    throw new SalesforceApiError(
      400,
      'INVALID_REPLICATION_DATE',
      'start and end must be valid dateTimes with start before end',
    );
  }
  return { start, end };
}

const parseStamp = (s: unknown) => Date.parse(String(s).replace('+0000', 'Z'));

export function registerSObjectRoutes(api: RestApi, ctx: SalesforceContext): void {
  const { store, usage } = ctx;

  api.get(
    V,
    handle((_req, res) => {
      const base = versionBase(res);
      res.json({
        limits: `${base}/limits`,
        sobjects: `${base}/sobjects`,
        query: `${base}/query`,
        queryAll: `${base}/queryAll`,
        search: `${base}/search`,
        composite: `${base}/composite`,
      });
    }),
  );

  api.get(
    `${V}/limits`,
    handle((_req, res) => {
      const max = (n: number, remaining = n) => ({ Max: n, Remaining: remaining });
      const { deliveries } = ctx.streaming;
      // Enterprise Edition allocations. The streaming keys are those a real org returns
      // (https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/resources_limits.htm):
      // DailyDeliveredPlatformEvents is the rolling 24-hour CDC and high-volume platform event delivery to
      // CometD clients, counted and enforced by the CDC feed (cdc/delivery-allocation.ts). Salesforce refreshes
      // MonthlyPlatformEventsUsageEntitlement daily; the sandbox reports its count at once.
      const clients = max(
        CONCURRENT_COMETD_CLIENTS,
        Math.max(0, CONCURRENT_COMETD_CLIENTS - ctx.streaming.clientCount()),
      );
      const monthly = deliveries.dailyMax * 30;
      res.json({
        ConcurrentAsyncGetReportInstances: max(200),
        ConcurrentSyncReportRuns: max(20),
        DailyApiRequests: max(usage.dailyMax, usage.remaining),
        DailyAsyncApexExecutions: max(250000),
        DailyBulkApiBatches: max(15000),
        DailyBulkV2QueryJobs: max(10000),
        DailyDeliveredPlatformEvents: max(deliveries.dailyMax, deliveries.remaining()),
        DailyDurableGenericStreamingApiEvents: max(200000),
        DailyDurableStreamingApiEvents: max(200000),
        DailyGenericStreamingApiEvents: max(100000),
        DailyStandardVolumePlatformEvents: max(25000),
        DailyStreamingApiEvents: max(200000),
        DataStorageMB: max(1024, 1000),
        DurableStreamingApiConcurrentClients: clients,
        FileStorageMB: max(1024, 1024),
        HourlyPublishedPlatformEvents: max(250000),
        HourlyPublishedStandardVolumePlatformEvents: max(100000),
        HourlyTimeBasedWorkflow: max(1000),
        MonthlyPlatformEventsUsageEntitlement: max(monthly, Math.max(0, monthly - deliveries.delivered())),
        SingleEmail: max(5000),
        StreamingApiConcurrentClients: clients,
      });
    }),
  );

  api.get(
    `${V}/sobjects`,
    handle((req, res) => {
      if (conditionalDescribe(req, res, ctx.metadataModifiedAt)) return;
      res.json(describeGlobal(versionBase(res), store.schema));
    }),
  );

  api.get(
    `${V}/sobjects/:type`,
    handle((req, res) => {
      const def = store.schema.objects[sobjectOf(req)];
      const describe = describeSObject(def, versionBase(res), store.schema);
      const { fields: _f, childRelationships: _c, recordTypeInfos: _r, ...objectDescribe } = describe;
      res.json({ objectDescribe, recentItems: [] });
    }),
  );

  api.post(
    `${V}/sobjects/:type`,
    handle((req, res) => {
      const type = sobjectOf(req);
      const id = store.create(type, bodyOf(req), transactionFor(req, res));
      res.status(201).json({ id, success: true, errors: [] });
    }),
  );

  api.get(
    `${V}/sobjects/:type/describe`,
    handle((req, res) => {
      const def = store.schema.objects[sobjectOf(req)];
      if (conditionalDescribe(req, res, ctx.metadataModifiedAt)) return;
      res.json(describeSObject(def, versionBase(res), store.schema));
    }),
  );

  api.get(
    `${V}/sobjects/:type/updated`,
    handle((req, res) => {
      const type = sobjectOf(req);
      const { start, end } = parseRange(req);
      const ids = [...store.records(type)]
        .filter((r) => {
          const t = parseStamp(r.SystemModstamp);
          return t >= start && t < end;
        })
        .map((r) => String(r.Id));
      res.json({ ids, latestDateCovered: new Date(end).toISOString().replace('Z', '+0000') });
    }),
  );

  api.get(
    `${V}/sobjects/:type/deleted`,
    handle((req, res) => {
      const type = sobjectOf(req);
      const { start, end } = parseRange(req);
      const deletedRecords = store
        .dump(type)
        .filter((r) => r.IsDeleted === true)
        .filter((r) => {
          const t = parseStamp(r.SystemModstamp);
          return t >= start && t < end;
        })
        .map((r) => ({ id: String(r.Id), deletedDate: r.SystemModstamp }));
      res.json({
        deletedRecords,
        earliestDateAvailable: '2024-01-01T00:00:00.000+0000',
        latestDateCovered: new Date(end).toISOString().replace('Z', '+0000'),
      });
    }),
  );

  api.get(
    `${V}/sobjects/:type/:id`,
    handle((req, res) => {
      const type = sobjectOf(req);
      const id = urlId(type, String(req.params.id));
      const fieldsParam = typeof req.query.fields === 'string' ? req.query.fields : undefined;
      const fields = fieldsParam
        ? selectFields(
            type,
            fieldsParam.split(',').filter((f) => f.trim() !== ''),
            store.schema,
          )
        : undefined;
      const record = store.read(type, id);
      res.json(withAttributes(type, versionBase(res), id, project(record, fields)));
    }),
  );

  api.patch(
    `${V}/sobjects/:type/:id`,
    handle((req, res) => {
      const type = sobjectOf(req);
      const id = urlId(type, String(req.params.id));
      store.update(type, id, bodyOf(req), transactionFor(req, res));
      res.status(204).end();
    }),
  );

  api.delete(
    `${V}/sobjects/:type/:id`,
    handle((req, res) => {
      const type = sobjectOf(req);
      const id = urlId(type, String(req.params.id));
      store.delete(type, id, transactionFor(req, res));
      res.status(204).end();
    }),
  );

  api.all(`${V}/sobjects/:type/:id`, (req: Request, res: Response) => {
    res.status(405).json([
      {
        message: `HTTP Method '${req.method}' not allowed. Allowed are HEAD,GET,PATCH,DELETE`,
        errorCode: 'METHOD_NOT_ALLOWED',
      },
    ]);
  });
}

/** The JSON body of a write; a missing one is Salesforce's "no entity body" parser error. */
export function bodyOf(req: Request): unknown {
  if (req.body === undefined) {
    throw new SalesforceApiError(
      400,
      'JSON_PARSER_ERROR',
      'The HTTP entity body is required, but this request has no entity body.',
    );
  }
  return req.body;
}
