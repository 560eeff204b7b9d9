// The writer's options, validated once at open (invalid configuration fails there, never at append).

import { createPrivateKey, type KeyObject } from 'node:crypto';
import { PortcullisError } from '../core/errors.js';
import type { AuditFile } from './file.js';
import { MAX_LINE_BYTES } from './format.js';
import type { MaskHook } from './mask.js';

export interface AuditLogOptions {
  /**
   * Ed25519 private key for checkpoints: a KeyObject (from a file, use `loadPrivateKey` of
   * portcullis/pin, which also refuses keys others can read) or PKCS#8 PEM text.
   */
  signingKey?: KeyObject | string;
  /** A signed checkpoint after this many records (and on close). Default 100; 0: only on close. */
  checkpointEvery?: number;
  /** Session id for records that name none. Default: a fresh UUID. */
  sessionId?: string;
  /** Masks arguments before the built-in secret masking. */
  mask?: MaskHook;
  /** When the existing log fails its check, start a new chain after it instead of refusing. */
  forceNewChain?: boolean;
  /** Arguments larger than this are recorded as size, digest and preview. Default 64 KiB. */
  maxArgsBytes?: number;
  /** How much of an existing log to check before continuing it. Default 'tail'. */
  verifyOnOpen?: 'tail' | 'full';
  /**
   * When an append counts as recorded. `write` (default): the record is handed to the kernel
   * before the append resolves (it survives a crash of this process) and made durable with
   * fdatasync within `syncIntervalMs`. `each`: fdatasync before every append resolves (it also
   * survives a power loss, at about half a millisecond or more per call).
   */
  sync?: 'write' | 'each';
  /** Longest time a written record waits for fdatasync in `write` mode. Default 100 ms. */
  syncIntervalMs?: number;
  /** Clock, for tests. */
  now?: () => Date;
  /** Opens the log for appending, for fault-injection tests. */
  openFile?: (file: string) => Promise<AuditFile>;
}

export function signingKeyOf(options: AuditLogOptions): KeyObject | undefined {
  const key = options.signingKey;
  if (typeof key !== 'string') return key;
  try {
    return createPrivateKey({ key, format: 'pem' });
  } catch {
    throw new PortcullisError('KEY_INVALID', 'the audit signing key is not a PEM private key', {
      field: 'signingKey',
    });
  }
}

export function validateOptions(options: AuditLogOptions): void {
  const every = options.checkpointEvery;
  if (every !== undefined && (!Number.isSafeInteger(every) || every < 0)) {
    throw new PortcullisError('USAGE', 'checkpointEvery must be a whole number ≥ 0', {
      field: 'checkpointEvery',
    });
  }
  const key = signingKeyOf(options);
  if (key && (key.type !== 'private' || key.asymmetricKeyType !== 'ed25519')) {
    throw new PortcullisError('KEY_INVALID', 'the audit signing key must be an Ed25519 private key', {
      field: 'signingKey',
    });
  }
  if (options.sync !== undefined && options.sync !== 'write' && options.sync !== 'each') {
    throw new PortcullisError('USAGE', "sync must be 'write' or 'each'", { field: 'sync' });
  }
  const interval = options.syncIntervalMs;
  if (interval !== undefined && (!Number.isSafeInteger(interval) || interval < 1 || interval > 60_000)) {
    throw new PortcullisError('USAGE', 'syncIntervalMs must be a whole number of ms between 1 and 60000', {
      field: 'syncIntervalMs',
    });
  }
  const max = options.maxArgsBytes;
  if (max !== undefined && (!Number.isSafeInteger(max) || max < 256 || max > MAX_LINE_BYTES / 2)) {
    throw new PortcullisError('USAGE', `maxArgsBytes must be between 256 and ${MAX_LINE_BYTES / 2}`, {
      field: 'maxArgsBytes',
    });
  }
}
