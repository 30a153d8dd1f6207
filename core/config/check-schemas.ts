// Checks a parsed SyncConfig against the live schemas: Salesforce describe() of Account/Contact/Lead and
// the Zendesk organization/user custom field definitions. Run at startup (and after schema changes) so
// an impossible mapping is reported with its config path instead of failing record by record.
import { findOption } from '../options';
import type { SalesforceObject } from '../salesforce-object';
import { fieldKind, FIELD_KIND_LABEL, findField, typeRows, type FieldDescribe } from '../salesforce-fields';
import { columnOfZendeskType, isCompatible, TYPE_COMPATIBILITY } from '../type-table';
import type { ConfigIssue } from './errors';
import type { FieldMapping, FilterCondition, MatchCriterion, ObjectSyncConfig, SyncConfig } from './schema';
import { parseMatchTarget, parseZendeskTarget, type SyncKind } from './targets';

/** A Zendesk organization/user custom field definition (GET /api/v2/{organization,user}_fields). */
export interface ZendeskFieldDef {
  key: string;
  type: string;
  active?: boolean;
  custom_field_options?: Array<{ name: string; value: string }>;
}

/** The Zendesk account settings the mapping depends on (GET /api/v2/account/settings). */
export interface ZendeskAccountSettings {
  /** Admin Center "Validate user phone numbers" (`settings.user.end_user_phone_number_validation`). */
  validatesPhoneNumbers: boolean;
  /**
   * Admin Center "Allow users to belong to multiple organizations" (`settings.user.multiple_organizations`).
   * Absent when the answer did not say: memberships are then judged by Zendesk's answer to each write.
   */
  multipleOrganizations?: boolean;
}

export interface SchemaSnapshot {
  salesforce: { Account: FieldDescribe[]; Contact: FieldDescribe[]; Lead: FieldDescribe[] };
  zendesk: {
    organizationFields: ZendeskFieldDef[];
    userFields: ZendeskFieldDef[];
    /** Absent when the settings could not be read: phones are then checked by Zendesk's answer only. */
    settings?: ZendeskAccountSettings;
  };
}

const NUMERIC_TYPES = new Set(['int', 'long', 'double', 'percent']);
const ORDERED_TYPES = new Set([...NUMERIC_TYPES, 'date', 'datetime']);
const TEXT_TYPES = new Set([
  'string',
  'textarea',
  'email',
  'phone',
  'url',
  'id',
  'picklist',
  'combobox',
  'multipicklist',
]);
const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/;

interface Ctx {
  kind: SyncKind;
  object: SalesforceObject;
  section: 'accounts' | 'users';
  sfFields: FieldDescribe[];
  zdFields: ZendeskFieldDef[];
  issues: ConfigIssue[];
}

function add(ctx: Ctx, path: string, message: string): void {
  ctx.issues.push({ path, message });
}

function lookupField(ctx: Ctx, path: string, name: string): FieldDescribe | undefined {
  const field = findField(ctx.sfFields, name);
  if (!field) add(ctx, path, `field '${name}' does not exist on ${ctx.object}`);
  return field;
}

function checkValueForType(ctx: Ctx, path: string, field: FieldDescribe, values: string[]): void {
  if (NUMERIC_TYPES.has(field.type)) {
    for (const v of values) {
      if (v.trim() === '' || !Number.isFinite(Number(v)))
        add(ctx, path, `'${v}' is not a number (${field.name} is a ${field.type} field)`);
    }
  } else if (field.type === 'date') {
    for (const v of values) if (!DATE_ONLY.test(v)) add(ctx, path, `'${v}' is not a date; write YYYY-MM-DD`);
  } else if (field.type === 'datetime') {
    for (const v of values) {
      if (!DATE_ONLY.test(v) && !DATE_TIME.test(v)) {
        add(
          ctx,
          path,
          `'${v}' is not a date/time; write YYYY-MM-DD or an ISO 8601 time with zone (2024-01-31T12:00:00Z)`,
        );
      }
    }
  } else if ((field.type === 'picklist' || field.type === 'multipicklist') && field.picklistValues?.length) {
    const options = field.picklistValues;
    for (const v of values) {
      if (options.some((o) => o.value === v)) continue;
      const byLabel = options.find((o) => o.label === v);
      add(
        ctx,
        path,
        byLabel
          ? `'${v}' is a picklist label; filters use the API name '${byLabel.value}'`
          : `'${v}' is not a value of picklist ${field.name} (API names, case-sensitive: ${options.map((o) => o.value).join(', ')})`,
      );
    }
  }
}

function checkCondition(ctx: Ctx, path: string, c: FilterCondition): void {
  const field = lookupField(ctx, `${path}.field`, c.field);
  if (!field) return;
  const kind = fieldKind(field);
  if (kind !== 'regular') {
    add(ctx, `${path}.field`, `${field.name} is ${FIELD_KIND_LABEL[kind]}, which cannot be used in filters`);
    return;
  }
  if (field.type === 'currency') {
    add(ctx, `${path}.field`, `${field.name} is a currency field, which cannot be used in filters`);
    return;
  }
  if (c.operator === 'is_empty' || c.operator === 'is_not_empty') {
    if (field.type === 'boolean') {
      add(ctx, `${path}.operator`, `a checkbox is never empty; use is / is_not with true or false`);
    }
    return;
  }
  const values = (c.value ?? '').split(',');
  if (field.type === 'boolean') {
    if (c.operator !== 'is' && c.operator !== 'is_not') {
      add(ctx, `${path}.operator`, `checkbox ${field.name} supports only is and is_not, not '${c.operator}'`);
    }
    if (c.value !== 'true' && c.value !== 'false') {
      add(ctx, `${path}.value`, `a checkbox value is true or false, not '${c.value}'`);
    }
    return;
  }
  if ((c.operator === 'greater_than' || c.operator === 'less_than') && !ORDERED_TYPES.has(field.type)) {
    add(
      ctx,
      `${path}.operator`,
      `'${c.operator}' applies to number, date and date/time fields; ${field.name} is a ${field.type} field`,
    );
    return;
  }
  if (['contains', 'not_contains', 'starts_with'].includes(c.operator)) {
    if (!TEXT_TYPES.has(field.type)) {
      add(
        ctx,
        `${path}.operator`,
        `'${c.operator}' applies to text fields; ${field.name} is a ${field.type} field`,
      );
    }
    return; // a substring need not be a whole picklist value
  }
  checkValueForType(ctx, `${path}.value`, field, values);
}

function checkMappingField(
  ctx: Ctx,
  path: string,
  name: string,
  use: 'mapped' | 'matched',
): FieldDescribe | undefined {
  const field = lookupField(ctx, path, name);
  if (!field) return undefined;
  const kind = fieldKind(field);
  // formula fields are excluded from filters only: the docs do not list them among unmappable fields
  if (kind !== 'regular' && kind !== 'formula') {
    add(ctx, path, `${field.name} is ${FIELD_KIND_LABEL[kind]}, which cannot be ${use}`);
    return undefined;
  }
  if (typeRows(field).length === 0) {
    add(ctx, path, `${field.name} has type '${field.type}', which cannot be ${use}`);
    return undefined;
  }
  return field;
}

function lookupZendeskField(ctx: Ctx, path: string, key: string): ZendeskFieldDef | undefined {
  const def = ctx.zdFields.find((f) => f.key === key);
  if (!def) {
    add(ctx, path, `Zendesk ${ctx.kind} field '${key}' does not exist`);
    return undefined;
  }
  if (def.active === false) {
    add(ctx, path, `Zendesk ${ctx.kind} field '${key}' is inactive`);
    return undefined;
  }
  return def;
}

function allowedColumnsText(field: FieldDescribe): string {
  const cols = new Set(typeRows(field).flatMap((r) => TYPE_COMPATIBILITY[r]));
  return [...cols].join(', ');
}

function checkStandardTarget(ctx: Ctx, path: string, field: FieldDescribe, target: string): void {
  if (target === 'tags') return; // any mappable value becomes a tag
  if (target === 'email' && !['email', 'string'].includes(field.type)) {
    add(ctx, path, `email takes an email or text field; ${field.name} is a ${field.type} field`);
  } else if (target === 'phone' && !['phone', 'string'].includes(field.type)) {
    add(ctx, path, `phone takes a phone or text field; ${field.name} is a ${field.type} field`);
  } else if (!isCompatible(typeRows(field), 'text')) {
    add(
      ctx,
      path,
      `Salesforce ${field.type} field ${field.name} cannot be mapped to the text field '${target}'`,
    );
  }
}

function checkValuesMap(
  ctx: Ctx,
  path: string,
  field: FieldDescribe,
  m: FieldMapping,
  def?: ZendeskFieldDef,
): void {
  if (!m.values) return;
  if (field.type !== 'multipicklist') {
    add(
      ctx,
      `${path}.values`,
      `values: applies only to multi-picklist fields; ${field.name} is a ${field.type} field`,
    );
    return;
  }
  const sfValues = field.picklistValues ?? [];
  for (const [from, to] of Object.entries(m.values)) {
    if (sfValues.length && !sfValues.some((o) => o.value === from)) {
      add(ctx, `${path}.values.${from}`, `'${from}' is not a value of multi-picklist ${field.name}`);
    }
    if (to === null) continue; // left out on purpose
    if (def && !(def.custom_field_options ?? []).some((o) => o.value === to)) {
      add(
        ctx,
        `${path}.values.${from}`,
        `'${to}' is not an option value of Zendesk ${def.type} field '${def.key}'`,
      );
    }
  }
}

/** `pick:` is a multi-picklist-to-dropdown rule; its priority list names values of the picklist. */
function checkPick(
  ctx: Ctx,
  path: string,
  field: FieldDescribe,
  m: FieldMapping,
  takesPick: (def?: ZendeskFieldDef) => boolean,
): void {
  const target = parseZendeskTarget(ctx.kind, m.zendesk);
  const def =
    !('error' in target) && target.kind === 'custom'
      ? ctx.zdFields.find((f) => f.key === target.key)
      : undefined;
  if (!takesPick(def)) {
    add(ctx, `${path}.pick`, 'pick: applies only to a multi-picklist mapped to a Zendesk dropdown');
    return;
  }
  if (!Array.isArray(m.pick)) return;
  const sfValues = field.picklistValues ?? [];
  m.pick.forEach((v, i) => {
    if (sfValues.length && !sfValues.some((o) => o.value === v))
      add(ctx, `${path}.pick[${i}]`, `'${v}' is not a value of multi-picklist ${field.name}`);
  });
}

/** `zendesk: checkboxes`: a multi-picklist whose values each set a checkbox field of their own. */
function checkCheckboxes(ctx: Ctx, path: string, field: FieldDescribe, m: FieldMapping): void {
  if (field.type !== 'multipicklist') {
    add(
      ctx,
      `${path}.zendesk`,
      `checkboxes takes a multi-picklist (one checkbox per value); ${field.name} is a ${field.type} field`,
    );
    return;
  }
  const sfValues = field.picklistValues ?? [];
  for (const [from, to] of Object.entries(m.values ?? {})) {
    if (sfValues.length && !sfValues.some((o) => o.value === from))
      add(ctx, `${path}.values.${from}`, `'${from}' is not a value of multi-picklist ${field.name}`);
    if (to === null) continue;
    const target = parseZendeskTarget(ctx.kind, to);
    if ('error' in target || target.kind !== 'custom') continue; // reported by parseSyncConfig
    const def = lookupZendeskField(ctx, `${path}.values.${from}`, target.key);
    if (def && def.type !== 'checkbox')
      add(
        ctx,
        `${path}.values.${from}`,
        `Zendesk ${def.type} field '${def.key}' is not a checkbox (checkboxes sets true when the value is selected, false when not)`,
      );
  }
}

function checkMapping(ctx: Ctx, index: number, m: FieldMapping): void {
  const path = `${ctx.section}.fields[${index}]`;
  const field = checkMappingField(ctx, `${path}.salesforce`, m.salesforce, 'mapped');
  if (!field) return;
  const target = parseZendeskTarget(ctx.kind, m.zendesk);
  if ('error' in target) return; // reported by parseSyncConfig
  const takesPick = (def?: ZendeskFieldDef): boolean =>
    field.type === 'multipicklist' && def !== undefined && columnOfZendeskType(def.type) === 'dropdown';
  if (m.pick !== undefined) checkPick(ctx, path, field, m, takesPick);
  if (target.kind === 'checkboxes') {
    checkCheckboxes(ctx, path, field, m);
    return;
  }
  if (target.kind === 'standard') {
    checkStandardTarget(ctx, `${path}.zendesk`, field, target.field);
    checkValuesMap(ctx, path, field, m);
    return;
  }
  const def = lookupZendeskField(ctx, `${path}.zendesk`, target.key);
  if (!def) return;
  const column = columnOfZendeskType(def.type);
  if (column === undefined) {
    add(ctx, `${path}.zendesk`, `Zendesk ${def.type} field '${def.key}' cannot be a mapping target`);
    return;
  }
  if (field.type === 'multipicklist' && (column === 'multiselect' || column === 'dropdown')) {
    if (!m.values) {
      add(
        ctx,
        `${path}.values`,
        `a multi-picklist mapped to a Zendesk ${def.type} field needs a values: map (Salesforce value -> option value)`,
      );
      return;
    }
    if (column === 'dropdown' && m.pick === undefined) {
      // Zendesk's own sync keeps "only the last" silently (seed); here the winner is a stated rule.
      add(
        ctx,
        `${path}.pick`,
        `Zendesk dropdown '${def.key}' holds one option but multi-picklist ${field.name} can hold several values: add pick: first, pick: last or pick: [a priority list of ${field.name} values], or map it to a multiselect, tags or checkboxes`,
      );
    }
    checkValuesMap(ctx, path, field, m, def);
    return;
  }
  if (column === 'multiselect' || !isCompatible(typeRows(field), column)) {
    add(
      ctx,
      `${path}.zendesk`,
      `Salesforce ${field.type} field ${field.name} cannot be mapped to Zendesk ${def.type} field '${def.key}' (allowed: ${allowedColumnsText(field)})`,
    );
    return;
  }
  checkValuesMap(ctx, path, field, m);
}

function checkMatch(ctx: Ctx, match: MatchCriterion): void {
  const path = `${ctx.section}.match`;
  const field = checkMappingField(ctx, `${path}.salesforce`, match.salesforce, 'matched');
  if (!field) return;
  const target = parseMatchTarget(ctx.kind, match.zendesk);
  if ('error' in target) return; // reported by parseSyncConfig
  if (target.kind === 'phone') {
    if (!['phone', 'string'].includes(field.type))
      add(
        ctx,
        `${path}.salesforce`,
        `matching on phone needs a phone or text field; ${field.name} is a ${field.type} field`,
      );
    return;
  }
  if (field.type === 'phone') {
    add(
      ctx,
      `${path}.salesforce`,
      `${field.name} is a phone field; a phone field can only be matched on phone`,
    );
    return;
  }
  if (target.kind === 'email' && !['email', 'string'].includes(field.type)) {
    add(
      ctx,
      `${path}.salesforce`,
      `matching on email needs an email or text field; ${field.name} is a ${field.type} field`,
    );
  } else if (target.kind === 'custom') {
    const def = lookupZendeskField(ctx, `${path}.zendesk`, target.key);
    const column = def && columnOfZendeskType(def.type);
    if (def && (column === undefined || column === 'multiselect' || !isCompatible(typeRows(field), column))) {
      add(
        ctx,
        `${path}.zendesk`,
        `Salesforce ${field.type} field ${field.name} cannot be matched to Zendesk ${def.type} field '${def.key}'`,
      );
    }
  } else if (!isCompatible(typeRows(field), 'text')) {
    add(
      ctx,
      `${path}.salesforce`,
      `Salesforce ${field.type} field ${field.name} cannot be matched to the text field '${match.zendesk}'`,
    );
  }
}

function checkSyncedIdField(ctx: Ctx, name: string): void {
  const path = `${ctx.section}.syncedIdField`;
  const field = lookupField(ctx, path, name);
  if (!field) return;
  const writableText =
    (field.type === 'string' || field.type === 'textarea') && fieldKind(field) === 'regular';
  if (!writableText || field.autoNumber) {
    add(
      ctx,
      path,
      `${field.name} must be a text field to receive the Zendesk ID (it is ${field.autoNumber ? 'an auto number' : `a ${field.calculated ? 'formula ' : ''}${field.type}`} field)`,
    );
  } else if (field.calculated || field.updateable === false) {
    add(ctx, path, `${field.name} is not writable (updateable is false)`);
  }
}

function checkSection(ctx: Ctx, section: ObjectSyncConfig): void {
  for (const group of ['all', 'any'] as const) {
    section.filters[group].forEach((c, i) => checkCondition(ctx, `${ctx.section}.filters.${group}[${i}]`, c));
  }
  checkMatch(ctx, section.match);
  section.fields.forEach((m, i) => checkMapping(ctx, i, m));
  if (section.syncedIdField) checkSyncedIdField(ctx, section.syncedIdField);
}

/** Every problem of an enabled sync section against the live Salesforce and Zendesk schemas. */
export function checkConfigAgainstSchemas(config: SyncConfig, schemas: SchemaSnapshot): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  if (config.accounts.enabled) {
    checkSection(
      {
        kind: 'organization',
        object: 'Account',
        section: 'accounts',
        sfFields: schemas.salesforce.Account,
        zdFields: schemas.zendesk.organizationFields,
        issues,
      },
      config.accounts,
    );
  }
  if (config.users.enabled) {
    const object = config.users.source;
    checkSection(
      {
        kind: 'user',
        object,
        section: 'users',
        sfFields: schemas.salesforce[object],
        zdFields: schemas.zendesk.userFields,
        issues,
      },
      config.users,
    );
    // Read from GET account/settings; unknown (not readable) is judged by Zendesk's answers instead.
    if (config.users.multipleOrganizations && schemas.zendesk.settings?.multipleOrganizations === false)
      issues.push({
        path: 'users.multipleOrganizations',
        message:
          'needs Zendesk\'s "Allow users to belong to multiple organizations" (Admin Center, end-user settings), which is off in this Zendesk account',
      });
  }
  return issues;
}

/** Active picklist values of a describe() field. */
function activeValues(field: FieldDescribe): string[] {
  return (field.picklistValues ?? []).filter((o) => o.active !== false).map((o) => o.value);
}

function sectionGaps(
  section: 'accounts' | 'users',
  kind: SyncKind,
  config: ObjectSyncConfig,
  sfFields: FieldDescribe[],
  zdFields: ZendeskFieldDef[],
): ConfigIssue[] {
  const out: ConfigIssue[] = [];
  config.fields.forEach((m, i) => {
    const field = findField(sfFields, m.salesforce);
    if (!field || (field.type !== 'picklist' && field.type !== 'multipicklist')) return;
    const target = parseZendeskTarget(kind, m.zendesk);
    if ('error' in target) return;
    const def = target.kind === 'custom' ? zdFields.find((f) => f.key === target.key) : undefined;
    const values = activeValues(field);
    const path = `${section}.fields[${i}]`;
    const fails = '; a record holding one fails its sync (ValueNotRepresentable)';
    if (field.type === 'picklist') {
      if (def?.type !== 'dropdown') return;
      const missing = values.filter((v) => findOption(def, v) === undefined);
      if (missing.length)
        out.push({
          path,
          message: `${field.name} values with no option in Zendesk dropdown '${def.key}': ${missing.join(', ')}${fails}`,
        });
      return;
    }
    if (m.values) {
      const mapped = m.values;
      const missing = values.filter((v) => !Object.prototype.hasOwnProperty.call(mapped, v));
      if (missing.length)
        out.push({
          path: `${path}.values`,
          message: `${field.name} values the values: map does not cover (map them, or to null to leave them out): ${missing.join(', ')}${fails}`,
        });
    }
    if (def?.type === 'dropdown' && Array.isArray(m.pick)) {
      const pick = m.pick;
      const never = values.filter((v) => !pick.includes(v) && m.values?.[v] !== null);
      if (never.length)
        out.push({
          path: `${path}.pick`,
          message: `${field.name} values the pick: list does not name (a record with only these fails): ${never.join(', ')}`,
        });
    }
  });
  return out;
}

/**
 * Picklist values (from describe) that have no place in Zendesk: a picklist value no dropdown option
 * matches, a multi-picklist value the values: map does not cover. Not configuration errors (a record
 * that never holds them syncs), but each is a sync that would fail: `sfzd config validate --online`
 * lists them, and the worker logs them at start-up and after a schema refresh.
 */
export function uncoveredPicklistValues(config: SyncConfig, schemas: SchemaSnapshot): ConfigIssue[] {
  const out: ConfigIssue[] = [];
  if (config.accounts.enabled)
    out.push(
      ...sectionGaps(
        'accounts',
        'organization',
        config.accounts,
        schemas.salesforce.Account,
        schemas.zendesk.organizationFields,
      ),
    );
  if (config.users.enabled)
    out.push(
      ...sectionGaps(
        'users',
        'user',
        config.users,
        schemas.salesforce[config.users.source],
        schemas.zendesk.userFields,
      ),
    );
  return out;
}
