// Starting bwrap so that the command is inside its cgroups before it can run or fork, without a
// shell in between.
//
// bwrap is spawned as `bwrap ISOLATION-FLAGS --args 4 -- COMMAND...`: it reads the rest of its
// options (the filesystem: mounts, working directory, environment) from fd 4 before doing anything
// else (no namespace, no clone, nothing run). While it waits we move its pid into every cgroup of
// the run, synchronously, right after the spawn; only then do we write those options, in one write.
// So the sandbox's processes are born inside the limits, and its cgroup namespace is rooted at the
// run's own cgroup (the host's hierarchy stays invisible). If the kernel refuses a move, bwrap is
// killed before it has read a single option. If Portcullis dies before writing them, bwrap reads
// end-of-file and starts with the isolation flags only: an empty root, where the command does not
// exist, so nothing runs (a test checks exactly that).

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
  args: { inline: readonly string[]; filesystem: readonly string[] },
  stdio: 'pipe' | 'inherit',
  cgroup: () => TransientCgroup,
  kill: () => void,
): JoinedLaunch {
  // bwrap takes only options from the fd; the command stays on its command line after `--`.
  const end = args.inline.indexOf('--');
  if (end < 0) throw new Error('bwrap arguments without a command');
  const inline = [...args.inline.slice(0, end), '--args', String(ARGS_FD), ...args.inline.slice(end)];
  const child = spawn(launcher, inline, {
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
  argsPipe.end(Buffer.from(args.filesystem.map((a) => `${a}\0`).join(''), 'utf8'));
  return { child, failure };
}
