// The writer's errors. A guard that gets one must deny the call it was about to record.

import { PortcullisError } from '../core/errors.js';

export type AuditErrorKind =
  /** Another writer holds the log's lock file. */
  | 'locked'
  /** The existing log failed its check; the writer will not extend a broken chain. */
  | 'chain-broken'
  /** A write, fsync, open or lock operation failed (ENOSPC, EACCES, EIO…). */
  | 'write-failed'
  /** A failed write could not be undone, or fsync failed: nothing more is written by this writer. */
  | 'writer-failed'
  /** append() after close(). */
  | 'closed'
  /** The record could not be built (a throwing mask hook, a bad field). */
  | 'record-invalid';

export class AuditError extends PortcullisError {
  readonly kind: AuditErrorKind;
  /** The system error code behind a write failure (ENOSPC, EACCES, EIO, EBADF…). */
  readonly errno: string | undefined;

  constructor(
    kind: AuditErrorKind,
    message: string,
    file: string,
    options: { cause?: unknown; errno?: string } = {},
  ) {
    super(
      kind === 'locked' || kind === 'chain-broken' ? 'INPUT_INVALID' : 'INTERNAL',
      message,
      { file },
      {
        cause: options.cause,
      },
    );
    this.name = 'AuditError';
    this.kind = kind;
    this.errno = options.errno;
  }
}

export function errnoOf(err: unknown): string | undefined {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  return typeof code === 'string' ? code : undefined;
}
