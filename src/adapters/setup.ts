// What both in-process wrappers share: the options a user gives, resolved once at setup into a guard,
// a session and an audit log. Invalid configuration (a policy file that does not load, a bad option)
// throws here, never at call time; the audit log is opened at once and a failure to open it denies
// every call.

import { randomUUID } from 'node:crypto';
import { AuditLog, type AuditLogOptions } from '../audit/index.js';
import { PortcullisError } from '../core/errors.js';
import {
  type ApprovalChannel,
  CallGate,
  type CompiledPolicy,
  type CredentialBroker,
  createGuard,
  type Guard,
  type GuardSession,
  loadPolicy,
} from '../guard/index.js';
import type { Lockfile } from '../pin/index.js';
import { defaultAuditPath } from '../proxy/audit-path.js';

export interface AdapterOptions {
  /** A compiled policy or the path of a policy file (loaded now; errors carry file:line). Default: the built-in policy. */
  policy?: CompiledPolicy | string;
  /** A guard to share (its pins, sessions and rate limits) instead of creating one from `policy`. */
  guard?: Guard;
  /** Lockfile for pin checks when the guard is created here. */
  lock?: Lockfile;
  /** The server name for policy rules, pins and audit records. */
  server?: string;
  /**
   * The audit log: an open AuditLog (the caller closes it) or a file path (opened now, closed by
   * `close()`). Default: `$XDG_STATE_HOME/portcullis/audit/<server>-<date>.jsonl`, like the proxy.
   */
  audit?: AuditLog | string;
  /** Options for a log opened here from a path (signing key, checkpoint interval...). */
  auditOptions?: AuditLogOptions;
  /** The guard session (one agent conversation). Default: the audit log's session id, else a fresh one. */
  sessionId?: string;
  /** How require-approval decisions are asked; without one they are denied. */
  approvals?: ApprovalChannel;
  /** Per-tool secrets injected into calls and redacted from what comes back. */
  credentials?: CredentialBroker;
  /** Operational events (audit failures, pin blocks, tool failures). Default: ignored. */
  onEvent?: (kind: string, message: string) => void;
  /** Tools whose definition does not match the lockfile: marked in their description (default) or left out. */
  blockedTools?: 'mark' | 'hide';
}

/** The guard, session and (possibly still opening) audit log of one wrapper. */
export interface AdapterContext {
  guard: Guard;
  server: string;
  session: GuardSession;
  /** Resolves to the audit log once open. */
  audit: Promise<AuditLog>;
  /** Resolves to the gate once the audit log is open; rejects when it cannot be opened. */
  gate: Promise<CallGate>;
  /** Closes the audit log when this wrapper opened it. */
  close(): Promise<void>;
}

function checkName(value: unknown, field: string): string {
  if (typeof value !== 'string' || value.length === 0 || value.length > 200)
    throw new PortcullisError('USAGE', `${field} must be a non-empty string of at most 200 characters`, {
      field,
    });
  return value;
}

export function resolveGuard(options: AdapterOptions): Guard {
  if (options.guard) {
    if (options.policy !== undefined || options.lock !== undefined)
      throw new PortcullisError('USAGE', 'give either a guard or a policy/lock, not both', {
        field: 'guard',
      });
    return options.guard;
  }
  const policy = typeof options.policy === 'string' ? loadPolicy(options.policy) : options.policy;
  return createGuard({
    ...(policy ? { policy } : {}),
    ...(options.lock ? { lock: options.lock } : {}),
  });
}

export function createAdapterContext(options: AdapterOptions, defaultServer: string): AdapterContext {
  if (
    options.blockedTools !== undefined &&
    options.blockedTools !== 'mark' &&
    options.blockedTools !== 'hide'
  )
    throw new PortcullisError('USAGE', "blockedTools must be 'mark' or 'hide'", { field: 'blockedTools' });
  const server = checkName(options.server ?? defaultServer, 'server');
  const guard = resolveGuard(options);
  const given = options.audit instanceof AuditLog ? options.audit : undefined;
  if (options.audit !== undefined && !given && typeof options.audit !== 'string')
    throw new PortcullisError('USAGE', 'audit must be an AuditLog or a file path', { field: 'audit' });
  const sessionId = checkName(options.sessionId ?? given?.sessionId ?? randomUUID(), 'sessionId');
  const session = guard.session(sessionId);
  const opened: Promise<AuditLog> = given
    ? Promise.resolve(given)
    : AuditLog.open(typeof options.audit === 'string' ? options.audit : defaultAuditPath(server), {
        ...options.auditOptions,
        sessionId,
      });
  const gate = opened.then(
    (audit) =>
      new CallGate({
        guard,
        audit,
        session,
        ...(options.approvals ? { approvals: options.approvals } : {}),
        ...(options.credentials ? { credentials: options.credentials } : {}),
        ...(options.onEvent ? { onEvent: options.onEvent } : {}),
      }),
  );
  // A log that cannot be opened denies every call; the rejection is handled there, not unhandled here.
  gate.catch((e: unknown) => options.onEvent?.('audit', `the audit log could not be opened: ${String(e)}`));
  return {
    guard,
    server,
    session,
    audit: opened,
    gate,
    close: async () => {
      if (given) return;
      const log = await opened.catch(() => undefined);
      await log?.close();
    },
  };
}
