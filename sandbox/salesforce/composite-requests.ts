/**
 * The composite resources that bundle other REST calls:
 * - `composite`: up to 25 dependent subrequests with `@{referenceId.path}` references, one API call, optionally
 *   all-or-none (one transaction).
 * - `composite/batch`: up to 25 independent subrequests, each its own transaction and API call, `haltOnError`.
 * Each subrequest runs the same handler an HTTP call would reach (see internal-router.ts).
 *
 * Sources: Salesforce REST API Developer Guide, "Composite", "Composite Batch"
 * https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/resources_composite_composite.htm
 * https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/resources_composite_batch.htm
 * https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/resources_composite_allornone.htm
 */
import type { Request, Response } from 'express';
import type { SalesforceContext } from './context';
import { SalesforceApiError } from './errors';
import { apiVersionOf, changeOriginOf, handle, versionBase } from './http';
import type { InternalResponse, InternalRouter } from './internal-router';
import type { RestApi } from './rest-guard';
import { bodyOf, V } from './sobject-routes';
import { WriteTransaction } from './store';
import { parseVersionSegment } from './versions';

export const MAX_COMPOSITE_SUBREQUESTS = 25;
/** "Up to 5 of these subrequests can be sObject Collections or query operations". */
export const MAX_COMPOSITE_QUERIES_OR_COLLECTIONS = 5;
export const MAX_BATCH_SUBREQUESTS = 25;
/** Batch subrequests may address resources of API 34.0 up to the batch's own version. */
const MIN_BATCH_VERSION = 34;

const REFERENCE_ID = /^[A-Za-z0-9][A-Za-z0-9_]*$/;
/** Subrequests inherit these from the top-level request; naming them fails the whole request. */
const INHERITED_HEADERS = new Set(['accept', 'authorization', 'content-type']);
const COMPOSITE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'GET', 'DELETE']);

const parserError = (message: string) => new SalesforceApiError(400, 'JSON_PARSER_ERROR', message);

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

interface CompositeSubrequest {
  method: string;
  url: string;
  referenceId: string;
  body?: unknown;
  httpHeaders: Record<string, string>;
}

interface CompositeResult {
  body: unknown;
  httpHeaders: Record<string, string>;
  httpStatusCode: number;
  referenceId: string;
}

const halted = (referenceId: string, message: string): CompositeResult => ({
  body: [{ errorCode: 'PROCESSING_HALTED', message }],
  httpHeaders: {},
  httpStatusCode: 400,
  referenceId,
});

const ROLLED_BACK = 'The transaction was rolled back since another operation in the same transaction failed.';

/** The resources a composite subrequest may call: sObject resources, query, queryAll, sObject Collections. */
function compositeTarget(template: string | undefined): 'sobject' | 'query' | 'collection' | undefined {
  if (template === undefined) return undefined;
  const rest = template.slice(V.length);
  if (rest.startsWith('/sobjects')) return 'sobject';
  if (rest.startsWith('/query') || rest.startsWith('/queryAll')) return 'query';
  if (rest.startsWith('/composite/sobjects')) return 'collection';
  return undefined;
}

/** The resources a batch subrequest may call (limits, sObject resources, query, queryAll, search). */
function batchTarget(template: string | undefined): boolean {
  if (template === undefined) return false;
  const rest = template.slice(V.length);
  return ['/limits', '/sobjects', '/query', '/queryAll', '/search'].some((p) => rest.startsWith(p));
}

const pathOf = (url: string) => url.split('?')[0] ?? '';

function parseComposite(body: unknown, requestVersion: number, router: InternalRouter) {
  if (!isRecord(body) || !Array.isArray(body.compositeRequest)) {
    throw parserError('Cannot deserialize instance of composite request: compositeRequest is required');
  }
  for (const flag of ['allOrNone', 'collateSubrequests'] as const) {
    if (body[flag] !== undefined && typeof body[flag] !== 'boolean') {
      throw parserError(`Cannot deserialize instance of boolean from value ${JSON.stringify(body[flag])}`);
    }
  }
  if (body.compositeRequest.length > MAX_COMPOSITE_SUBREQUESTS) {
    throw new SalesforceApiError(
      400,
      'LIMIT_EXCEEDED',
      `A composite request can have up to ${MAX_COMPOSITE_SUBREQUESTS} subrequests; this one has ${body.compositeRequest.length}`,
    );
  }
  let queriesOrCollections = 0;
  const subrequests = body.compositeRequest.map((raw): CompositeSubrequest => {
    if (!isRecord(raw))
      throw parserError('Cannot deserialize instance of subrequest from a non-object value');
    const { method, url, referenceId, httpHeaders } = raw;
    if (typeof method !== 'string' || !COMPOSITE_METHODS.has(method)) {
      throw parserError(`Invalid HTTP method for a subrequest: ${JSON.stringify(method ?? null)}`);
    }
    if (typeof url !== 'string' || !url.startsWith('/services/data/v')) {
      throw parserError(
        `The subrequest url must start with /services/data/vXX.X/: ${JSON.stringify(url ?? null)}`,
      );
    }
    if (typeof referenceId !== 'string' || (requestVersion >= 52 && !REFERENCE_ID.test(referenceId))) {
      throw parserError(
        `Provided referenceId ('${typeof referenceId === 'string' ? referenceId : JSON.stringify(referenceId ?? '')}') must start with a letter or a number, and it can contain only letters, numbers and underscores ('_').`,
      );
    }
    const headers: Record<string, string> = {};
    if (httpHeaders !== undefined) {
      if (!isRecord(httpHeaders))
        throw parserError('httpHeaders must be an object of header names to values');
      for (const [name, value] of Object.entries(httpHeaders)) {
        if (INHERITED_HEADERS.has(name.toLowerCase())) {
          throw new SalesforceApiError(
            400,
            'INVALID_INPUT',
            `The ${name} header of a subrequest is inherited from the composite request and cannot be set`,
          );
        }
        headers[name] = typeof value === 'string' ? value : JSON.stringify(value);
      }
    }
    const target = compositeTarget(router.templateOf(method, pathOf(url.replace(/@\{[^}]*\}/g, 'x'))));
    if (target === 'query' || target === 'collection') queriesOrCollections += 1;
    return { method, url, referenceId, ...('body' in raw ? { body: raw.body } : {}), httpHeaders: headers };
  });
  if (queriesOrCollections > MAX_COMPOSITE_QUERIES_OR_COLLECTIONS) {
    throw new SalesforceApiError(
      400,
      'LIMIT_EXCEEDED',
      `A composite request can have up to ${MAX_COMPOSITE_QUERIES_OR_COLLECTIONS} query or sObject Collections subrequests; this one has ${queriesOrCollections}`,
    );
  }
  return { allOrNone: body.allOrNone === true, subrequests };
}

class UnresolvedReference extends Error {
  constructor(
    readonly expression: string,
    readonly referenceId: string,
  ) {
    super(
      `Invalid reference specified. No value for ${expression} found in ${referenceId}. Provided referenceId ('${expression}') must start with a letter or a number, and it can contain only letters, numbers and underscores ('_').`,
    );
  }
}

/**
 * Resolves `@{referenceId.path}` against earlier subrequests' response bodies: `.` reads a property,
 * `[n]` indexes a collection, both recursively (`@{refContact.records[0].AccountId}`). References are
 * case-sensitive. From API 52.0 a null value resolves (to null); before, it counts as no value.
 */
class References {
  private readonly bodies = new Map<string, unknown>();

  constructor(private readonly nullIsValue: boolean) {}

  record(referenceId: string, body: unknown): void {
    this.bodies.set(referenceId, body);
  }

  /**
   * Replaces references inside a URL (as text). In a URL-encoded query string the reference arrives encoded
   * (`%40%7BrefAccount.id%7D`); the value then goes in encoded too.
   */
  inUrl(url: string): string {
    return url.replace(/@\{([^}]*)\}|%40%7B(.*?)%7D/gi, (_m, plain?: string, encoded?: string) => {
      const expression = plain ?? decodeURIComponent(encoded ?? '');
      const value = this.value(expression);
      const text =
        value === null || value === undefined
          ? ''
          : typeof value === 'string'
            ? value
            : JSON.stringify(value);
      return plain === undefined ? encodeURIComponent(text) : text;
    });
  }

  /** Replaces references inside a JSON body: a string that is one whole reference takes the value's type. */
  inBody(body: unknown): unknown {
    if (typeof body === 'string') {
      const whole = /^@\{([^}]*)\}$/.exec(body);
      if (whole) return this.value(whole[1]!);
      return this.inUrl(body);
    }
    if (Array.isArray(body)) return body.map((item) => this.inBody(item));
    if (isRecord(body)) return Object.fromEntries(Object.entries(body).map(([k, v]) => [k, this.inBody(v)]));
    return body;
  }

  private value(expression: string): unknown {
    const head = /^[^.[]*/.exec(expression)![0];
    if (!this.bodies.has(head)) throw new UnresolvedReference(expression, head);
    let current: unknown = this.bodies.get(head);
    const steps = expression.slice(head.length).match(/\.[^.[\]]+|\[\d+\]/g) ?? [];
    if (steps.join('') !== expression.slice(head.length)) throw new UnresolvedReference(expression, head);
    for (const step of steps) {
      if (step.startsWith('[')) {
        const index = Number(step.slice(1, -1));
        current = Array.isArray(current) ? current[index] : undefined;
      } else {
        current = isRecord(current) ? current[step.slice(1)] : undefined;
      }
      if (current === undefined) throw new UnresolvedReference(expression, head);
    }
    if (current === null && !this.nullIsValue) throw new UnresolvedReference(expression, head);
    if (isRecord(current) || Array.isArray(current)) return JSON.stringify(current);
    return current;
  }
}

function locationHeader(
  sub: { method: string; url: string },
  response: InternalResponse,
): Record<string, string> {
  const headers: Record<string, string> = { ...response.headers };
  delete headers['Sforce-Limit-Info'];
  const id = isRecord(response.body) ? response.body.id : undefined;
  if (response.status === 201 && typeof id === 'string') {
    headers.Location = `${pathOf(sub.url).replace(/\/+$/, '')}/${id}`;
  }
  return headers;
}

/** Under an all-or-none composite, sObject Collections subrequests are all-or-none too. */
function forceAllOrNone(sub: CompositeSubrequest, router: InternalRouter): CompositeSubrequest {
  if (compositeTarget(router.templateOf(sub.method, pathOf(sub.url))) !== 'collection') return sub;
  if (sub.method === 'DELETE') {
    const url = /[?&]allOrNone=/.test(sub.url)
      ? sub.url.replace(/([?&])allOrNone=[^&]*/, '$1allOrNone=true')
      : `${sub.url}${sub.url.includes('?') ? '&' : '?'}allOrNone=true`;
    return { ...sub, url };
  }
  return isRecord(sub.body) ? { ...sub, body: { ...sub.body, allOrNone: true } } : sub;
}

/** Thrown inside the composite's transaction to undo it once a subrequest failed. */
class CompositeRollback extends Error {}

export function registerCompositeRequestRoutes(api: RestApi, ctx: SalesforceContext): void {
  const { router } = api;

  api.get(
    `${V}/composite`,
    handle((_req, res) => {
      const base = versionBase(res);
      res.json({
        tree: `${base}/composite/tree`,
        batch: `${base}/composite/batch`,
        sobjects: `${base}/composite/sobjects`,
      });
    }),
  );

  api.post(
    `${V}/composite`,
    handle((req: Request, res: Response) => {
      const requestVersion = Number(apiVersionOf(res));
      const { allOrNone, subrequests } = parseComposite(bodyOf(req), requestVersion, router);
      const references = new References(requestVersion >= 52);
      const callOptions = req.get('sforce-call-options');
      const shared = allOrNone ? new WriteTransaction({ changeOrigin: changeOriginOf(req, res) }) : undefined;
      const results: CompositeResult[] = [];

      const runOne = (raw: CompositeSubrequest): CompositeResult => {
        let sub: CompositeSubrequest;
        try {
          sub = { ...raw, url: references.inUrl(raw.url), body: references.inBody(raw.body) };
        } catch (err) {
          if (err instanceof UnresolvedReference) return halted(raw.referenceId, err.message);
          throw err;
        }
        if (allOrNone) sub = forceAllOrNone(sub, router);
        if (!compositeTarget(router.templateOf(sub.method, pathOf(sub.url)))) {
          return {
            body: [{ errorCode: 'NOT_FOUND', message: 'The requested resource does not exist' }],
            httpHeaders: {},
            httpStatusCode: 404,
            referenceId: sub.referenceId,
          };
        }
        const response = router.dispatch({
          method: sub.method,
          url: sub.url,
          body: sub.body,
          headers: { ...(callOptions ? { 'sforce-call-options': callOptions } : {}), ...sub.httpHeaders },
          ...(shared ? { locals: { transaction: shared } } : {}),
        });
        references.record(sub.referenceId, response.body);
        return {
          body: response.body === undefined ? null : response.body,
          httpHeaders: locationHeader(sub, response),
          httpStatusCode: response.status,
          referenceId: sub.referenceId,
        };
      };

      if (!allOrNone) {
        for (const sub of subrequests) results.push(runOne(sub));
      } else {
        let failedAt = -1;
        try {
          ctx.store.transaction(() => {
            for (const sub of subrequests) {
              const result = runOne(sub);
              results.push(result);
              if (result.httpStatusCode >= 400) {
                failedAt = results.length - 1;
                throw new CompositeRollback();
              }
            }
          });
        } catch (err) {
          if (!(err instanceof CompositeRollback)) throw err;
        }
        if (failedAt >= 0) {
          // The failing subrequest keeps its error; every other one reports the rollback.
          for (const [i, sub] of subrequests.entries()) {
            if (i !== failedAt) results[i] = halted(sub.referenceId, ROLLED_BACK);
          }
        }
      }
      res.json({ compositeResponse: results });
    }),
  );

  api.post(
    `${V}/composite/batch`,
    handle((req: Request, res: Response) => {
      const body = bodyOf(req);
      if (!isRecord(body) || !Array.isArray(body.batchRequests)) {
        throw parserError('Cannot deserialize instance of batch request: batchRequests is required');
      }
      if (body.haltOnError !== undefined && typeof body.haltOnError !== 'boolean') {
        throw parserError(
          `Cannot deserialize instance of boolean from value ${JSON.stringify(body.haltOnError)}`,
        );
      }
      if (body.batchRequests.length > MAX_BATCH_SUBREQUESTS) {
        throw new SalesforceApiError(
          400,
          'LIMIT_EXCEEDED',
          `A batch request can have up to ${MAX_BATCH_SUBREQUESTS} subrequests; this one has ${body.batchRequests.length}`,
        );
      }
      const batchVersion = Number(apiVersionOf(res));
      // Every subrequest is checked before any runs: a bad one fails the whole batch with 400.
      const subrequests = body.batchRequests.map((raw) => {
        if (
          !isRecord(raw) ||
          typeof raw.method !== 'string' ||
          !COMPOSITE_METHODS.has(raw.method.toUpperCase())
        ) {
          throw parserError(
            `Invalid HTTP method for a batch subrequest: ${JSON.stringify(isRecord(raw) ? (raw.method ?? null) : raw)}`,
          );
        }
        const relative = typeof raw.url === 'string' ? raw.url.replace(/^\/?(services\/data\/)?/, '') : '';
        const version = parseVersionSegment(relative.split('/')[0] ?? '');
        const url = `/services/data/${relative}`;
        const method = raw.method.toUpperCase();
        if (
          version === undefined ||
          Number(version) < MIN_BATCH_VERSION ||
          Number(version) > batchVersion ||
          !batchTarget(router.templateOf(method, pathOf(url)))
        ) {
          throw parserError(`Invalid url for a batch subrequest: ${JSON.stringify(raw.url ?? null)}`);
        }
        return { method, url, body: raw.richInput };
      });
      const callOptions = req.get('sforce-call-options');
      const results: { statusCode: number; result: unknown }[] = [];
      let halt = false;
      for (const [i, sub] of subrequests.entries()) {
        if (halt) {
          results.push({
            statusCode: 412,
            result: [
              { errorCode: 'BATCH_PROCESSING_HALTED', message: 'Batch processing halted per request' },
            ],
          });
          continue;
        }
        let response: InternalResponse;
        try {
          // "Each subrequest counts against rate limits": the top-level call was counted for the first.
          if (i > 0) ctx.usage.consume();
          response = router.dispatch({
            method: sub.method,
            url: sub.url,
            body: sub.body,
            ...(callOptions ? { headers: { 'sforce-call-options': callOptions } } : {}),
          });
        } catch (err) {
          if (!(err instanceof SalesforceApiError)) throw err;
          response = { status: err.status, body: err.toBody(), headers: {} };
        }
        results.push({
          statusCode: response.status,
          result: response.body === undefined ? null : response.body,
        });
        if (response.status >= 400 && body.haltOnError === true) halt = true;
      }
      res.set('Sforce-Limit-Info', ctx.usage.header());
      res.json({ hasErrors: results.some((r) => r.statusCode >= 400), results });
    }),
  );
}
