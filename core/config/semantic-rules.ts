// Rules of the native data sync that can be checked from the configuration alone. They walk the raw input
// defensively (shape errors are zod's job) so that every rule runs even when other parts are malformed,
// and every issue is reported at once.
import { isKnownRegion } from '../phone';
import type { ConfigIssue } from './errors';
import { FILTER_OPERATORS } from './operators';
import { EXTERNAL_ID, parseMatchTarget, parseZendeskTarget, type SyncKind } from './targets';

/** PushTopic queries limit the native sync to 3 ALL and 3 ANY conditions. */
export const MAX_CONDITIONS_PER_GROUP = 3;

const OPERATORS = new Set<string>(FILTER_OPERATORS);
const VALUELESS = new Set(['is_empty', 'is_not_empty']);
const SINGLE_VALUE = new Set(['greater_than', 'less_than']);

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function asText(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return undefined;
}

function conditionIssues(
  section: string,
  group: string,
  index: number,
  c: unknown,
  kind: SyncKind,
): ConfigIssue[] {
  if (!isRecord(c)) return [];
  const at = `${section}.filters.${group}[${index}]`;
  const out: ConfigIssue[] = [];
  // an unknown operator is reported by the schema; value rules depend on the operator
  const operator = typeof c.operator === 'string' && OPERATORS.has(c.operator) ? c.operator : undefined;
  const value = asText(c.value);
  if (kind === 'organization' && typeof c.field === 'string' && c.field.toLowerCase() === 'recordtypeid') {
    out.push({
      path: `${at}.field`,
      message: 'the Account Record Type field (RecordTypeId) is not supported in filters',
    });
  }
  if (operator === undefined) return out;
  if (VALUELESS.has(operator)) {
    if (c.value !== undefined)
      out.push({ path: `${at}.value`, message: `operator '${operator}' takes no value` });
    return out;
  }
  if (value === undefined || value === '') {
    if (c.value === undefined || value === '') {
      out.push({ path: `${at}.value`, message: `a value is required for operator '${operator}'` });
    }
    return out;
  }
  if (/\s,|,\s/.test(value)) {
    const suggestion = value
      .split(',')
      .map((s) => s.trim())
      .join(',');
    out.push({
      path: `${at}.value`,
      message: `several values must be separated by a comma with no spaces: write '${suggestion}', not '${value}'`,
    });
  } else if (value.includes(',') && value.split(',').some((s) => s === '')) {
    out.push({ path: `${at}.value`, message: `empty value in the comma-separated list '${value}'` });
  } else if (SINGLE_VALUE.has(operator) && value.includes(',')) {
    out.push({ path: `${at}.value`, message: `operator '${operator}' takes a single value, got '${value}'` });
  }
  return out;
}

function filtersIssues(section: string, filters: unknown, kind: SyncKind): ConfigIssue[] {
  if (!isRecord(filters)) return [];
  const out: ConfigIssue[] = [];
  for (const group of ['all', 'any'] as const) {
    const list = filters[group];
    if (!Array.isArray(list)) continue;
    if (list.length > MAX_CONDITIONS_PER_GROUP) {
      out.push({
        path: `${section}.filters.${group}`,
        message: `at most ${MAX_CONDITIONS_PER_GROUP} conditions are allowed (Salesforce PushTopic limit), got ${list.length}`,
      });
    }
    list.forEach((c, i) => out.push(...conditionIssues(section, group, i, c, kind)));
  }
  return out;
}

function fieldsIssues(
  section: string,
  fields: unknown,
  kind: SyncKind,
  externalId: unknown,
  matchTarget?: unknown,
): ConfigIssue[] {
  if (!Array.isArray(fields)) return [];
  const out: ConfigIssue[] = [];
  const firstByTarget = new Map<string, { index: number; salesforce: string }>();
  const claim = (path: string, zendesk: string, i: number, salesforce: unknown) => {
    const previous = firstByTarget.get(zendesk);
    if (previous) {
      out.push({
        path,
        message: `'${zendesk}' is already mapped from '${previous.salesforce}' (${section}.fields[${previous.index}]); map only one Salesforce field to each Zendesk field`,
      });
    } else {
      firstByTarget.set(zendesk, { index: i, salesforce: typeof salesforce === 'string' ? salesforce : '?' });
    }
  };
  fields.forEach((m, i) => {
    if (!isRecord(m) || typeof m.zendesk !== 'string' || m.zendesk === '') return;
    const target = parseZendeskTarget(kind, m.zendesk);
    if ('error' in target) out.push({ path: `${section}.fields[${i}].zendesk`, message: target.error });
    if (m.zendesk === EXTERNAL_ID && externalId === true)
      out.push({
        path: `${section}.fields[${i}].zendesk`,
        message: `external_id is filled with the Salesforce ${kind === 'organization' ? 'Account' : 'record'} Id because ${section}.externalId is true, so it cannot also be mapped from ${typeof m.salesforce === 'string' ? m.salesforce : 'a field'}: remove this mapping or set ${section}.externalId: false`,
      });
    if (!('error' in target) && target.kind === 'checkboxes') {
      out.push(...checkboxTargetIssues(`${section}.fields[${i}]`, m.values, kind));
      // Each value's checkbox is a Zendesk field of its own: it may be mapped only once too.
      if (isRecord(m.values))
        for (const [value, to] of Object.entries(m.values))
          if (typeof to === 'string') claim(`${section}.fields[${i}].values.${value}`, to, i, m.salesforce);
    } else {
      claim(`${section}.fields[${i}].zendesk`, m.zendesk, i, m.salesforce);
    }
  });
  if (kind === 'organization') {
    // Zendesk keeps organization names unique. Accounts matched on another field than the name may share
    // a Name (the seed's "duplicate account names" case), so another unique field may then fill `name`.
    const anyNameSource = matchTarget !== undefined && matchTarget !== 'name';
    const hasName = fields.some(
      (m) =>
        isRecord(m) &&
        m.zendesk === 'name' &&
        typeof m.salesforce === 'string' &&
        (m.salesforce === 'Name' || (anyNameSource && m.salesforce !== '')),
    );
    if (!hasName && anyNameSource) {
      out.push({
        path: `${section}.fields`,
        message:
          'a mapping to name is required, e.g. Name -> name (Zendesk cannot create an organization without a name)',
      });
    } else if (!hasName) {
      out.push({
        path: `${section}.fields`,
        message:
          'the mapping Name -> name is required (Zendesk cannot create an organization without a name)',
      });
    }
  }
  return out;
}

/** `zendesk: checkboxes` needs a values: map whose every entry names a custom field (or null). */
function checkboxTargetIssues(at: string, values: unknown, kind: SyncKind): ConfigIssue[] {
  if (!isRecord(values) || Object.keys(values).length === 0)
    return [
      {
        path: `${at}.values`,
        message: `zendesk: checkboxes needs a values: map from each Salesforce value to the ${kind === 'organization' ? 'organization_fields' : 'user_fields'}.<key> checkbox it sets`,
      },
    ];
  const out: ConfigIssue[] = [];
  for (const [value, to] of Object.entries(values)) {
    if (to === null) continue;
    const target = typeof to === 'string' ? parseZendeskTarget(kind, to) : undefined;
    if (!target || 'error' in target || target.kind !== 'custom')
      out.push({
        path: `${at}.values.${value}`,
        message: `${JSON.stringify(to)} is not a Zendesk custom field: write ${kind === 'organization' ? 'organization_fields' : 'user_fields'}.<key> (or null to leave the value out)`,
      });
  }
  return out;
}

function phoneIssues(phone: unknown): ConfigIssue[] {
  if (!isRecord(phone) || typeof phone.defaultRegion !== 'string' || phone.defaultRegion === '') return [];
  if (isKnownRegion(phone.defaultRegion)) return [];
  return [
    {
      path: 'users.phone.defaultRegion',
      message: `'${phone.defaultRegion}' is not a region code: use an ISO 3166-1 alpha-2 code such as US, GB or DE (upper case)`,
    },
  ];
}

function matchIssues(section: string, match: unknown, kind: SyncKind): ConfigIssue[] {
  if (Array.isArray(match)) {
    return [
      {
        path: `${section}.match`,
        message: 'only one matching criterion is supported (give one object, not a list)',
      },
    ];
  }
  if (!isRecord(match)) return [];
  const out: ConfigIssue[] = [];
  if (typeof match.zendesk === 'string' && match.zendesk !== '') {
    const target = parseMatchTarget(kind, match.zendesk);
    if ('error' in target) out.push({ path: `${section}.match.zendesk`, message: target.error });
  }
  return out;
}

/** The write-back field receives the Zendesk ID; if the sync also reads it, each write-back would re-trigger it. */
function syncedIdIssues(section: string, raw: Record<string, unknown>): ConfigIssue[] {
  if (typeof raw.syncedIdField !== 'string' || raw.syncedIdField === '') return [];
  const target = raw.syncedIdField.toLowerCase();
  const uses: string[] = [];
  if (
    isRecord(raw.match) &&
    typeof raw.match.salesforce === 'string' &&
    raw.match.salesforce.toLowerCase() === target
  ) {
    uses.push(`${section}.match`);
  }
  if (Array.isArray(raw.fields)) {
    raw.fields.forEach((m, i) => {
      if (isRecord(m) && typeof m.salesforce === 'string' && m.salesforce.toLowerCase() === target) {
        uses.push(`${section}.fields[${i}]`);
      }
    });
  }
  if (uses.length === 0) return [];
  return [
    {
      path: `${section}.syncedIdField`,
      message: `${raw.syncedIdField} receives the Zendesk ID, so it cannot also be synced (used in ${uses.join(', ')})`,
    },
  ];
}

function sectionIssues(section: 'accounts' | 'users', raw: unknown): ConfigIssue[] {
  if (!isRecord(raw)) return [];
  const kind: SyncKind = section === 'accounts' ? 'organization' : 'user';
  const out = [
    ...filtersIssues(section, raw.filters, kind),
    ...matchIssues(section, raw.match, kind),
    ...fieldsIssues(
      section,
      raw.fields,
      kind,
      raw.externalId,
      isRecord(raw.match) ? raw.match.zendesk : undefined,
    ),
  ];
  out.push(...syncedIdIssues(section, raw));
  if (section === 'users') out.push(...phoneIssues(raw.phone));
  if (section === 'users' && raw.source === 'Lead' && raw.organizationMembership === true) {
    out.push({
      path: 'users.organizationMembership',
      message: 'Leads have no account, so organization membership needs source: Contact',
    });
  }
  if (section === 'users') out.push(...multipleOrganizationsIssues(raw));
  return out;
}

/** The multiple-organizations sync is about accounts: Contacts with organization membership. */
function multipleOrganizationsIssues(raw: Record<string, unknown>): ConfigIssue[] {
  const out: ConfigIssue[] = [];
  if (raw.multipleOrganizations === true) {
    if (raw.source === 'Lead')
      out.push({
        path: 'users.multipleOrganizations',
        message: 'Leads have no account, so multiple organizations needs source: Contact',
      });
    else if (raw.organizationMembership === false)
      out.push({
        path: 'users.multipleOrganizations',
        message:
          'multiple organizations adds organization memberships: it needs organizationMembership: true',
      });
  }
  if (raw.secondaryRelationships === true && raw.multipleOrganizations !== true)
    out.push({
      path: 'users.secondaryRelationships',
      message:
        'secondary account relationships add memberships to users in several organizations: they need multipleOrganizations: true',
    });
  return out;
}

/** Native-sync rules that need no Salesforce/Zendesk schema; run on the raw (unvalidated) config. */
export function semanticIssues(data: unknown): ConfigIssue[] {
  if (!isRecord(data)) return [];
  return [...sectionIssues('accounts', data.accounts), ...sectionIssues('users', data.users)];
}
