// `portcullis run [options] -- COMMAND ARGS...` — wiring only; the sandbox is in src/sandbox.
import { type Command, Option } from '@commander-js/extra-typings';
import { PortcullisError } from '../../core/errors.js';
import {
  parseDuration,
  parseNet,
  parseSize,
  SandboxUnavailableError,
  spawnSandboxed,
} from '../../sandbox/index.js';
import type { SetExit } from './index.js';

const collect = (value: string, previous: string[]) => [...previous, value];

export function registerRun(program: Command, setExit: SetExit): void {
  program
    .command('run')
    .description(
      'Run a command in an ephemeral sandbox: empty root, no network, no host files beyond the runtime, bounded resources.',
    )
    .argument('<command...>', 'the command to run, after `--`')
    .addOption(
      new Option('--backend <name>', 'isolation backend').choices(['bwrap', 'gvisor']).default('bwrap'),
    )
    .option('--net <policy>', "'none' or HOST[:PORT],... (egress allowlist)", 'none')
    .option('--mem <size>', 'memory limit (RAM + swap), e.g. 256m', '512m')
    .option('--pids <n>', 'maximum processes and threads', '128')
    .option('--cpu <cores>', 'CPU limit in cores, e.g. 0.5', '1')
    .option('--timeout <duration>', 'wall-clock limit; the whole tree is killed', '30s')
    .option('--tmpfs <size>', 'size of the tmpfs at /tmp and the work directory', '64m')
    .option('--ro <path>', 'bind a host path read-only (repeatable)', collect, [] as string[])
    .option('--rw <path>', 'bind a host path read-write (repeatable)', collect, [] as string[])
    .option(
      '--env <name>',
      'pass NAME (from this environment) or NAME=VALUE (repeatable)',
      collect,
      [] as string[],
    )
    .option('--cwd <path>', 'working directory inside the sandbox', '/work')
    .addOption(
      new Option(
        '--limits <how>',
        "how limits are enforced: 'cgroup' (refuse if unavailable) or 'rlimit' (weaker)",
      )
        .choices(['cgroup', 'rlimit'])
        .default('cgroup'),
    )
    .option(
      '--report',
      'print a JSON line with wall time, peak memory, stop reason and egress decisions to stderr at exit',
    )
    .action(async (argv, opts) => {
      const pids = Number(opts.pids);
      const cpus = Number(opts.cpu);
      if (!Number.isSafeInteger(pids) || pids < 1)
        throw new PortcullisError('USAGE', '--pids expects a positive integer', { field: '--pids' });
      if (!Number.isFinite(cpus) || cpus <= 0)
        throw new PortcullisError('USAGE', '--cpu expects a positive number of cores', { field: '--cpu' });
      let proc: ReturnType<typeof spawnSandboxed>;
      try {
        proc = spawnSandboxed(argv, {
          backend: opts.backend as 'bwrap' | 'gvisor',
          net: parseNet(opts.net),
          memoryBytes: parseSize(opts.mem, '--mem'),
          pids,
          cpus,
          timeoutMs: parseDuration(opts.timeout, '--timeout'),
          tmpfsBytes: parseSize(opts.tmpfs, '--tmpfs'),
          ro: opts.ro,
          rw: opts.rw,
          env: opts.env,
          cwd: opts.cwd,
          limitsFallback: opts.limits === 'rlimit' ? 'rlimit' : 'refuse',
          stdio: 'pipe',
          // Refusals are news as they happen; the full list (allowed too) is in --report.
          onEgress: (e) => {
            if (!e.allowed)
              process.stderr.write(`portcullis run: egress refused: ${e.host}:${e.port} (${e.reason})\n`);
          },
        });
      } catch (err) {
        if (err instanceof SandboxUnavailableError) {
          process.stderr.write(
            `portcullis run: refused: ${err.message}${err.remedy ? `\n  to fix: ${err.remedy}` : ''}\n`,
          );
          setExit(2);
          return;
        }
        throw err;
      }
      if (proc.stdin) {
        proc.stdin.on('error', () => {});
        if (process.stdin.isTTY) proc.stdin.end();
        else process.stdin.pipe(proc.stdin);
      }
      proc.stdout?.pipe(process.stdout, { end: false });
      proc.stderr?.pipe(process.stderr, { end: false });
      const forward = () => proc.kill();
      process.once('SIGINT', forward);
      process.once('SIGTERM', forward);
      const exit = await proc.exited;
      process.off('SIGINT', forward);
      process.off('SIGTERM', forward);
      process.stdin.unpipe();
      process.stdin.pause();
      if (exit.stoppedBy !== 'exit') process.stderr.write(`portcullis run: stopped by ${exit.stoppedBy}\n`);
      if (opts.report) process.stderr.write(`${JSON.stringify({ portcullisRun: exit })}\n`);
      // The command's own status; 128+N for a signal, as shells report it.
      const code = exit.exitCode ?? (exit.signal ? 128 + signalNumber(exit.signal) : 1);
      setExit(code);
    });
}

function signalNumber(signal: NodeJS.Signals): number {
  return (
    ({ SIGKILL: 9, SIGTERM: 15, SIGINT: 2, SIGSEGV: 11, SIGSYS: 31 } as Record<string, number>)[signal] ?? 1
  );
}
