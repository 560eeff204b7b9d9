// The sandbox's vocabulary: what a caller asks for, what a backend is given, what comes back.

export type BackendName = 'bwrap' | 'gvisor';

/** Network policy: none, or egress only to these host[:port] entries through the host-side proxy. */
export type NetPolicy =
  | { mode: 'none' }
  | { mode: 'allowlist'; allow: readonly { host: string; port?: number }[] };

export interface SandboxOptions {
  backend?: BackendName;
  net?: NetPolicy;
  /** Memory limit in bytes (RAM + swap). Default 512 MiB. */
  memoryBytes?: number;
  /** Maximum number of processes/threads. Default 128. */
  pids?: number;
  /** CPU limit in cores (0.5 = half a core). Default 1. */
  cpus?: number;
  /** Wall-clock limit in milliseconds. Default 30 000. */
  timeoutMs?: number;
  /** Host paths bound read-only at the same path inside. */
  ro?: readonly string[];
  /** Host paths bound read-write at the same path inside. */
  rw?: readonly string[];
  /** Environment passed in: names (value taken from `envSource`) or NAME=VALUE entries. */
  env?: readonly string[];
  /** Where named variables are looked up. Default process.env. */
  envSource?: Readonly<Record<string, string | undefined>>;
  /** Working directory inside the sandbox (a tmpfs at /work unless it is a --rw/--ro path). */
  cwd?: string;
  /** Size of the tmpfs mounted at /tmp and the work directory, in bytes. Default 64 MiB. */
  tmpfsBytes?: number;
  /**
   * When no writable cgroup is available: 'refuse' (default) fails the run; 'rlimit' enforces the
   * limits with setrlimit instead and reports the weaker guarantee in the result.
   */
  limitsFallback?: 'refuse' | 'rlimit';
  /** Cap on captured stdout and stderr, each, in bytes (run() only). Default 1 MiB. */
  outputCapBytes?: number;
  /** Data written to the command's standard input (run() only). */
  stdin?: string | Buffer;
}

/** The resolved options every backend receives. */
export interface ResolvedOptions {
  backend: BackendName;
  net: NetPolicy;
  memoryBytes: number;
  pids: number;
  cpus: number;
  timeoutMs: number;
  ro: string[];
  rw: string[];
  env: Record<string, string>;
  cwd: string;
  tmpfsBytes: number;
  limitsFallback: 'refuse' | 'rlimit';
  outputCapBytes: number;
}

/** One entry of the filesystem the sandbox sees, in mount order. Backends translate it. */
export type MountEntry =
  | { kind: 'ro-bind'; source: string; dest: string }
  | { kind: 'rw-bind'; source: string; dest: string }
  | { kind: 'symlink'; target: string; dest: string }
  | { kind: 'tmpfs'; dest: string; sizeBytes: number }
  | { kind: 'dir'; dest: string }
  | { kind: 'proc'; dest: string }
  | { kind: 'dev'; dest: string };

export interface MountPlan {
  entries: MountEntry[];
  /** The command as it will be exec'd inside (argv[0] resolved to an absolute path). */
  argv: string[];
  cwd: string;
  env: Record<string, string>;
}

export type StopReason = 'exit' | 'timeout' | 'memory' | 'pids' | 'policy' | 'signal';

/** How each limit was actually enforced on this run. */
export interface Enforcement {
  limits: 'cgroup-v1' | 'cgroup-v2' | 'rlimit';
  /** True when the whole process tree is killed through the cgroup, not only by signals. */
  treeKill: boolean;
  backend: BackendName;
  /** Our seccomp filter on the command (bwrap). Under gVisor the sentry has gVisor's own filter instead. */
  seccomp: boolean;
  network: 'none' | 'proxy';
}

/** One egress decision of the host-side proxy (`--net HOST,...`). */
export interface EgressEvent {
  time: string;
  /** CONNECT, or the HTTP method of a plain request; '-' when the request could not be parsed. */
  method: string;
  host: string;
  port: number;
  allowed: boolean;
  reason: string;
  /** The address dialled (or refused) after host-side resolution. */
  address?: string;
  /** Set when an allowed connection then failed to connect. */
  error?: string;
}

export interface RunResult {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  stdoutTruncated: boolean;
  stderrTruncated: boolean;
  wallMs: number;
  /** Peak memory of the whole tree in bytes, when the limits were enforced by a cgroup. */
  peakMemoryBytes: number | null;
  stoppedBy: StopReason;
  enforcement: Enforcement;
  /** Every connection the sandbox asked the egress proxy for, allowed or refused (empty with --net none). */
  egress: EgressEvent[];
  /** Why the run was stopped by policy before the command ran (for example a refused cgroup join). */
  detail?: string;
}
