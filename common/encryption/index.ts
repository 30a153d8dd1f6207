/** The data converter every Temporal client and worker of this deployment shares. */
import type { DataConverter } from '@temporalio/common';
import { AesGcmPayloadCodec } from './codec';
import { readEncryptionKeys } from './keys';

export { AesGcmPayloadCodec, PayloadDecryptionError, ENCODING } from './codec';
export { readEncryptionKeys, type EncryptionKeys } from './keys';

/** For bundleWorkflowCode of a pre-built bundle, so workflow-side failures are encoded as well. */
export const FAILURE_CONVERTER_PATH = require.resolve('./failure-converter');

/** Undefined (the SDK default) unless SYNC_ENCRYPTION_* configure payload encryption. */
export function readDataConverter(env: NodeJS.ProcessEnv = process.env): DataConverter | undefined {
  const keys = readEncryptionKeys(env);
  return keys
    ? { payloadCodecs: [new AesGcmPayloadCodec(keys)], failureConverterPath: FAILURE_CONVERTER_PATH }
    : undefined;
}
