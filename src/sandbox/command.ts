// The sandbox as a command line, for code that starts servers by argv (the MCP proxy's upstream,
// live inspection): `[node, exec.js, OPTIONS-JSON, '--', ...argv]`. exec.js runs the command with
// spawnSandboxed, its stdio passed straight through (no copying), forwards SIGTERM/SIGINT/SIGHUP
// as a kill of the whole sandboxed tree, and exits with the command's status. Those callers signal
// the wrapper's process group; the sandbox dies with the wrapper either way (--die-with-parent,
// and the cgroup kill when the wrapper can still run its cleanup).

import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { checkSandbox } from './spawn.js';
import type { BackendName, NetPolicy } from './types.js';

/** The options that travel to the wrapper (JSON; no callbacks, no environment values). */
export interface SandboxCommandOptions {
  backend?: BackendName;
  net?: NetPolicy;
  memoryBytes?: number;
  pids?: number;
  cpus?: number;
  timeoutMs?: number;
  ro?: string[];
  rw?: string[];
  /** Variable names the wrapper passes in from the environment it was given (never values here). */
  env?: string[];
  /**
   * Also pass every variable the wrapper was given except the usual launcher ones (PATH, HOME, SHELL,
   * TERM, ...), which the sandbox sets itself. For callers that already reduced the environment to
   * what the server was configured with (live inspection).
   */
  passEnv?: 'declared' | 'given';
}

/** Long-lived servers: no wall-clock limit short of setTimeout's maximum (~24.8 days). */
export const SERVER_TIMEOUT_MS = 2_147_483_647;

/** dist/sandbox/exec.js: beside this module when built, else the checkout's dist (tests run src/). */
export function sandboxExecEntry(): string {
  const sibling = fileURLToPath(new URL('./exec.js', import.meta.url));
  if (existsSync(sibling)) return sibling;
  return fileURLToPath(new URL('../../dist/sandbox/exec.js', import.meta.url));
}

/**
 * The command line that runs `argv` in the sandbox. Checks first that the sandbox can start here
 * (throws SandboxUnavailableError / PortcullisError), so a refusal is reported by the caller, not
 * as a server that died on start.
 */
export function sandboxCommandLine(argv: readonly string[], options: SandboxCommandOptions = {}): string[] {
  checkSandbox(argv, { ...options, env: [] });
  return [process.execPath, sandboxExecEntry(), JSON.stringify(options), '--', ...argv];
}
