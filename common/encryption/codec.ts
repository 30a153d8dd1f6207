/**
 * AES-256-GCM PayloadCodec: every payload leaving this process for the Temporal server (workflow and
 * activity inputs and results, signals, queries, memos, failure details, activity summaries) is
 * serialised and encrypted; the server and anyone reading history see only ciphertext.
 *
 * Encrypted payload: metadata `encoding: binary/encrypted`, `encryption-key-id: <id>`,
 * `encryption-cipher: AES-256-GCM`; data = 12-byte IV ‖ ciphertext ‖ 16-byte auth tag. The key id is
 * also the GCM additional data, so swapping a payload's key id metadata makes decryption fail rather
 * than decrypt under the wrong key. Runs in the worker's main thread, never in the workflow sandbox.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { Payload, PayloadCodec } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import type { EncryptionKeys } from './keys';

export const ENCODING = 'binary/encrypted';
export const CIPHER = 'AES-256-GCM';
const IV_BYTES = 12;
const TAG_BYTES = 16;

export class PayloadDecryptionError extends Error {
  override readonly name = 'PayloadDecryptionError';
  constructor(
    readonly code: 'UNKNOWN_ENCRYPTION_KEY' | 'PAYLOAD_DECRYPTION_FAILED',
    message: string,
  ) {
    super(message);
  }
}

const utf8 = (s: string) => new TextEncoder().encode(s);
const text = (b: Uint8Array | null | undefined) => (b ? Buffer.from(b).toString('utf8') : undefined);

export class AesGcmPayloadCodec implements PayloadCodec {
  constructor(private readonly keys: EncryptionKeys) {}

  async encode(payloads: Payload[]): Promise<Payload[]> {
    const keyId = this.keys.activeKeyId;
    const key = this.keys.keys.get(keyId)!;
    return payloads.map((payload) => {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      cipher.setAAD(Buffer.from(keyId, 'utf8'));
      const plain = temporal.api.common.v1.Payload.encode(payload).finish();
      const data = Buffer.concat([iv, cipher.update(plain), cipher.final(), cipher.getAuthTag()]);
      return {
        metadata: {
          encoding: utf8(ENCODING),
          'encryption-key-id': utf8(keyId),
          'encryption-cipher': utf8(CIPHER),
        },
        data,
      };
    });
  }

  async decode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((payload) => {
      // Payloads written before encryption was switched on stay readable as they are.
      if (text(payload.metadata?.encoding) !== ENCODING) return payload;
      const keyId = text(payload.metadata?.['encryption-key-id']) ?? '';
      const key = this.keys.keys.get(keyId);
      if (!key)
        throw new PayloadDecryptionError(
          'UNKNOWN_ENCRYPTION_KEY',
          `payload was encrypted with key id '${keyId}', which is not in SYNC_ENCRYPTION_KEYS (known: ${[...this.keys.keys.keys()].join(', ')}); keep retired keys listed after a rotation`,
        );
      const data = Buffer.from(payload.data ?? new Uint8Array());
      try {
        const decipher = createDecipheriv('aes-256-gcm', key, data.subarray(0, IV_BYTES));
        decipher.setAAD(Buffer.from(keyId, 'utf8'));
        decipher.setAuthTag(data.subarray(data.length - TAG_BYTES));
        const plain = Buffer.concat([
          decipher.update(data.subarray(IV_BYTES, data.length - TAG_BYTES)),
          decipher.final(),
        ]);
        return temporal.api.common.v1.Payload.decode(plain);
      } catch {
        throw new PayloadDecryptionError(
          'PAYLOAD_DECRYPTION_FAILED',
          `cannot decrypt a payload with key id '${keyId}': the key configured under that id is not the one it was encrypted with, or the payload was altered`,
        );
      }
    });
  }
}
