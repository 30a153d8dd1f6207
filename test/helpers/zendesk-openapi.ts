/**
 * Validates Zendesk sandbox traffic against Zendesk's official OpenAPI file (Support API, July 2024), so
 * the sandbox cannot drift from the real response shapes without a test noticing.
 *
 * The OAS is 3.0: `nullable` is turned into JSON-schema `null` types, `$ref`s resolve inside one ajv
 * document. Where the 2024 file is stricter than what Zendesk really returns, an entry of OAS_ALLOWLIST
 * below widens that one schema (never narrows it), with the reason and a source.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import got, { type Got } from 'got';
import { parse } from 'yaml';

/**
 * Zendesk's official Support API OpenAPI description (July 2024 snapshot), vendored in test/fixtures so a
 * clean clone can validate the sandbox; ZENDESK_OAS_FILE points at another copy (e.g. a newer one).
 */
export const ZENDESK_OAS_FILE =
  process.env.ZENDESK_OAS_FILE ?? join(__dirname, '..', 'fixtures', 'zendesk-oas-2024-07.yaml');

type Json = Record<string, unknown>;
const DOC_ID = 'zendesk-oas';
const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'patch'] as const;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** OAS 3.0 -> JSON schema: `nullable` becomes a null alternative; annotation-only keys are dropped. */
function toJsonSchema(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(toJsonSchema);
  if (!isObject(node)) return node;
  const out: Json = {};
  for (const [key, value] of Object.entries(node)) {
    if (
      key === 'example' ||
      key === 'examples' ||
      key === 'nullable' ||
      key === 'xml' ||
      key === 'externalDocs' ||
      key === 'discriminator'
    )
      continue;
    // `properties` maps names to schemas: convert the values, keep every name (even "example").
    out[key] =
      key === 'properties' && isObject(value)
        ? Object.fromEntries(Object.entries(value).map(([k, v]) => [k, toJsonSchema(v)]))
        : toJsonSchema(value);
  }
  if (node.nullable !== true) return out;
  if (typeof out.type === 'string') {
    out.type = [out.type, 'null'];
    if (Array.isArray(out.enum)) out.enum = [...(out.enum as unknown[]), null];
    return out;
  }
  return { anyOf: [out, { type: 'null' }] };
}

type Schemas = Record<string, Json>;

/** One place where the July-2024 OAS is stricter than the real API, and the widening that admits it. */
export interface OasAllowance {
  /** The schema (or operation) and property the entry widens. */
  where: string;
  why: string;
  /** Where the real behaviour is documented or captured. */
  source: string;
  widen(schemas: Schemas): void;
}

const props = (schemas: Schemas, name: string) => (schemas[name]?.properties ?? {}) as Record<string, Json>;

/**
 * The documented allowlist: each entry widens one schema for one documented reason; nothing else is
 * loosened, and no entry removes a constraint the file states.
 */
export const OAS_ALLOWLIST: readonly OasAllowance[] = [
  {
    where: 'OrganizationObject.organization_fields.*',
    why:
      'The OAS allows only string|number values, but Zendesk lists every defined field with null when unset, ' +
      'checkbox values as booleans and multiselect values as arrays of option tags (a field type the July-2024 file predates).',
    source:
      'https://developer.zendesk.com/api-reference/ticketing/organizations/organization_fields/ (field types); ' +
      '/work/shared/reference/zendesk.md section 2.6',
    widen: (schemas) => {
      const orgFields = props(schemas, 'OrganizationObject').organization_fields;
      if (orgFields)
        orgFields.additionalProperties = {
          type: ['string', 'number', 'boolean', 'null', 'array'],
          items: { type: 'string' },
        };
    },
  },
  {
    where: 'OrganizationsResponse.previous_page',
    why: 'Offset pagination answers previous_page: null on the first page; OrganizationsResponse omits nullable.',
    source:
      'https://developer.zendesk.com/api-reference/introduction/pagination/ (next_page/previous_page are null at the ends)',
    widen: (schemas) => {
      const prev = props(schemas, 'OrganizationsResponse').previous_page;
      if (prev) prev.type = ['string', 'null'];
    },
  },
  {
    where: 'UserForAdmin.email',
    why: 'A user without an email identity (phone-only, or external_id only) has email: null.',
    source:
      'https://developer.zendesk.com/api-reference/ticketing/users/users/ (email is the primary email identity, if any)',
    widen: (schemas) => {
      const email = props(schemas, 'UserForAdmin').email;
      if (email) email.type = ['string', 'null'];
    },
  },
  {
    where: 'JobStatusResultObject (job_status.results[])',
    why:
      'The OAS oneOf create|update is not exclusive (an update failure carries id and index) and failed entries ' +
      '{index, error, details} are not modelled at all.',
    source:
      'https://developer.zendesk.com/api-reference/ticketing/ticket-management/job_statuses/#results; zendesk.md section 2.7',
    widen: (schemas) => {
      schemas.JobStatusResultObject = {
        anyOf: [
          { $ref: '#/components/schemas/CreateResourceResult' },
          { $ref: '#/components/schemas/UpdateResourceResult' },
          {
            type: 'object',
            required: ['index', 'error'],
            properties: {
              index: { type: 'integer' },
              error: { type: 'string' },
              details: { type: 'string' },
            },
          },
        ],
      };
    },
  },
];

/** Operations whose documented body is empty although the OAS gives it a schema. */
const EMPTY_BODY_OPERATIONS: readonly { operationId: string; why: string; source: string }[] = [
  {
    operationId: 'RequestUserVerfication',
    why: 'The OAS models the 200 body as `type: string`, example "" ("Empty response"): an empty body.',
    source: 'OAS, PUT /api/v2/users/{user_id}/identities/{user_identity_id}/request_verification',
  },
];

/**
 * Operations the sandbox serves that the July-2024 file has no path for. The OAS documents tags only under
 * `tickets/{ticket_id}/tags` (zendesk.md section 2.5) and memberships only at `/organization_memberships`,
 * so these reuse the schemas of those sibling operations.
 */
const EXTRA_RESPONSES: { method: string; template: string; status: number; schema: string | null }[] = [
  ...['/api/v2/organizations/{id}/tags', '/api/v2/users/{id}/tags'].flatMap((template) => [
    // Same codes as ListResourceTags / PutTagsTicket / SetTagsTicket / DeleteTagsTicket.
    { method: 'get', template, status: 200, schema: 'TagsByObjectIdResponse' },
    { method: 'put', template, status: 200, schema: 'TagsByObjectIdResponse' },
    { method: 'post', template, status: 201, schema: 'TagsByObjectIdResponse' },
    { method: 'delete', template, status: 204, schema: null },
  ]),
  {
    method: 'get',
    template: '/api/v2/users/{user_id}/organization_memberships',
    status: 200,
    schema: 'OrganizationMembershipsResponse',
  },
  {
    method: 'get',
    template: '/api/v2/organizations/{organization_id}/organization_memberships',
    status: 200,
    schema: 'OrganizationMembershipsResponse',
  },
  // IncrementalSampleExport documents the *tickets* schema for every resource; a sample is "identical to
  // the above APIs" otherwise, so user and organization samples are held to their own export schemas.
  {
    method: 'get',
    template: '/api/v2/incremental/users/sample',
    status: 200,
    schema: 'TimeBasedExportIncrementalUsersResponse',
  },
  {
    method: 'get',
    template: '/api/v2/incremental/organizations/sample',
    status: 200,
    schema: 'ExportIncrementalOrganizationsResponse',
  },
];

export class OasValidationError extends Error {
  override readonly name = 'OasValidationError';
  readonly code = 'OAS_MISMATCH';

  constructor(
    readonly where: string,
    readonly errors: ErrorObject[],
  ) {
    super(
      `${where} does not match the Zendesk OAS:\n${errors.map((e) => `  ${e.instancePath || '(root)'} ${e.message ?? ''} ${JSON.stringify(e.params)}`).join('\n')}`,
    );
  }
}

interface Operation {
  method: string;
  template: string;
  pattern: RegExp;
  /** Fewer path parameters wins when several templates match (`/users/search` before `/users/{id}`). */
  params: number;
  op: Json;
}

class ZendeskOas {
  private readonly ajv: Ajv;
  private readonly operations: Operation[] = [];
  private readonly compiled = new Map<string, ValidateFunction>();

  constructor(file: string) {
    const doc = parse(readFileSync(file, 'utf8'), { maxAliasCount: -1 }) as Json;
    const components = (doc.components ?? {}) as Json;
    const schemas = toJsonSchema(components.schemas ?? {}) as Record<string, Json>;
    for (const allowance of OAS_ALLOWLIST) allowance.widen(schemas);
    // `strict: false`: the file uses OAS-only keywords (readOnly on refs, `format: string`) a strict
    // JSON-schema compiler rejects. Formats are still checked where they carry meaning.
    this.ajv = new Ajv({ strict: false, allErrors: true, validateFormats: true });
    const isoDateTime = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;
    this.ajv.addFormat('date-time', isoDateTime);
    this.ajv.addFormat('datetime', isoDateTime);
    this.ajv.addFormat('email', /^[^\s@]+@[^\s@]+$/);
    for (const loose of ['int64', 'string', 'url']) this.ajv.addFormat(loose, true);
    this.ajv.addSchema({ $id: DOC_ID, components: { schemas } });

    for (const [template, item] of Object.entries((doc.paths ?? {}) as Record<string, Json>)) {
      for (const method of HTTP_METHODS) {
        const op = item[method];
        if (!isObject(op)) continue;
        this.operations.push(this.operation(method, template, op));
      }
    }
    for (const extra of EXTRA_RESPONSES) {
      this.operations.push(
        this.operation(extra.method, extra.template, {
          operationId: `(not in OAS) ${extra.method.toUpperCase()} ${extra.template}`,
          responses: {
            [String(extra.status)]:
              extra.schema === null
                ? {}
                : {
                    content: {
                      'application/json': { schema: { $ref: `#/components/schemas/${extra.schema}` } },
                    },
                  },
          },
        }),
      );
    }
  }

  private operation(method: string, template: string, op: Json): Operation {
    const source = template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{[^}]+\}/g, '[^/]+');
    return {
      method,
      template,
      pattern: new RegExp(`^${source}$`),
      params: (template.match(/\{/g) ?? []).length,
      op,
    };
  }

  find(method: string, path: string): Operation {
    const clean = path.split('?')[0]?.replace(/\.json$/, '') ?? path;
    const matches = this.operations
      .filter((o) => o.method === method.toLowerCase() && o.pattern.test(clean))
      .sort((a, b) => a.params - b.params);
    const found = matches[0];
    if (!found) throw new Error(`No Zendesk OAS operation for ${method.toUpperCase()} ${clean}`);
    return found;
  }

  private validator(key: string, schema: unknown): ValidateFunction {
    let fn = this.compiled.get(key);
    if (!fn) {
      fn = this.ajv.compile(toJsonSchema(rebase(schema)) as Json);
      this.compiled.set(key, fn);
    }
    return fn;
  }

  /** Checks `body` against the response schema of the operation; returns its operationId. */
  validateResponse(method: string, path: string, status: number, body: unknown): string {
    const operation = this.find(method, path);
    const responses = (operation.op.responses ?? {}) as Record<string, Json>;
    const response = responses[String(status)] ?? responses.default;
    const opId = String(operation.op.operationId);
    if (!response)
      throw new Error(
        `${opId} (${method.toUpperCase()} ${operation.template}) documents no ${status} response`,
      );
    const content = (response.content ?? {}) as Record<string, Json>;
    const schema = content['application/json']?.schema;
    if ((body === undefined || body === '') && EMPTY_BODY_OPERATIONS.some((e) => e.operationId === opId))
      return opId;
    if (schema === undefined) {
      if (body !== undefined && body !== '')
        throw new Error(`${opId} documents no body for ${status}, but one was returned`);
      return opId;
    }
    const fn = this.validator(`res ${opId} ${status}`, schema);
    if (!fn(body))
      throw new OasValidationError(
        `Response ${status} of ${opId} (${method.toUpperCase()} ${path})`,
        fn.errors ?? [],
      );
    return opId;
  }

  /**
   * Checks an error response (4xx/5xx) against the schema the operation documents for exactly that
   * status, if it documents one (few do); returns the operationId when it did.
   */
  validateDocumentedError(method: string, path: string, status: number, body: unknown): string | undefined {
    let operation: Operation;
    try {
      operation = this.find(method, path);
    } catch {
      return undefined; // an unknown endpoint's 404 InvalidEndpoint
    }
    const response = ((operation.op.responses ?? {}) as Record<string, Json>)[String(status)];
    const content = (response?.content ?? {}) as Record<string, Json>;
    const schema = content['application/json']?.schema;
    if (schema === undefined) return undefined;
    const opId = String(operation.op.operationId);
    const fn = this.validator(`res ${opId} ${status}`, schema);
    if (!fn(body))
      throw new OasValidationError(
        `Response ${status} of ${opId} (${method.toUpperCase()} ${path})`,
        fn.errors ?? [],
      );
    return opId;
  }

  /** Checks a request body against the operation's requestBody schema, if the OAS gives one. */
  validateRequest(method: string, path: string, body: unknown): boolean {
    const operation = this.find(method, path);
    const requestBody = operation.op.requestBody;
    const content =
      isObject(requestBody) && isObject(requestBody.content)
        ? (requestBody.content as Record<string, Json>)
        : {};
    const schema = content['application/json']?.schema;
    if (schema === undefined) return false;
    const opId = String(operation.op.operationId);
    const fn = this.validator(`req ${opId}`, schema);
    if (!fn(body))
      throw new OasValidationError(
        `Request body of ${opId} (${method.toUpperCase()} ${path})`,
        fn.errors ?? [],
      );
    return true;
  }

  /** Checks a value against a named component schema (for shapes outside any operation). */
  validateSchema(name: string, value: unknown): void {
    const fn = this.validator(`schema ${name}`, { $ref: `#/components/schemas/${name}` });
    if (!fn(value)) throw new OasValidationError(`Value for schema ${name}`, fn.errors ?? []);
  }
}

/** Operation schemas hold document-relative `#/components/...` refs; point them into the registered document. */
function rebase(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(rebase);
  if (!isObject(node)) return node;
  const out: Json = {};
  for (const [key, value] of Object.entries(node))
    out[key] =
      key === '$ref' && typeof value === 'string' && value.startsWith('#/')
        ? `${DOC_ID}${value}`
        : rebase(value);
  return out;
}

let loaded: ZendeskOas | undefined;

/** The parsed OAS, loaded once per process (the YAML is 1 MB). */
export function zendeskOas(): ZendeskOas {
  loaded ??= new ZendeskOas(ZENDESK_OAS_FILE);
  return loaded;
}

export const assertResponseMatchesOas = (method: string, path: string, status: number, body: unknown) =>
  zendeskOas().validateResponse(method, path, status, body);
export const assertDocumentedErrorMatchesOas = (
  method: string,
  path: string,
  status: number,
  body: unknown,
) => zendeskOas().validateDocumentedError(method, path, status, body);
export const assertRequestMatchesOas = (method: string, path: string, body: unknown) =>
  zendeskOas().validateRequest(method, path, body);
export const assertMatchesOasSchema = (name: string, value: unknown) =>
  zendeskOas().validateSchema(name, value);

/** Every operationId a check passed for, so a suite can assert what it covered. */
export const checkedOperations = new Set<string>();

/**
 * got hooks that validate every JSON request body sent, every successful (2xx) response received and
 * every error response whose status the operation documents, against the OAS. A mismatch fails the
 * request with OasValidationError.
 */
export function oasCheckingHooks() {
  return {
    beforeRequest: [
      (options: { method: string; url?: URL | string; json?: unknown }) => {
        if (options.json === undefined || !options.url) return;
        const url = new URL(String(options.url));
        if (url.pathname.startsWith('/api/v2/'))
          assertRequestMatchesOas(options.method, url.pathname, options.json);
      },
    ],
    afterResponse: [
      <
        R extends {
          statusCode: number;
          body: unknown;
          url: string;
          request: { options: { method: string } };
        },
      >(
        response: R,
      ): R => {
        const url = new URL(response.url);
        if (!url.pathname.startsWith('/api/v2/') || (response.statusCode >= 300 && response.statusCode < 400))
          return response;
        let body = response.body;
        if (Buffer.isBuffer(body)) body = body.toString('utf8');
        if (typeof body === 'string') body = body === '' ? undefined : (JSON.parse(body) as unknown);
        if (response.statusCode >= 400) {
          const opId = assertDocumentedErrorMatchesOas(
            response.request.options.method,
            url.pathname,
            response.statusCode,
            body,
          );
          if (opId) checkedOperations.add(`${opId} ${response.statusCode}`);
          return response;
        }
        checkedOperations.add(
          assertResponseMatchesOas(response.request.options.method, url.pathname, response.statusCode, body),
        );
        return response;
      },
    ],
  };
}

export interface TestClientOptions {
  email?: string;
  apiToken?: string;
  /** Use `Authorization: Bearer` instead of the API token. */
  bearer?: string;
}

/**
 * An unmodified got instance aimed at a sandbox's /api/v2, with the OAS checks installed. Errors are
 * returned, not thrown (tests assert on status), and got's own retries are off so every request counts.
 */
export function zendeskTestClient(baseUrl: string, opts: TestClientOptions = {}): Got {
  const authorization = opts.bearer
    ? `Bearer ${opts.bearer}`
    : `Basic ${Buffer.from(`${opts.email ?? 'admin@sandbox.test'}/token:${opts.apiToken ?? 'sandbox'}`).toString('base64')}`;
  return got.extend({
    prefixUrl: `${baseUrl}/api/v2/`,
    headers: { authorization, accept: 'application/json' },
    responseType: 'json',
    throwHttpErrors: false,
    retry: { limit: 0 },
    hooks: oasCheckingHooks(),
  });
}

/** Every OAS mismatch a validating transport saw, so a suite can assert none happened. */
export const oasMismatches: OasValidationError[] = [];

interface FetchLikeOptions {
  method?: string;
  headers?: Record<string, string>;
  body?: string;
}

/**
 * A `transportConfig` for node-zendesk (its documented hook for a custom transport): requests go out
 * through Node's fetch unchanged, and every JSON request body and 2xx response body is checked against
 * the OAS on the way. A mismatch is recorded in `oasMismatches` and thrown, so the client call fails.
 */
export function oasCheckingTransport() {
  return {
    async transportFn(uri: string, options: FetchLikeOptions): Promise<Response> {
      const url = new URL(uri);
      const method = (options.method ?? 'GET').toUpperCase();
      const check = (fn: () => unknown) => {
        try {
          fn();
        } catch (err) {
          if (err instanceof OasValidationError) oasMismatches.push(err);
          throw err;
        }
      };
      if (typeof options.body === 'string' && url.pathname.startsWith('/api/v2/'))
        check(() => assertRequestMatchesOas(method, url.pathname, JSON.parse(options.body ?? '') as unknown));
      const res = await fetch(uri, { method, headers: options.headers, body: options.body });
      if (url.pathname.startsWith('/api/v2/') && (res.status < 300 || res.status >= 400)) {
        const text = await res.clone().text();
        const json = res.headers.get('content-type')?.includes('application/json') === true;
        const body = text === '' || !json ? undefined : (JSON.parse(text) as unknown);
        if (res.status < 300)
          check(() =>
            checkedOperations.add(assertResponseMatchesOas(method, url.pathname, res.status, body)),
          );
        else
          check(() => {
            const opId = assertDocumentedErrorMatchesOas(method, url.pathname, res.status, body);
            if (opId) checkedOperations.add(`${opId} ${res.status}`);
          });
      }
      return res;
    },
    // node-zendesk's own default adapter for fetch responses.
    responseAdapter(res: Response) {
      return {
        json: () => res.json(),
        status: res.status,
        headers: { get: (name: string) => res.headers.get(name) },
        statusText: res.statusText,
      };
    },
  };
}

/** A job_status as the Zendesk API returns it. */
export interface ZendeskJobStatus {
  id: string;
  job_type: string;
  status: string;
  total: number;
  results: Record<string, unknown>[] | null;
}

/** Polls `job_statuses/{id}` (through `zd`, so each poll is OAS-checked) until the job completes. */
export async function waitForJob(zd: Got, id: string): Promise<ZendeskJobStatus> {
  for (let i = 0; i < 100; i += 1) {
    const res = await zd.get<{ job_status: ZendeskJobStatus }>(`job_statuses/${id}`);
    if (res.statusCode !== 200) throw new Error(`job_statuses/${id} answered ${res.statusCode}`);
    if (res.body.job_status.status === 'completed') return res.body.job_status;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`job ${id} never completed`);
}
