/** The messages between a worker and the child process that bundles its workflows (bundle-process.ts). */
import type { LogLevel, LogMetadata } from '@temporalio/common';

/** Sent once by the worker: what Worker.create's own bundling would take from the data converter. */
export interface BundleRequest {
  workflowsPath: string;
  failureConverterPath?: string;
  payloadConverterPath?: string;
}

/** Sent by the child for each line webpack or the SDK's bundler logs. */
export interface BundleLogMessage {
  kind: 'log';
  level: LogLevel;
  message: string;
  meta?: LogMetadata;
}

/** Sent by the child once: the bundle, or why it could not be built. */
export type BundleResultMessage =
  { kind: 'done'; code: string } | { kind: 'failed'; message: string; stack?: string };

export type BundleReply = BundleLogMessage | BundleResultMessage;
