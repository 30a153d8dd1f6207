/**
 * Billable Temporal Cloud actions in a workflow history, counted the way Temporal Cloud bills them
 * (https://docs.temporal.io/cloud/actions, "Temporal Cloud Actions", read 2026-12):
 *
 * - Workflow started: client start, Continue-As-New, child start. One Signal-With-Start is one action in
 *   all, "regardless of whether the Workflow starts".
 * - Signal sent (from a client or a workflow): one each.
 * - Activity started or retried: one per attempt.
 * - Local activities: every local-activity marker of one workflow task together is one action.
 * - Timer started: one each (including a `condition` with a timeout).
 * - Search attribute upsert: one per UpsertSearchAttributes command, however many attributes it sets;
 *   attributes given at start are free, and so is an upsert of only `TemporalChangeVersion` (patching).
 * - Child workflow: two (its start and its execution). Update accepted, Nexus operation scheduled or
 *   cancelled, workflow execution options updated: one each.
 *
 * Not in a history, so not counted here (the caller reports them apart): queries (each `sfzd status
 * <object> <id>` is one), activity heartbeats that reach the server, rejected updates, workflow resets.
 * Patch markers (`core_patch`) are not listed as billable; neither are workflow tasks themselves.
 */
import { temporal } from '@temporalio/proto';

type HistoryEvent = temporal.api.history.v1.IHistoryEvent;
const E = temporal.api.enums.v1.EventType;

/** Marker name of a local activity's result (sdk-core); `patched()` writes `core_patch` markers. */
export const LOCAL_ACTIVITY_MARKER = 'core_local_activity';
const CHANGE_VERSION_ATTRIBUTE = 'TemporalChangeVersion';

export type ActionKind =
  | 'workflowStarted'
  | 'signal'
  | 'activity'
  | 'localActivities'
  | 'timer'
  | 'searchAttributeUpsert'
  | 'childWorkflow'
  | 'signalExternal'
  | 'update'
  | 'nexus'
  | 'optionsUpdated';

export interface ActionCount {
  /** History events in the slice. */
  events: number;
  /** Billable actions in the slice. */
  actions: number;
  /** Actions by kind (kinds with none are left out). */
  byKind: Partial<Record<ActionKind, number>>;
}

/** Events as the client returns them: `eventType` an enum number (or its name, from JSON histories). */
function typeOf(event: HistoryEvent): temporal.api.enums.v1.EventType {
  const t = event.eventType as unknown;
  const byName = E as unknown as Record<string, temporal.api.enums.v1.EventType>;
  if (typeof t === 'string') return byName[t] ?? E.EVENT_TYPE_UNSPECIFIED;
  return typeof t === 'number' ? t : E.EVENT_TYPE_UNSPECIFIED;
}

function upsertedNames(event: HistoryEvent): string[] {
  const fields = event.upsertWorkflowSearchAttributesEventAttributes?.searchAttributes?.indexedFields;
  return Object.keys(fields ?? {});
}

/**
 * Counts the events and billable actions of `events`: a whole history, or a slice of one (the events
 * of one pass). In a slice that starts with the workflow's start, a signal right after the start event
 * is the signal of a Signal-With-Start and costs nothing more; a separate signal comes after the first
 * workflow task was scheduled.
 */
export function countActions(events: readonly HistoryEvent[]): ActionCount {
  const byKind: Partial<Record<ActionKind, number>> = {};
  const add = (kind: ActionKind, n = 1) => {
    if (n > 0) byKind[kind] = (byKind[kind] ?? 0) + n;
  };
  const localActivityTasks = new Set<string>();
  events.forEach((event, i) => {
    switch (typeOf(event)) {
      case E.EVENT_TYPE_WORKFLOW_EXECUTION_STARTED:
        add('workflowStarted');
        break;
      case E.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED:
        if (i === 0 || typeOf(events[i - 1]!) !== E.EVENT_TYPE_WORKFLOW_EXECUTION_STARTED) add('signal');
        break;
      case E.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED:
        add('activity');
        break;
      case E.EVENT_TYPE_ACTIVITY_TASK_STARTED: {
        // Written once, for the last attempt: the retries before it were each an action too.
        const attempt = Number(event.activityTaskStartedEventAttributes?.attempt ?? 1);
        add('activity', Math.max(0, attempt - 1));
        break;
      }
      case E.EVENT_TYPE_MARKER_RECORDED: {
        const attrs = event.markerRecordedEventAttributes;
        if (attrs?.markerName !== LOCAL_ACTIVITY_MARKER) break;
        const task = String(attrs.workflowTaskCompletedEventId ?? `event-${String(event.eventId)}`);
        if (!localActivityTasks.has(task)) {
          localActivityTasks.add(task);
          add('localActivities');
        }
        break;
      }
      case E.EVENT_TYPE_TIMER_STARTED:
        add('timer');
        break;
      case E.EVENT_TYPE_UPSERT_WORKFLOW_SEARCH_ATTRIBUTES: {
        const names = upsertedNames(event);
        if (names.length === 0 || names.some((n) => n !== CHANGE_VERSION_ATTRIBUTE))
          add('searchAttributeUpsert');
        break;
      }
      case E.EVENT_TYPE_START_CHILD_WORKFLOW_EXECUTION_INITIATED:
        add('childWorkflow', 2);
        break;
      case E.EVENT_TYPE_SIGNAL_EXTERNAL_WORKFLOW_EXECUTION_INITIATED:
        add('signalExternal');
        break;
      case E.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED:
        add('update');
        break;
      case E.EVENT_TYPE_NEXUS_OPERATION_SCHEDULED:
      case E.EVENT_TYPE_NEXUS_OPERATION_CANCEL_REQUESTED:
        add('nexus');
        break;
      case E.EVENT_TYPE_WORKFLOW_EXECUTION_OPTIONS_UPDATED:
        add('optionsUpdated');
        break;
      default:
        break;
    }
  });
  const actions = Object.values(byKind).reduce((a, n) => a + n, 0);
  return { events: events.length, actions, byKind };
}
