/** The CDC channels this sandbox serves: one per selected entity plus the all-entities channel. */
import type { CdcEntity } from '../change-events';

export const CDC_ENTITIES: readonly CdcEntity[] = ['Account', 'Contact', 'Lead'];

export const ALL_CHANGE_EVENTS_CHANNEL = '/data/ChangeEvents';

export function entityChannel(entity: CdcEntity): string {
  return `/data/${entity}ChangeEvent`;
}

const SUBSCRIBABLE = new Set<string>([ALL_CHANGE_EVENTS_CHANNEL, ...CDC_ENTITIES.map(entityChannel)]);

/** Channel names are case-sensitive on Salesforce, so this is an exact match. */
export function isCdcChannel(channel: unknown): channel is string {
  return typeof channel === 'string' && SUBSCRIBABLE.has(channel);
}

/** Whether an event about `entity` belongs on `channel`. */
export function channelCarries(channel: string, entity: CdcEntity): boolean {
  return channel === ALL_CHANGE_EVENTS_CHANNEL || channel === entityChannel(entity);
}

export function isCdcEntity(value: unknown): value is CdcEntity {
  return typeof value === 'string' && (CDC_ENTITIES as readonly string[]).includes(value);
}
