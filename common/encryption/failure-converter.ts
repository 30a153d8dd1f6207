/**
 * With encryption on, failures' messages and stack traces move into `encodedAttributes`, a payload the
 * codec encrypts: an error text quoting an email ("Zendesk already has a user with email …") would
 * otherwise sit in history in plain text. The message shown without the codec is "Encoded failure".
 * Loaded by path (DataConverter.failureConverterPath) because the workflow sandbox needs it too.
 */
import { DefaultFailureConverter } from '@temporalio/common';

export const failureConverter = new DefaultFailureConverter({ encodeCommonAttributes: true });
