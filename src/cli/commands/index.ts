// Every command, and how to load it. Modules load lazily: `portcullis proxy` must not pay for
// loading the scanner (startup matters for a proxy a client starts per server).
import type { Command } from '@commander-js/extra-typings';

/** `setExit` raises the process exit code (the highest wins). */
export type SetExit = (code: number) => void;
type Register = (program: Command, setExit: SetExit) => void;

/** Command name → loader of its register function, in the order `--help` lists them. */
export const COMMANDS: ReadonlyArray<readonly [string, () => Promise<Register>]> = [
  ['scan', async () => (await import('./scan.js')).registerScan],
  ['demo', async () => (await import('./demo.js')).registerDemo],
  ['detect', async () => (await import('./detect.js')).registerDetect],
  ['pin', async () => (await import('./pin.js')).registerPin],
  ['verify', async () => (await import('./verify.js')).registerVerify],
  ['keygen', async () => (await import('./keygen.js')).registerKeygen],
  ['sign', async () => (await import('./sign.js')).registerSign],
  ['policy', async () => (await import('./policy.js')).registerPolicy],
  ['proxy', async () => (await import('./proxy.js')).registerProxy],
  ['wrap', async () => (await import('./wrap.js')).registerWrap],
  ['audit', async () => (await import('./audit.js')).registerAudit],
  ['run', async () => (await import('./run.js')).registerRun],
  ['doctor', async () => (await import('./doctor.js')).registerDoctor],
  ['redteam', async () => (await import('./redteam.js')).registerRedteam],
];

/**
 * Registers the command named on the command line, or every command when none is named (help,
 * version, a typo: commander then lists them all).
 */
export async function registerCommands(
  program: Command,
  setExit: SetExit,
  argv: readonly string[],
): Promise<void> {
  const first = argv.slice(2).find((a) => !a.startsWith('-'));
  const named = COMMANDS.filter(([name]) => name === first);
  for (const [, load] of named.length ? named : COMMANDS) (await load())(program, setExit);
}
