/**
 * The failure of a pass that found values Zendesk cannot hold, and of one whose configuration no longer
 * fits the schemas. Both are raised before the first write, so nothing of the record was written.
 */
import { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import { describeProblem, type ConfigIssue, type UnrepresentableValue } from '../../core';
import { FailureType } from '../../workflows/failure-types';
import type { SalesforceObject } from '../../workflows/sync-types';
import { countUnrepresentableValue } from '../metrics';

/** Problems a fresh read of Zendesk's field definitions or settings may solve (an option added since). */
export function dependsOnZendeskSchema(p: UnrepresentableValue): boolean {
  return p.reason === 'no-option' || p.reason === 'no-field' || p.reason === 'phone-not-e164';
}

/**
 * ValueNotRepresentable. The message names fields, rules and what Zendesk accepts; the values themselves
 * (a phone, a name) go only into the details, which are payloads and get encrypted.
 */
export function valueNotRepresentable(
  object: SalesforceObject,
  problems: UnrepresentableValue[],
): ApplicationFailure {
  // Counted for record passes only, not for dry-runs, which run the same activity.
  let isPass = false;
  try {
    isPass = Context.current().info.workflowType === 'syncRecord';
  } catch {
    // outside an activity (unit tests): not a pass
  }
  if (isPass) for (const p of problems) countUnrepresentableValue(object, p.zendesk, p.reason);
  const what = problems.length === 1 ? 'a mapped value' : `${problems.length} mapped values`;
  return ApplicationFailure.create({
    type: FailureType.ValueNotRepresentable,
    nonRetryable: true,
    message: `Zendesk cannot hold ${what}, so nothing was written: ${problems.map(describeProblem).join('; ')}`,
    details: [{ values: problems }],
  });
}

/** ConfigInvalid for a section whose configuration stopped fitting the schemas after a refresh. */
export function configNoLongerFits(issues: ConfigIssue[]): ApplicationFailure {
  return ApplicationFailure.create({
    type: FailureType.ConfigInvalid,
    nonRetryable: true,
    message: `the sync configuration no longer fits the Salesforce/Zendesk schemas (read again while the worker runs), so nothing was written: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`,
    details: [{ issues }],
  });
}
