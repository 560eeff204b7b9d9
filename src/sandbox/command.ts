// The sandbox as a command line, for code that starts servers by argv (the MCP proxy's upstream,
// live inspection): `[node, exec.js, OPTIONS-JSON, '--', ...argv]`. exec.js runs the command with
// spawnSandboxed, its stdio passed straight through (no copying), forwards SIGTERM/SIGINT/SIGHUP
// as a kill of the whole sandboxed tree, and exits with the command's status. Those callers signal
// the wrapper's process group; the sandbox dies with the wrapper either way (--die-with-parent,
// and the cgroup kill when the wrapper can still run its cleanup).

import { existsSync, realpathSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PortcullisError } from '../core/errors.js';
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
  const entry = sandboxExecEntry();
  if (!existsSync(entry))
    throw new PortcullisError('INTERNAL', `the sandbox wrapper ${entry} is missing; run npm run build`);
  return [process.execPath, entry, JSON.stringify(options), '--', ...argv];
}

const PROJECT_MARKERS = ['package.json', 'pyproject.toml', 'setup.py', 'go.mod', 'Cargo.toml'];
/** Never inferred from arguments: system configuration and state, kernel interfaces. */
const SYSTEM_DIRS = ['/etc', '/proc', '/sys', '/dev', '/boot', '/var', '/run', '/tmp/.X11-unix'];

const under = (p: string, root: string) => p === root || p.startsWith(`${root}/`);

/**
 * Read-only binds a server's own files need, inferred from its arguments (`node /srv/x/dist/index.js`,
 * `python /srv/y/server.py --config /etc/y.toml`): for each argument that names an existing file,
 * the nearest enclosing project directory (one with package.json, pyproject.toml, ...) so its
 * dependencies come along, else the file alone; an existing directory argument is bound as is.
 * Never `/`, the home directory itself, its hidden entries (~/.ssh, ~/.aws, ...) or system
 * directories (/etc, /proc, ...): a path there stays invisible even when an argument names it.
 * For live inspection, where nobody lists binds by hand.
 */
export function argumentBinds(argv: readonly string[], cwd = process.cwd(), home = homedir()): string[] {
  const binds = new Set<string>();
  const forbidden = new Set(['/', home]);
  for (const arg of argv.slice(1)) {
    if (arg === '' || arg.startsWith('-') || arg.includes('\0')) continue;
    const abs = isAbsolute(arg) ? arg : resolve(cwd, arg);
    let real: string;
    let isDir: boolean;
    try {
      real = realpathSync(abs);
      isDir = statSync(real).isDirectory();
    } catch {
      continue;
    }
    if (SYSTEM_DIRS.some((d) => under(real, d)) || real.startsWith(`${home}/.`)) continue;
    if (isDir) {
      if (!forbidden.has(real)) binds.add(real);
      continue;
    }
    let project: string | undefined;
    for (let d = dirname(real); !forbidden.has(d); d = dirname(d)) {
      if (PROJECT_MARKERS.some((m) => existsSync(join(d, m)))) {
        project = d;
        break;
      }
      if (dirname(d) === d) break;
    }
    binds.add(project ?? real);
  }
  return [...binds];
}
