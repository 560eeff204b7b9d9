// What both proxy faces (stdio and `--listen`) set up the same way from their flags: the policy,
// lockfile and audit key (invalid configuration fails here, exit 2 with file:line), the approval
// channels, the guard, the credentials (a missing secret, or a file others can read, stops the
// proxy here) and how the audit log is opened. Wiring only.

import { AuditLog } from '../../audit/index.js';
import { PortcullisError } from '../../core/errors.js';
import {
  proxyCredentials,
  refuseHeadersForCommand,
  type ScopedCredentials,
} from '../../guard/credentials.js';
import { createGuard, type Guard, loadPolicy, parseDuration } from '../../guard/index.js';
import { type Lockfile, loadLockfile, loadPrivateKey } from '../../pin/index.js';
import { type ApprovalMode, type ApprovalSetup, createApprovals } from '../../proxy/approval/index.js';
import { defaultAuditPath } from '../../proxy/audit-path.js';
import { ProxyLog } from '../../proxy/log.js';

export interface ProxySetupFlags {
  policy?: string;
  lock?: string;
  audit?: string;
  auditKey?: string;
  auditSync?: string;
  name?: string;
  approval: string;
  approvalTimeout: string;
  approvalTtl: string;
}

export interface ProxySetup {
  log: ProxyLog;
  guard: Guard;
  lock: Lockfile | undefined;
  approvals: ApprovalSetup;
  credentials: ScopedCredentials | undefined;
  /** Headers the credentials send to a remote upstream (empty for none). */
  headers: Record<string, string>;
  openAudit: (server: string) => Promise<AuditLog>;
}

export function duration(text: string, flag: string): number {
  try {
    return parseDuration(text);
  } catch {
    throw new PortcullisError('USAGE', `${flag} expects a duration such as 30s, 500ms or 2m`, {
      field: flag,
    });
  }
}

export function proxySetup(opts: ProxySetupFlags, remote: boolean): ProxySetup {
  const policy = opts.policy !== undefined ? loadPolicy(opts.policy) : undefined;
  const lock = opts.lock !== undefined ? loadLockfile(opts.lock) : undefined;
  const signingKey = opts.auditKey !== undefined ? loadPrivateKey(opts.auditKey) : undefined;
  const log = new ProxyLog();
  const approvals = createApprovals({
    mode: opts.approval as ApprovalMode,
    timeoutMs: duration(opts.approvalTimeout, '--approval-timeout'),
    ttlMs: duration(opts.approvalTtl, '--approval-ttl'),
    announce: (line) => log.info(line),
  });
  const guard = createGuard({
    ...(policy ? { policy } : {}),
    ...(lock ? { lock } : {}),
    approvals: approvals.store,
  });
  const credentials = policy ? proxyCredentials(policy, process.env, opts.name) : undefined;
  if (!remote) refuseHeadersForCommand(credentials);
  return {
    log,
    guard,
    lock,
    approvals,
    credentials,
    headers: credentials?.upstreamHeaders() ?? {},
    openAudit: (server) =>
      AuditLog.open(opts.audit ?? defaultAuditPath(server), {
        sync: (opts.auditSync ?? 'write') as 'write' | 'each',
        ...(signingKey ? { signingKey } : {}),
      }),
  };
}
