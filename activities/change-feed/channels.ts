/** Which CDC channels the configuration asks for: one per enabled section, following `users.source`. */
import type { SyncConfig } from '../../core';
import type { FeedObject } from './types';

export interface FeedChannel {
  channel: string;
  object: FeedObject;
}

export const changeEventChannel = (object: FeedObject): string => `/data/${object}ChangeEvent`;

export function feedChannels(config: SyncConfig): FeedChannel[] {
  const objects: FeedObject[] = [];
  if (config.accounts.enabled) objects.push('Account');
  if (config.users.enabled) objects.push(config.users.source);
  return objects.map((object) => ({ channel: changeEventChannel(object), object }));
}
