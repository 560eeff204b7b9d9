// What both proxy faces (stdio and `--listen`) set up the same way from their flags: the upstream
// URL, the call limits, the policy, lockfile and audit key (invalid configuration fails here, exit 2
// with file:line), the approval channels, the guard, the credentials (a missing secret, or a file
// others can read, stops the proxy here), how the audit log is opened, the options both proxies
// take alike, and the life of the process until the proxy closes. Wiring only.

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
import type { ProxyExit } from '../../proxy/stdio.js';
import { UpstreamProcessTransport } from '../../proxy/transports.js';
import type { Upstream } from '../../proxy/upstream.js';

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
  upstream?: string;
  timeout: string;
  maxMessage: string;
  allowSampling?: boolean;
  elicitation: boolean;
  hideBlocked?: boolean;
  upstreamEra: string;
}

export interface ProxySetup {
  log: ProxyLog;
  approvals: ApprovalSetup;
  credentials: ScopedCredentials | undefined;
  /** Headers the credentials send to a remote upstream (empty for none). */
  headers: Record<string, string>;
  /** The options startStdioProxy and startHttpProxy take alike. */
  common: {
    guard: Guard;
    openAudit: (server: string) => Promise<AuditLog>;
    lock?: Lockfile;
    name?: string;
    credentials?: ScopedCredentials;
    callTimeoutMs: number;
    maxMessageBytes: number;
    sampling: boolean;
    elicitation: boolean;
    blockedTools: 'mark' | 'hide';
    upstreamEra: 'auto' | 'legacy';
    log: ProxyLog;
    approvals?: NonNullable<ApprovalSetup['channel']>;
  };
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

export function upstreamUrl(text: string): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new PortcullisError('USAGE', `--upstream expects an http(s) URL, not "${text}"`, {
      field: '--upstream',
    });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new PortcullisError('USAGE', `--upstream expects an http(s) URL, not ${url.protocol}`, {
      field: '--upstream',
    });
  return url;
}

/** A proxy guards one server: a remote URL or a command, never both. */
export function refuseTwoUpstreams(opts: { upstream?: string }, command: string | undefined): void {
  if (opts.upstream !== undefined && command)
    throw new PortcullisError(
      'USAGE',
      'give either --upstream URL or a server command after `--`, not both',
      {
        field: '--upstream',
      },
    );
}

/** Invalid configuration fails here, before anything starts (exit 2 with file:line). */
export function proxySetup(opts: ProxySetupFlags, remote: boolean): ProxySetup {
  const maxMessageBytes = Number(opts.maxMessage);
  if (!Number.isSafeInteger(maxMessageBytes) || maxMessageBytes < 1024)
    throw new PortcullisError('USAGE', '--max-message expects a number of bytes ≥ 1024', {
      field: '--max-message',
    });
  const callTimeoutMs = duration(opts.timeout, '--timeout');
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
  const openAudit = (server: string) =>
    AuditLog.open(opts.audit ?? defaultAuditPath(server), {
      sync: (opts.auditSync ?? 'write') as 'write' | 'each',
      ...(signingKey ? { signingKey } : {}),
    });
  return {
    log,
    approvals,
    credentials,
    headers: credentials?.upstreamHeaders() ?? {},
    common: {
      guard,
      ...(credentials ? { credentials } : {}),
      ...(lock ? { lock } : {}),
      ...(opts.name !== undefined ? { name: opts.name } : {}),
      openAudit,
      callTimeoutMs,
      maxMessageBytes,
      sampling: opts.allowSampling === true,
      elicitation: opts.elicitation,
      blockedTools: opts.hideBlocked ? 'hide' : 'mark',
      upstreamEra: opts.upstreamEra as 'auto' | 'legacy',
      log,
      ...(approvals.channel ? { approvals: approvals.channel } : {}),
    },
  };
}

/**
 * Runs a started proxy until it closes: a signal closes it, and whatever ends this process takes
 * the server's process group with it. Resolves with the exit code, the approval channels closed.
 */
export async function untilClosed(
  proxy: { upstream: Upstream; closed: Promise<ProxyExit>; close(reason?: string): Promise<ProxyExit> },
  approvals: ApprovalSetup,
): Promise<number> {
  const transport = proxy.upstream.transport;
  const killOnExit = () => {
    if (transport instanceof UpstreamProcessTransport) transport.killTree('SIGKILL');
  };
  process.once('exit', killOnExit);
  const onSignal = (signal: NodeJS.Signals) => void proxy.close(`received ${signal}`);
  process.once('SIGTERM', onSignal);
  process.once('SIGINT', onSignal);
  const exit = await proxy.closed;
  await approvals.close();
  process.off('SIGTERM', onSignal);
  process.off('SIGINT', onSignal);
  return exit.code;
}
