// Entry point of the sandbox command line (see command.ts): node exec.js OPTIONS-JSON -- COMMAND ARGS...
// Runs COMMAND with spawnSandboxed and the wrapper's own stdio, reports refused egress and the stop
// reason on stderr, and exits with the command's status (128+N for a signal, 2 when refused).

import type { SandboxCommandOptions } from './command.js';
import { pendingCleanups, type SandboxedProcess, SandboxUnavailableError, spawnSandboxed } from './spawn.js';

/** Variables a launcher sets for any process; the sandbox sets its own PATH, HOME and TMPDIR. */
const LAUNCHER_ENV = new Set(['PATH', 'HOME', 'SHELL', 'TERM', 'USER', 'LOGNAME', 'PWD', 'TMPDIR', 'LANG']);
const SIGNALS: Record<string, number> = {
  SIGHUP: 1,
  SIGINT: 2,
  SIGKILL: 9,
  SIGSEGV: 11,
  SIGTERM: 15,
  SIGSYS: 31,
};

function fail(message: string): never {
  process.stderr.write(`portcullis sandbox: ${message}\n`);
  process.exit(2);
}

const [json, separator, ...command] = process.argv.slice(2);
if (json === undefined || separator !== '--' || command.length === 0)
  fail('usage: exec.js OPTIONS-JSON -- COMMAND ARGS...');
let options: SandboxCommandOptions;
try {
  options = JSON.parse(json) as SandboxCommandOptions;
} catch {
  fail('options are not valid JSON');
}
const env = [...(options.env ?? [])];
if (options.passEnv === 'given')
  for (const name of Object.keys(process.env)) if (!LAUNCHER_ENV.has(name)) env.push(name);

let proc: SandboxedProcess;
try {
  proc = spawnSandboxed(command, {
    ...options,
    env,
    stdio: 'inherit',
    onEgress: (e) => {
      if (!e.allowed)
        process.stderr.write(`portcullis sandbox: egress refused: ${e.host}:${e.port} (${e.reason})\n`);
    },
  });
} catch (err) {
  if (err instanceof SandboxUnavailableError)
    fail(`refused: ${err.message}${err.remedy ? ` (to fix: ${err.remedy})` : ''}`);
  fail((err as Error).message);
}
const kill = () => proc.kill();
for (const s of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) process.on(s, kill);
const exit = await proc.exited;
if (exit.stoppedBy !== 'exit')
  process.stderr.write(
    `portcullis sandbox: stopped by ${exit.stoppedBy}${exit.detail ? ` (${exit.detail})` : ''}\n`,
  );
await pendingCleanups();
process.exit(exit.exitCode ?? (exit.signal ? 128 + (SIGNALS[exit.signal] ?? 1) : 1));
