// portcullis/sandbox — run a command in an ephemeral, isolated sandbox (bubblewrap + seccomp + cgroups).

import type { Readable } from 'node:stream';
import { resolveOptions } from './options.js';
import { type SandboxExit, type SpawnOptions, spawnSandboxed } from './spawn.js';
import type { RunResult } from './types.js';

export { bwrapArgs, bwrapArgsSplit, findExecutable, SECCOMP_FD } from './bwrap.js';
export {
  type CgroupLayout,
  type CgroupMode,
  detectCgroupLayout,
  sweepStaleCgroups,
  TransientCgroup,
} from './cgroup.js';
export {
  argumentBinds,
  type SandboxCommandOptions,
  SERVER_TIMEOUT_MS,
  sandboxCommandLine,
  sandboxExecEntry,
} from './command.js';
export { compileEgressPolicy, isSpecialAddress } from './egress/policy.js';
export { EGRESS_LIMITS, type EgressProxy, startEgressProxy } from './egress/proxy.js';
export { buildMountPlan, resolveCommand } from './mounts.js';
export { parseDuration, parseNet, parseSize, resolveOptions } from './options.js';
export { cgroupJoinNote, type Probe, type ProbeReport, probeSandbox } from './probe.js';
export { buildSeccompProgram, DENIED_SYSCALLS, seccompFilterBytes } from './seccomp/policy.js';
export {
  checkSandbox,
  pendingCleanups,
  type SandboxExit,
  type SandboxedProcess,
  SandboxUnavailableError,
  type SpawnOptions,
  spawnSandboxed,
} from './spawn.js';
export type * from './types.js';

/** Collects a stream up to `cap` bytes, draining (and counting) the rest so the writer never blocks. */
function capture(stream: Readable | null, cap: number): Promise<{ text: string; truncated: boolean }> {
  return new Promise((resolveCapture) => {
    if (!stream) return resolveCapture({ text: '', truncated: false });
    const chunks: Buffer[] = [];
    let size = 0;
    let truncated = false;
    stream.on('data', (chunk: Buffer) => {
      if (size >= cap) {
        truncated = true;
        return;
      }
      const room = cap - size;
      if (chunk.length > room) truncated = true;
      const piece = chunk.length > room ? chunk.subarray(0, room) : chunk;
      chunks.push(piece);
      size += piece.length;
    });
    const end = () => resolveCapture({ text: Buffer.concat(chunks).toString('utf8'), truncated });
    stream.once('end', end);
    stream.once('error', end);
    stream.once('close', end);
  });
}

/**
 * Runs `argv` to completion in the sandbox and returns its exit status, captured output (capped),
 * wall time, peak memory and why it stopped. Throws SandboxUnavailableError when a requested
 * guarantee is not available here, PortcullisError for invalid options.
 */
export async function run(
  argv: readonly string[],
  options: Omit<SpawnOptions, 'stdio'> = {},
): Promise<RunResult> {
  const cap = resolveOptions(options).outputCapBytes;
  const p = spawnSandboxed(argv, { ...options, stdio: 'pipe' });
  const out = capture(p.stdout, cap);
  const err = capture(p.stderr, cap);
  if (p.stdin) {
    p.stdin.on('error', () => {});
    p.stdin.end(options.stdin ?? '');
  }
  const exit: SandboxExit = await p.exited;
  // Orphans inside the sandbox are dead once the tree is killed, so the pipes close promptly.
  const [o, e] = await Promise.all([out, err]);
  return {
    exitCode: exit.exitCode,
    signal: exit.signal,
    stdout: o.text,
    stderr: e.text,
    stdoutTruncated: o.truncated,
    stderrTruncated: e.truncated,
    wallMs: exit.wallMs,
    peakMemoryBytes: exit.peakMemoryBytes,
    stoppedBy: exit.stoppedBy,
    enforcement: exit.enforcement,
    egress: exit.egress,
    ...(exit.detail ? { detail: exit.detail } : {}),
  };
}
