// Starting bwrap so that the command is inside its cgroups before it can run or fork, without a
// shell in between.
//
// bwrap is spawned as `bwrap --args 4 -- COMMAND...`: it reads all its options from fd 4 before doing
// anything else (no namespace, no clone, nothing run). While it waits we move its pid into every
// cgroup of the run, synchronously, right after the spawn; only then do we write the arguments. So
// the sandbox's processes are born inside the limits, and its cgroup namespace is rooted at the
// run's own cgroup (the host's hierarchy stays invisible). If the kernel refuses a move, bwrap is
// killed before it has read a single argument, so nothing runs outside its limits.

import { type ChildProcess, type StdioOptions, spawn } from 'node:child_process';
import type { Writable } from 'node:stream';
import type { TransientCgroup } from './cgroup.js';

/** bwrap reads its NUL-separated arguments from this fd (stdio index 4 of the spawn). */
export const ARGS_FD = 4;

export interface JoinedLaunch {
  child: ChildProcess;
  /** Why joining failed, when it did (the child is then already killed). */
  failure: string | undefined;
}

/**
 * Spawns bwrap in its own process group with fds 3 (seccomp, written by the caller) and 4 (its
 * arguments), joins it to the cgroup `cgroup()` returns (it may create it now, while bwrap starts),
 * and hands it `args`. `kill` must kill the tree synchronously.
 */
export function launchJoined(
  launcher: string,
  args: readonly string[],
  stdio: 'pipe' | 'inherit',
  cgroup: () => TransientCgroup,
  kill: () => void,
): JoinedLaunch {
  // bwrap takes only options from the fd; the command stays on its command line after `--`.
  const split = args.indexOf('--');
  if (split < 0) throw new Error('bwrap arguments without a command');
  const options = args.slice(0, split);
  const child = spawn(launcher, ['--args', String(ARGS_FD), ...args.slice(split)], {
    stdio: [stdio, stdio, stdio, 'pipe', 'pipe'] as StdioOptions,
    env: {},
    detached: true,
  });
  const argsPipe = (child.stdio as unknown as (Writable | null | undefined)[])[ARGS_FD] ?? null;
  argsPipe?.on('error', () => {});
  let failure: string | undefined;
  try {
    if (child.pid === undefined) throw new Error('bwrap did not start');
    if (!argsPipe) throw new Error('no argument pipe to bwrap');
    cgroup().join([child.pid]);
  } catch (err) {
    failure = (err as Error).message;
    kill();
    argsPipe?.destroy();
    return { child, failure };
  }
  // One write: bwrap parses nothing until it has read to end-of-file.
  argsPipe.end(Buffer.from(options.map((a) => `${a}\0`).join(''), 'utf8'));
  return { child, failure };
}
