/** The Markdown shown as the record workflow's "current details" in the Temporal UI. */
import type { RecordState } from './sync-types';
import { zendeskKindOf } from './sync-types';

export function renderDetails(state: RecordState): string {
  const kind = zendeskKindOf(state.object);
  const last = state.outcomes[0];
  const lines = [
    `**${state.object} ${state.salesforceId}**`,
    '',
    `- Link: ${state.link ? `${kind} ${state.link.zendeskId} (${state.link.via} ${state.link.linkedAt})` : 'not linked yet'}`,
    `- Write-back: ${state.writtenBack ? 'done' : 'not done'}`,
    `- Last outcome: ${last ? `${last.outcome}${last.failure ? ` (${last.failure})` : ''} at ${last.at}, trigger ${last.trigger}` : 'none'}`,
  ];
  if (state.lastError) {
    lines.push(`- Last error: **${state.lastError.type}**: ${state.lastError.message.replace(/\n/g, ' ')}`);
  }
  lines.push(`- Passes: ${state.passes}`);
  return lines.join('\n');
}
