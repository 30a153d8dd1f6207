// Matching a Salesforce picklist value to a Zendesk dropdown/multiselect option, shared by the mapping
// (per record) and the coverage check of `sfzd config validate --online` (per picklist value).
import type { ZendeskFieldDef } from './config/check-schemas';
import { normaliseTag } from './tags';

export type FieldOption = NonNullable<ZendeskFieldDef['custom_field_options']>[number];

/**
 * The option a picklist API name stands for: the option whose value (Zendesk's "tag") is the API name,
 * or whose name (the label agents see) is, or whose value is the API name as Zendesk would normalise it
 * into a tag ("Not For Profit" -> not_for_profit).
 */
export function findOption(def: ZendeskFieldDef, text: string): FieldOption | undefined {
  const options = def.custom_field_options ?? [];
  return (
    options.find((o) => o.value === text) ??
    options.find((o) => o.name === text) ??
    options.find((o) => o.value === normaliseTag(text))
  );
}

/** `technology (Technology), retail (Retail)`: what a dropdown accepts, for failure messages (schema, not PII). */
export function describeOptions(def: ZendeskFieldDef, max = 25): string {
  const options = def.custom_field_options ?? [];
  if (options.length === 0) return 'no options';
  const shown = options.slice(0, max).map((o) => (o.name === o.value ? o.value : `${o.value} (${o.name})`));
  return options.length > max ? `${shown.join(', ')} and ${options.length - max} more` : shown.join(', ');
}
