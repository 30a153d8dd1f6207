/**
 * The payload encryption keys, read once at boot from SYNC_ENCRYPTION_KEYS (or SYNC_ENCRYPTION_KEYS_FILE)
 * and SYNC_ENCRYPTION_KEY_ID. Several keys may be listed so that payloads written before a rotation stay
 * readable: the key id travels in each payload's metadata, and only SYNC_ENCRYPTION_KEY_ID encrypts.
 * Errors name the variable and the key id, never a key's value.
 */
import { readFileSync } from 'node:fs';
import { EnvError } from '../env';

export const KEY_BYTES = 32;

export interface EncryptionKeys {
  /** The id of the key that encrypts new payloads. */
  activeKeyId: string;
  /** Every known key by id, the active one included. */
  keys: ReadonlyMap<string, Buffer>;
}

const KEY_ID = /^[A-Za-z0-9._-]{1,64}$/;

/**
 * Whether `text` is a usable key id, safe to print: ids appear in messages and payload metadata, keys
 * never do. A base64 string of a 32-byte key is refused as an id, so that `key:id` written the wrong
 * way round (or a key put in SYNC_ENCRYPTION_KEY_ID) is reported without being echoed.
 */
function isKeyId(text: string): boolean {
  if (!KEY_ID.test(text)) return false;
  return !(/^[A-Za-z0-9+/_-]{42,44}$/.test(text) && Buffer.from(text, 'base64').length === KEY_BYTES);
}

function fail(variable: string, message: string): never {
  throw new EnvError([{ variable, message }]);
}

function invalidId(index: number): string {
  return `entry ${index + 1} has no valid key id: write keyId:base64key, the id 1-64 of A-Z a-z 0-9 . _ - (the value is not shown: it may be a key)`;
}

/** `id:base64` pairs separated by commas or newlines, or a JSON object `{ "id": "base64" }`. */
export function parseKeyList(text: string, variable: string): Map<string, Buffer> {
  const trimmed = text.trim();
  let entries: Array<[string, string]>;
  if (trimmed.startsWith('{')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(trimmed);
    } catch {
      fail(variable, 'is not valid JSON (expected {"keyId": "base64 key", ...})');
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
      fail(variable, 'must be a JSON object {"keyId": "base64 key", ...}');
    entries = Object.entries(parsed as Record<string, unknown>).map(([id, v], i) => {
      if (!isKeyId(id)) fail(variable, invalidId(i));
      if (typeof v !== 'string') fail(variable, `key '${id}' must be a base64 string`);
      return [id, v];
    });
  } else {
    entries = trimmed
      .split(/[,\n]/)
      .map((s) => s.trim())
      .filter((s) => s && !s.startsWith('#'))
      .map((pair, i) => {
        const colon = pair.indexOf(':');
        if (colon <= 0) fail(variable, `entry ${i + 1} must look like keyId:base64key`);
        return [pair.slice(0, colon).trim(), pair.slice(colon + 1).trim()];
      });
  }
  if (entries.length === 0) fail(variable, 'lists no keys');
  const keys = new Map<string, Buffer>();
  for (const [i, [id, b64]] of entries.entries()) {
    // Only a valid id is ever quoted (isKeyId): the value in its place may be a key.
    if (!isKeyId(id)) fail(variable, invalidId(i));
    if (keys.has(id)) fail(variable, `key id '${id}' is listed twice`);
    const key = Buffer.from(b64, 'base64');
    // Buffer.from ignores junk characters, so re-encode to catch a truncated or mistyped key.
    if (key.length !== KEY_BYTES || key.toString('base64').replace(/=+$/, '') !== b64.replace(/=+$/, ''))
      fail(
        variable,
        `key '${id}' must be ${KEY_BYTES} bytes in base64 (generate one with: openssl rand -base64 32)`,
      );
    keys.set(id, key);
  }
  return keys;
}

/** Undefined when encryption is off (none of the SYNC_ENCRYPTION_* variables set). */
export function readEncryptionKeys(env: NodeJS.ProcessEnv = process.env): EncryptionKeys | undefined {
  const inline = env.SYNC_ENCRYPTION_KEYS?.trim() || undefined;
  const file = env.SYNC_ENCRYPTION_KEYS_FILE?.trim() || undefined;
  const activeKeyId = env.SYNC_ENCRYPTION_KEY_ID?.trim() || undefined;
  if (!inline && !file && !activeKeyId) return undefined;
  if (inline && file)
    fail(
      'SYNC_ENCRYPTION_KEYS_FILE',
      'set either SYNC_ENCRYPTION_KEYS or SYNC_ENCRYPTION_KEYS_FILE, not both',
    );
  if (!inline && !file)
    fail(
      'SYNC_ENCRYPTION_KEYS',
      'is required with SYNC_ENCRYPTION_KEY_ID (or set SYNC_ENCRYPTION_KEYS_FILE)',
    );
  let keys: Map<string, Buffer>;
  if (file) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (err) {
      // The path is not quoted: keys pasted into this variable by mistake would be.
      fail(
        'SYNC_ENCRYPTION_KEYS_FILE',
        `cannot read the file (${(err as NodeJS.ErrnoException).code ?? 'error'}): give the path of a readable file`,
      );
    }
    keys = parseKeyList(text, 'SYNC_ENCRYPTION_KEYS_FILE');
  } else {
    keys = parseKeyList(inline!, 'SYNC_ENCRYPTION_KEYS');
  }
  if (!activeKeyId)
    fail(
      'SYNC_ENCRYPTION_KEY_ID',
      `is required: name the key that encrypts new payloads (one of ${[...keys.keys()].join(', ')})`,
    );
  if (!keys.has(activeKeyId))
    fail(
      'SYNC_ENCRYPTION_KEY_ID',
      isKeyId(activeKeyId)
        ? `'${activeKeyId}' is not among the configured keys (${[...keys.keys()].join(', ')})`
        : `is not a key id (the value is not shown: it may be a key); name one of the configured keys (${[...keys.keys()].join(', ')})`,
    );
  return { activeKeyId, keys };
}
