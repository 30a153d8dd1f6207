/** The data converter every Temporal client and worker of this deployment shares. */
import type { DataConverter } from '@temporalio/common';
import { AesGcmPayloadCodec } from './codec';
import { readEncryptionKeys } from './keys';

export { AesGcmPayloadCodec, PayloadDecryptionError, ENCODING } from './codec';
export { readEncryptionKeys, type EncryptionKeys } from './keys';

/** Undefined (the SDK default) unless SYNC_ENCRYPTION_* configure payload encryption. */
export function readDataConverter(env: NodeJS.ProcessEnv = process.env): DataConverter | undefined {
  const keys = readEncryptionKeys(env);
  return keys ? { payloadCodecs: [new AesGcmPayloadCodec(keys)] } : undefined;
}
