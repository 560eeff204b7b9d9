// Starting a sandboxed process: limits first, then bwrap, with the filter on fd 3.
//
// Race handling: the process must be inside its cgroup before it can fork, or a child forked early
// would escape the limits. bwrap waits for its arguments until we have moved it (join.ts). Under gVisor we spawn /bin/sh, which writes its own pid into each cgroup.procs and only
// then execs runsc (same pid, already confined), so the sentry and gofer start inside the limits.
// If any write fails the wrapper exits 125 without running anything.

import { type ChildProcess, spawn } from 'node:child_process';
import type { Readable, Writable } from 'node:stream';
import { bwrapArgs, bwrapArgsSplit, findExecutable } from './bwrap.js';
import {
  type CgroupLayout,
  detectCgroupLayout,
  probeCgroupWritable,
  sweepStaleCgroups,
  TransientCgroup,
} from './cgroup.js';
import { type EgressProxy, startEgressProxy } from './egress/proxy.js';
import { withEgressRelay } from './egress/relay.js';
import { type GvisorBundle, SENTRY_PIDS_ALLOWANCE, sweepStaleBundles, writeGvisorBundle } from './gvisor.js';
import { type JoinedLaunch, launchJoined } from './join.js';
import { buildMountPlan } from './mounts.js';
import { resolveOptions } from './options.js';
import { seccompFilterBytes } from './seccomp/policy.js';
import { hostSeccompArch } from './seccomp/syscalls.js';
import type { EgressEvent, Enforcement, ResolvedOptions, SandboxOptions, StopReason } from './types.js';

/** A requested guarantee this machine cannot give. The run is refused, never weakened. */
export class SandboxUnavailableError extends Error {
  constructor(
    readonly guarantee: string,
    message: string,
    /** What to run to make it available. */
    readonly remedy?: string,
  ) {
    super(message);
    this.name = 'SandboxUnavailableError';
  }
}

export const WRAPPER_FAILED_EXIT = 125;
const WRAPPER_SCRIPT =
  'p=$$; while [ "$1" != -- ]; do echo "$p" > "$1" || { echo "portcullis: cannot join cgroup $1" >&2; exit 125; }; shift; done; shift; exec "$@"';

export interface SandboxExit {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  wallMs: number;
  peakMemoryBytes: number | null;
  stoppedBy: StopReason;
  enforcement: Enforcement;
  /** Every egress decision of the run (empty with --net none). */
  egress: EgressEvent[];
  /** Why the run was stopped by policy before the command ran (a refused cgroup join). */
  detail?: string;
}

export interface SandboxedProcess {
  readonly child: ChildProcess;
  readonly stdin: Writable | null;
  readonly stdout: Readable | null;
  readonly stderr: Readable | null;
  readonly pid: number | undefined;
  /** Egress decisions so far (the proxy appends while the command runs). */
  readonly egress: readonly EgressEvent[];
  /** Kills the whole tree (the command and everything it started). */
  kill(): void;
  /** Settles once the process has exited and its cgroups are removed. Never rejects. */
  readonly exited: Promise<SandboxExit>;
}

export interface SpawnOptions extends SandboxOptions {
  stdio?: 'pipe' | 'inherit';
  /** Overrides cgroup detection (tests; callers that manage their own delegated hierarchy). */
  cgroupLayout?: CgroupLayout;
  /** Told about each egress decision as it is made (`--net HOST,...`). */
  onEgress?: (event: EgressEvent) => void;
  /** The egress proxy's host-side resolver (default getaddrinfo); tests use it to simulate DNS rebinding. */
  egressResolver?: (host: string) => Promise<string[]>;
}

let layoutCache: CgroupLayout | undefined;
const cleanups = new Set<Promise<void>>();

function track(cleanup: Promise<void>): void {
  const settled = cleanup.catch(() => undefined).finally(() => cleanups.delete(settled));
  cleanups.add(settled);
}

/** Settles when every finished run's cgroups, egress socket and gVisor bundle are removed. */
export async function pendingCleanups(): Promise<void> {
  while (cleanups.size > 0) await Promise.all([...cleanups]);
}
let swept = false;

/** The launcher and seccomp table a backend needs, or SandboxUnavailableError with the install command. */
function requireBackend(opts: ResolvedOptions) {
  const gvisor = opts.backend === 'gvisor';
  const launcher = findExecutable(gvisor ? 'runsc' : 'bwrap');
  if (!launcher)
    throw gvisor
      ? new SandboxUnavailableError('gvisor', 'gVisor (runsc) is not installed', 'apt-get install -y runsc')
      : new SandboxUnavailableError(
          'bwrap',
          'bubblewrap (bwrap) is not installed',
          'apt-get install -y bubblewrap',
        );
  const arch = hostSeccompArch();
  if (!arch && !gvisor)
    throw new SandboxUnavailableError('seccomp', `no seccomp syscall table for architecture ${process.arch}`);
  return { gvisor, launcher, arch };
}

let cgroupWritable: ReturnType<typeof probeCgroupWritable> | undefined;
/** A run's cgroup was created on the detected layout in this process: later runs may defer theirs. */
let cgroupsWork = false;

/**
 * Checks, without running anything, that `argv` could be started with these options: the backend
 * is installed, the command exists, the limits can be enforced. Throws what spawnSandboxed would
 * (SandboxUnavailableError, PortcullisError). For callers that start the sandbox in another process.
 */
export function checkSandbox(argv: readonly string[], options: SandboxOptions = {}): void {
  const opts = resolveOptions(options);
  const { gvisor } = requireBackend(opts);
  buildMountPlan(argv, opts);
  layoutCache ??= detectCgroupLayout();
  cgroupWritable ??= probeCgroupWritable(layoutCache);
  if (!cgroupWritable.ok && (gvisor || opts.limitsFallback !== 'rlimit'))
    throw new SandboxUnavailableError(
      'cgroup limits',
      `cannot create a cgroup for the limits (${cgroupWritable.reason}); run as root or with a delegated cgroup`,
      'portcullis doctor',
    );
}

/** Throws SandboxUnavailableError when a requested guarantee cannot be given here. */
function prepare(argv: readonly string[], options: SpawnOptions) {
  const opts = resolveOptions(options);
  const { gvisor, launcher, arch } = requireBackend(opts);
  const plan = buildMountPlan(argv, opts);
  layoutCache ??= detectCgroupLayout();
  const layout = options.cgroupLayout ?? layoutCache;
  if (!swept) {
    swept = true;
    sweepStaleCgroups(layoutCache);
    sweepStaleBundles();
  }
  let cgroup: TransientCgroup | undefined;
  let prefix: string[] = [];
  // Once a cgroup has been created here, bwrap runs create theirs after the spawn, while bwrap
  // starts and waits for its options (join.ts): the two overlap instead of adding up.
  if (!gvisor && !options.cgroupLayout && cgroupsWork)
    return { opts, launcher, gvisor, arch, plan, cgroup, prefix, deferred: layout };
  try {
    // Under gVisor the cgroup also holds the sentry and gofer. Memory stays a hard ceiling on the
    // whole sandbox (sentry included), never raised; pids get an allowance for the sentry's threads
    // because the sentry enforces the application's own RLIMIT_NPROC (set in the bundle).
    cgroup = TransientCgroup.create(
      layout,
      gvisor
        ? {
            memoryBytes: opts.memoryBytes,
            pids: opts.pids + SENTRY_PIDS_ALLOWANCE,
            cpus: opts.cpus,
          }
        : opts,
    );
    if (!options.cgroupLayout) cgroupsWork = true;
  } catch (err) {
    if (opts.limitsFallback !== 'rlimit' || gvisor)
      throw new SandboxUnavailableError(
        'cgroup limits',
        `cannot create a cgroup for the limits (${(err as Error).message}); run as root or with a delegated cgroup, or accept rlimits with --limits rlimit`,
        'portcullis doctor',
      );
    const prlimit = findExecutable('prlimit');
    if (!prlimit)
      throw new SandboxUnavailableError(
        'rlimit',
        'prlimit is not installed',
        'apt-get install -y util-linux',
      );
    prefix = [prlimit, `--as=${opts.memoryBytes}`, `--nproc=${opts.pids}`, '--'];
  }
  return { opts, launcher, gvisor, arch, plan, cgroup, prefix, deferred: undefined };
}

export function spawnSandboxed(argv: readonly string[], options: SpawnOptions = {}): SandboxedProcess {
  const prepared = prepare(argv, options);
  const { opts, launcher, gvisor, arch, plan, prefix, deferred } = prepared;
  let cgroup = prepared.cgroup;
  const procs = cgroup?.procsFiles() ?? [];
  let bundle: GvisorBundle | undefined;
  let egress: EgressProxy | undefined;
  let finalPlan = plan;
  try {
    if (opts.net.mode === 'allowlist') {
      egress = startEgressProxy({
        allow: opts.net.allow,
        // Under gVisor the sentry checks the socket's mode against the sandbox's uid 65534.
        socketMode: gvisor ? 0o666 : 0o600,
        ...(options.onEgress ? { onEvent: options.onEgress } : {}),
        ...(options.egressResolver ? { resolve: options.egressResolver } : {}),
      });
      finalPlan = withEgressRelay(plan, egress.dir);
    }
    bundle = gvisor ? writeGvisorBundle(finalPlan, opts) : undefined;
  } catch (err) {
    void cgroup?.destroy();
    void egress?.close();
    throw err;
  }
  // bwrap with a cgroup joins through its block fd; gVisor and the rlimit fallback use the shell.
  const direct = !bundle && (cgroup !== undefined || deferred !== undefined) && prefix.length === 0;
  const split = direct ? bwrapArgsSplit(finalPlan, { seccomp: true }) : undefined;
  const launch = bundle ? bundle.args : split ? [] : bwrapArgs(finalPlan, { seccomp: true });
  const stdio = options.stdio ?? 'pipe';
  let timedOut = false;
  let killed = false;
  let child: ChildProcess | undefined;
  const killTree = () => {
    killed = true;
    cgroup?.killTree();
    // Killing the outer bwrap also ends the sandbox: its pid-1 child dies with it (--die-with-parent)
    // and the pid namespace goes with its init.
    try {
      if (child?.pid) process.kill(-child.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  };
  const started = performance.now();
  let joining: JoinedLaunch | undefined;
  try {
    if (split) {
      // A deferred cgroup that cannot be created after all stops the run (reported as a policy stop).
      const makeCgroup = () => {
        cgroup ??= TransientCgroup.create(deferred as CgroupLayout, opts);
        return cgroup;
      };
      joining = launchJoined(launcher, split, stdio, makeCgroup, killTree);
      child = joining.child;
    } else
      child = spawn(
        '/bin/sh',
        ['-c', WRAPPER_SCRIPT, 'portcullis-sandbox', ...procs, '--', ...prefix, launcher, ...launch],
        { stdio: [stdio, stdio, stdio, 'pipe'], env: {}, detached: true },
      );
  } catch (err) {
    void cgroup?.destroy();
    void egress?.close();
    bundle?.cleanup(launcher);
    throw err;
  }
  const filterPipe = child.stdio[3] as Writable | null;
  filterPipe?.on('error', () => {});
  if (gvisor || !arch) filterPipe?.end();
  else filterPipe?.end(seccompFilterBytes(arch));

  const enforcement: Enforcement = {
    limits: cgroup ? cgroup.mode : 'rlimit',
    treeKill: cgroup?.canKillTree() ?? false,
    backend: opts.backend,
    // Under gVisor the application's syscalls go to the sentry; gVisor filters the sentry itself.
    seccomp: !gvisor,
    network: egress ? 'proxy' : 'none',
  };
  const timer = setTimeout(() => {
    timedOut = true;
    killTree();
  }, opts.timeoutMs);
  timer.unref?.();

  const exited = new Promise<SandboxExit>((resolveExit) => {
    let done = false;
    const finish = async (code: number | null, signal: NodeJS.Signals | null) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      const wallMs = performance.now() - started;
      const stats = cgroup?.stats() ?? { peakMemoryBytes: null, oomKilled: false, pidsLimitHit: false };
      // Nothing of the run may outlive its report: anything still in the cgroup is killed now (one
      // write); removing the cgroups, the egress socket and the bundle happens right after reporting
      // (off the caller's latency; pendingCleanups() waits for it, the next run's sweep is the backstop).
      // Under bwrap a normal exit needs no look: bwrap exits only after the namespace's init, and the
      // kernel empties a pid namespace before its init is gone.
      const mayLinger = gvisor || !direct || killed || signal !== null;
      if (cgroup && mayLinger && cgroup.pids().length > 0) cgroup.killTree();
      const egressEvents = egress ? [...egress.events] : [];
      track(
        (async () => {
          await Promise.all([cgroup?.destroy(), egress?.close()]);
          bundle?.cleanup(launcher);
        })(),
      );
      const joinFailure = joining?.failure;
      let stoppedBy: StopReason = 'exit';
      if (joinFailure) stoppedBy = 'policy';
      else if (timedOut) stoppedBy = 'timeout';
      else if (stats.oomKilled) stoppedBy = 'memory';
      else if (code === WRAPPER_FAILED_EXIT || code === 128 + 31) stoppedBy = 'policy';
      else if (stats.pidsLimitHit && code !== 0) stoppedBy = 'pids';
      else if (signal || killed) stoppedBy = 'signal';
      resolveExit({
        exitCode: code,
        signal,
        wallMs,
        peakMemoryBytes: stats.peakMemoryBytes,
        stoppedBy,
        enforcement,
        egress: egressEvents,
        ...(joinFailure ? { detail: joinFailure } : {}),
      });
    };
    child.once('exit', (code, signal) => void finish(code, signal));
    child.once('error', () => void finish(null, null));
  });

  return {
    child,
    stdin: child.stdin,
    stdout: child.stdout,
    stderr: child.stderr,
    get pid() {
      return child.pid;
    },
    egress: egress?.events ?? [],
    kill: killTree,
    exited,
  };
}
