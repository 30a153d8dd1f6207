/**
 * bench/actions.ts against hand-built histories: each billable kind Temporal Cloud lists, and the
 * events that look billable but are not (the signal of a Signal-With-Start, patch markers and
 * `TemporalChangeVersion` upserts, workflow tasks).
 */
import assert from 'node:assert/strict';
import { temporal } from '@temporalio/proto';
import { countActions, LOCAL_ACTIVITY_MARKER } from '../../bench/actions';

const E = temporal.api.enums.v1.EventType;
type Event = temporal.api.history.v1.IHistoryEvent;

let nextId = 1;
/** Plain objects, as histories read from JSON are (IDs as numbers, not Longs). */
const ev = (eventType: temporal.api.enums.v1.EventType, attrs: Record<string, unknown> = {}): Event =>
  ({ eventId: nextId++, eventType, ...attrs }) as unknown as Event;
const workflowTask = (): Event[] => [
  ev(E.EVENT_TYPE_WORKFLOW_TASK_SCHEDULED),
  ev(E.EVENT_TYPE_WORKFLOW_TASK_STARTED),
  ev(E.EVENT_TYPE_WORKFLOW_TASK_COMPLETED),
];
const activity = (attempt = 1): Event[] => [
  ev(E.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED),
  ev(E.EVENT_TYPE_ACTIVITY_TASK_STARTED, { activityTaskStartedEventAttributes: { attempt } }),
  ev(E.EVENT_TYPE_ACTIVITY_TASK_COMPLETED),
];
const upsert = (...names: string[]): Event =>
  ev(E.EVENT_TYPE_UPSERT_WORKFLOW_SEARCH_ATTRIBUTES, {
    upsertWorkflowSearchAttributesEventAttributes: {
      searchAttributes: {
        indexedFields: Object.fromEntries(names.map((n) => [n, { data: new Uint8Array() }])),
      },
    },
  });
const marker = (markerName: string, workflowTaskCompletedEventId: number): Event =>
  ev(E.EVENT_TYPE_MARKER_RECORDED, {
    markerRecordedEventAttributes: { markerName, workflowTaskCompletedEventId },
  });

describe('billable Temporal actions of a history (bench/actions.ts)', () => {
  it('a Signal-With-Start that starts the workflow is one action; a later signal is one more', () => {
    const history = [
      ev(E.EVENT_TYPE_WORKFLOW_EXECUTION_STARTED),
      ev(E.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED),
      ...workflowTask(),
      ev(E.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED),
      ...workflowTask(),
    ];
    assert.deepEqual(countActions(history), {
      events: 9,
      actions: 2,
      byKind: { workflowStarted: 1, signal: 1 },
    });
  });

  it('a plain start followed by a separate signal is two actions', () => {
    const history = [
      ev(E.EVENT_TYPE_WORKFLOW_EXECUTION_STARTED),
      ev(E.EVENT_TYPE_WORKFLOW_TASK_SCHEDULED),
      ev(E.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED),
    ];
    assert.deepEqual(countActions(history).byKind, { workflowStarted: 1, signal: 1 });
  });

  it('counts every attempt of an activity, and not workflow tasks', () => {
    const history = [...workflowTask(), ...activity(), ...workflowTask(), ...activity(3), ...workflowTask()];
    assert.deepEqual(countActions(history), { events: 15, actions: 4, byKind: { activity: 4 } });
  });

  it('counts one action per search attribute upsert, none for TemporalChangeVersion alone or patch markers', () => {
    const completed = workflowTask();
    const history = [
      ...completed,
      upsert('SyncOutcome', 'SyncFailure', 'ZendeskId', 'LastSyncedAt'),
      upsert('TemporalChangeVersion'),
      marker('core_patch', Number(completed[2]!.eventId)),
      upsert('TemporalChangeVersion', 'SyncOutcome'),
    ];
    assert.deepEqual(countActions(history).byKind, { searchAttributeUpsert: 2 });
  });

  it('counts the local activities of one workflow task as one action', () => {
    const first = workflowTask();
    const second = workflowTask();
    const firstId = Number(first[2]!.eventId);
    const secondId = Number(second[2]!.eventId);
    const history = [
      ...first,
      marker(LOCAL_ACTIVITY_MARKER, firstId),
      marker(LOCAL_ACTIVITY_MARKER, firstId),
      ...second,
      marker(LOCAL_ACTIVITY_MARKER, secondId),
    ];
    assert.deepEqual(countActions(history).byKind, { localActivities: 2 });
  });

  it('counts timers, child workflows (two each), external signals, updates and continue-as-new starts', () => {
    const history = [
      ev(E.EVENT_TYPE_WORKFLOW_EXECUTION_STARTED, {
        workflowExecutionStartedEventAttributes: { continuedExecutionRunId: 'previous-run' },
      }),
      ...workflowTask(),
      ev(E.EVENT_TYPE_TIMER_STARTED),
      ev(E.EVENT_TYPE_START_CHILD_WORKFLOW_EXECUTION_INITIATED),
      ev(E.EVENT_TYPE_SIGNAL_EXTERNAL_WORKFLOW_EXECUTION_INITIATED),
      ev(E.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED),
      ev(E.EVENT_TYPE_WORKFLOW_EXECUTION_CONTINUED_AS_NEW),
    ];
    assert.deepEqual(countActions(history), {
      events: 9,
      actions: 6,
      byKind: { workflowStarted: 1, timer: 1, childWorkflow: 2, signalExternal: 1, update: 1 },
    });
  });

  it('reads event types given by name, as in a history exported to JSON', () => {
    const history = [
      { eventId: 1, eventType: 'EVENT_TYPE_WORKFLOW_EXECUTION_STARTED' },
      { eventId: 2, eventType: 'EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED' },
      { eventId: 3, eventType: 'EVENT_TYPE_ACTIVITY_TASK_SCHEDULED' },
    ] as unknown as Event[];
    assert.deepEqual(countActions(history).byKind, { workflowStarted: 1, activity: 1 });
  });
});
