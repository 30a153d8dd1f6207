/** Salesforce-specific `/__sandbox` control routes for tests and benchmarks (never logged or faulted). */
import type { Express, Request, Response } from 'express';
import { CONTROL_PREFIX } from '../common/app';
import type { SalesforceContext } from './context';
import { SalesforceApiError } from './errors';
import { convertLead, type LeadConvert } from './lead-convert';
import { MERGEABLE, mergeRecords, type MergeableObject } from './merge';
import { resolveSObjectName, SOBJECT_NAMES, type OrgSettings, type SObjectName } from './schema';
import { loadSalesforceSeed } from './seed-loader';
import { WriteTransaction } from './store';
import { MAX_API_VERSION } from './versions';

/**
 * changeOrigin of conversions and merges made through the control API, which stand for a user clicking
 * Convert / Merge in Lightning: https://developer.salesforce.com/docs/atlas.en-us.change_data_capture.meta/change_data_capture/cdc_standard_objects_lead_conversion.htm
 * shows `com/salesforce/api/soap/60.0;client=SfdcInternalAPI/` on such events.
 */
const UI_CHANGE_ORIGIN = `com/salesforce/api/soap/${MAX_API_VERSION}.0;client=SfdcInternalAPI/`;

const optionalString = (body: Record<string, unknown>, name: string): string | undefined | Error => {
  const v = body[name];
  if (v === undefined || v === null) return undefined;
  return typeof v === 'string' && v !== '' ? v : new Error(`${name} must be a non-empty string`);
};

const badRequest = (res: Response, message: string) =>
  res.status(400).json({ error: 'INVALID_CONTROL_REQUEST', message });

const numberField = (
  body: Record<string, unknown>,
  name: string,
  min: number,
  max: number,
): number | undefined | Error => {
  const v = body[name];
  if (v === undefined) return undefined;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max)
    return new Error(`${name} must be an integer from ${min} to ${max}`);
  return v;
};

export function registerControlRoutes(
  app: Express,
  ctx: SalesforceContext,
  hooks: { onReset(): void; startSettings: OrgSettings },
): void {
  const P = CONTROL_PREFIX;
  const bodyOf = (req: Request) =>
    req.body && typeof req.body === 'object' ? (req.body as Record<string, unknown>) : {};

  app.post(`${P}/reset`, (_req, res) => {
    // Back to the org the sandbox started as: start-up settings, no records.
    ctx.store.reset(hooks.startSettings);
    ctx.cursors.clear();
    ctx.usage.reset();
    hooks.onReset();
    res.status(204).end();
  });

  app.post(`${P}/seed`, (req, res) => {
    const body = bodyOf(req);
    const opts: Record<string, number> = {};
    for (const [name, max] of [
      ['accounts', 1_000_000],
      ['contactsPerAccount', 100],
      ['leads', 1_000_000],
      ['seed', 2 ** 31],
    ] as const) {
      const v = numberField(body, name, 0, max);
      if (v instanceof Error) return badRequest(res, v.message);
      if (v !== undefined) opts[name] = v;
    }
    if (body.publish !== undefined && typeof body.publish !== 'boolean')
      return badRequest(res, 'publish must be a boolean');
    try {
      res.json(loadSalesforceSeed(ctx.store, opts, body.publish === true));
    } catch (err) {
      if (!(err instanceof SalesforceApiError)) throw err;
      res.status(500).json({ error: 'SEED_FAILED', message: `${err.errorCode}: ${err.message}` });
    }
  });

  app.post(`${P}/request-limit`, (req, res) => {
    const v = numberField(bodyOf(req), 'durationMs', 0, 24 * 3_600_000);
    if (v instanceof Error || v === undefined)
      return badRequest(res, 'durationMs must be an integer from 0 to 86400000');
    const until = ctx.usage.blockFor(v);
    res.json({ blockedUntil: until === 0 ? null : new Date(until).toISOString() });
  });

  app.get(`${P}/api-usage`, (_req, res) => {
    res.json({ used: ctx.usage.count, max: ctx.usage.dailyMax, remaining: ctx.usage.remaining });
  });

  app.post(`${P}/tokens/expire`, (_req, res) => {
    res.json({ expired: ctx.tokens.expireAll() });
  });

  app.get(`${P}/settings`, (_req, res) => {
    res.json(ctx.store.schema.settings);
  });

  // Org settings that change the schema: { personAccounts: boolean }.
  app.post(`${P}/settings`, (req, res) => {
    const body = bodyOf(req);
    if (typeof body.personAccounts !== 'boolean') return badRequest(res, 'personAccounts must be a boolean');
    try {
      ctx.store.setSettings({ personAccounts: body.personAccounts });
    } catch (err) {
      return res.status(409).json({ error: 'INVALID_CONTROL_REQUEST', message: (err as Error).message });
    }
    res.json(ctx.store.schema.settings);
  });

  // Lead conversion (SOAP LeadConvert in, LeadConvertResult out); see lead-convert.ts.
  app.post(`${P}/leads/convert`, (req, res) => {
    const body = bodyOf(req);
    const fields: Record<string, string | undefined> = {};
    for (const name of ['leadId', 'convertedStatus', 'accountId', 'contactId', 'ownerId', 'changeOrigin']) {
      const v = optionalString(body, name);
      if (v instanceof Error) return badRequest(res, v.message);
      fields[name] = v;
    }
    if (!fields.leadId || !fields.convertedStatus)
      return badRequest(res, 'leadId and convertedStatus are required');
    for (const flag of ['overwriteLeadSource', 'doNotCreateOpportunity']) {
      if (body[flag] !== undefined && typeof body[flag] !== 'boolean')
        return badRequest(res, `${flag} must be a boolean`);
    }
    const request: LeadConvert = {
      leadId: fields.leadId,
      convertedStatus: fields.convertedStatus,
      ...(fields.accountId ? { accountId: fields.accountId } : {}),
      ...(fields.contactId ? { contactId: fields.contactId } : {}),
      ...(fields.ownerId ? { ownerId: fields.ownerId } : {}),
      overwriteLeadSource: body.overwriteLeadSource === true,
      doNotCreateOpportunity: body.doNotCreateOpportunity !== false,
    };
    const tx = new WriteTransaction({ changeOrigin: fields.changeOrigin ?? UI_CHANGE_ORIGIN });
    try {
      res.json(convertLead(ctx.store, request, tx));
    } catch (err) {
      if (!(err instanceof SalesforceApiError)) throw err;
      res.status(err.status).json(err.toBody());
    }
  });

  // Merge (SOAP merge(): { type, masterId, loserIds: [1 or 2 ids], fields? }); see merge.ts.
  app.post(`${P}/merge`, (req, res) => {
    const body = bodyOf(req);
    const type = typeof body.type === 'string' ? resolveSObjectName(body.type) : undefined;
    if (!type || !MERGEABLE.includes(type as MergeableObject))
      return badRequest(res, `type must be one of ${MERGEABLE.join(', ')}`);
    const masterId = optionalString(body, 'masterId');
    if (typeof masterId !== 'string') return badRequest(res, 'masterId is required');
    const loserIds = body.loserIds;
    if (!Array.isArray(loserIds) || !loserIds.every((x) => typeof x === 'string'))
      return badRequest(res, 'loserIds must be an array of record ids');
    const fields = body.fields;
    if (fields !== undefined && (fields === null || typeof fields !== 'object' || Array.isArray(fields)))
      return badRequest(res, 'fields must be an object of field values');
    const origin = optionalString(body, 'changeOrigin');
    if (origin instanceof Error) return badRequest(res, origin.message);
    const tx = new WriteTransaction({ changeOrigin: origin ?? UI_CHANGE_ORIGIN });
    try {
      res.json(
        mergeRecords(
          ctx.store,
          {
            type: type as MergeableObject,
            masterId,
            loserIds: loserIds,
            ...(fields ? { fields: fields as Record<string, unknown> } : {}),
          },
          tx,
        ),
      );
    } catch (err) {
      if (!(err instanceof SalesforceApiError)) throw err;
      res.status(err.status).json(err.toBody());
    }
  });

  // Undelete (SOAP undelete(ID[]) -> UndeleteResult[], each record on its own, as without AllOrNoneHeader):
  // https://developer.salesforce.com/docs/atlas.en-us.api.meta/api/sforce_api_calls_undelete.htm
  app.post(`${P}/undelete`, (req, res) => {
    const body = bodyOf(req);
    const ids = body.ids;
    if (!Array.isArray(ids) || ids.length === 0 || !ids.every((x) => typeof x === 'string'))
      return badRequest(res, 'ids must be a non-empty array of record ids');
    const origin = optionalString(body, 'changeOrigin');
    if (origin instanceof Error) return badRequest(res, origin.message);
    const tx = new WriteTransaction({ changeOrigin: origin ?? UI_CHANGE_ORIGIN });
    const { store } = ctx;
    const objectOf = (id: string): SObjectName | undefined =>
      SOBJECT_NAMES.find((n) => id.startsWith(store.schema.objects[n].keyPrefix));
    const results = store.batch(
      ids.map((id) => () => {
        const object = objectOf(id);
        if (!object) throw new SalesforceApiError(400, 'MALFORMED_ID', `invalid id: ${id}`, ['Id']);
        return store.undelete(object, id, tx);
      }),
      false,
    );
    res.json(
      results.map((r, i) =>
        r.ok
          ? { id: r.value, success: true, errors: [] }
          : { id: ids[i], success: false, errors: [r.error.toSaveError()] },
      ),
    );
  });

  app.get(`${P}/records/:type`, (req, res) => {
    const type = resolveSObjectName(String(req.params.type));
    if (!type)
      return res
        .status(404)
        .json({ error: 'UNKNOWN_OBJECT', message: `No sObject named ${String(req.params.type)}` });
    res.json({ records: ctx.store.dump(type) });
  });
}
