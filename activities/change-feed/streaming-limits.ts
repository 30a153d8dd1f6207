/**
 * Salesforce's org-wide Streaming API limits, told apart from authentication failures by their error text.
 *
 * jsforce's `StreamingExtension.AuthFailure` fires on any `/meta/connect` or `/meta/handshake` reply with
 * `advice.reconnect: none`, whatever its error, so a limit answered that way looks like a rejected token.
 * Logging in again cannot help with either limit and costs an OAuth call each time.
 *
 * - `403::Organization total events daily limit exceeded`: "The maximum number of delivered event
 *   notifications within a 24-hour period to all CometD clients has been exceeded. This error applies to any
 *   type of event, including PushTopic, generic, platform, and Change Data Capture events."
 *   https://developer.salesforce.com/docs/platform/api-streaming/guide/streaming-error-codes.html
 *   It comes "in the Bayeux /meta/connect channel when a CometD subscriber first connects or in an existing
 *   subscriber connection", and the subscription is disconnected. What to do: "Keep the subscriber
 *   disconnected for a temporary time. While the subscriber is disconnected, the event usage for the last 24
 *   hours decreases after some time. The events received in Salesforce during the disconnected state are
 *   stored for the retention period of 72 hours. After usage decreases, resume the subscription from where
 *   it left off" (by replay ID).
 *   https://developer.salesforce.com/docs/atlas.en-us.platform_events.meta/platform_events/platform_event_limits.htm
 *   (Platform Event Allocations, "What to Do If You Exceed the Event Delivery Allocation"; Change Data
 *   Capture shares that allocation:
 *   https://developer.salesforce.com/docs/atlas.en-us.change_data_capture.meta/change_data_capture/cdc_allocations.htm;
 *   the generic and PushTopic streaming allocations name the same error:
 *   https://developer.salesforce.com/docs/platform/api-streaming/guide/limits-generic.html ,
 *   https://developer.salesforce.com/docs/platform/api-streaming/guide/limits.html).
 *   Subscribers have also reported it on the /meta/subscribe reply, so every /meta channel is checked.
 * - `403::Organization concurrent user limit exceeded`: "The maximum number of concurrent clients across all
 *   channels has been exceeded" (same error-code page); a slot frees when another client disconnects.
 */
export const DAILY_DELIVERY_LIMIT_ERROR = '403::Organization total events daily limit exceeded';
export const CONCURRENT_CLIENTS_LIMIT_ERROR = '403::Organization concurrent user limit exceeded';

export type StreamingLimit = 'delivery-allocation' | 'concurrent-clients';

/** The limit a Bayeux error string names, if any (case and spacing as Salesforce sends them, leniently). */
export function streamingLimitOf(error: unknown): StreamingLimit | undefined {
  if (typeof error !== 'string') return undefined;
  const text = error.replace(/\s+/g, ' ').trim().toLowerCase();
  if (text.includes('organization total events daily limit exceeded')) return 'delivery-allocation';
  if (text.includes('organization concurrent user limit exceeded')) return 'concurrent-clients';
  return undefined;
}
