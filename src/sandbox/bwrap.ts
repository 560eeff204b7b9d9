// The bubblewrap backend: a mount plan plus the isolation flags, as a bwrap argument vector.

import { accessSync, constants } from 'node:fs';
import { delimiter, isAbsolute, join } from 'node:path';
import { SANDBOX_GID, SANDBOX_UID } from './mounts.js';
import type { MountPlan } from './types.js';

/** The fd number bwrap reads the seccomp program from (stdio index 3 of the spawned wrapper). */
export const SECCOMP_FD = 3;

const found = new Map<string, string>();

/** Finds an executable on PATH (plus the sbin directories root has), or undefined. */
export function findExecutable(name: string, pathVar = process.env.PATH ?? ''): string | undefined {
  // Remembered per name and PATH, and re-checked: a launcher removed since is looked up again.
  const key = `${name}\0${pathVar}`;
  const known = found.get(key);
  if (known !== undefined) {
    try {
      accessSync(known, constants.X_OK);
      return known;
    } catch {
      found.delete(key);
    }
  }
  const dirs = [
    ...pathVar.split(delimiter),
    '/usr/local/sbin',
    '/usr/local/bin',
    '/usr/sbin',
    '/usr/bin',
    '/sbin',
    '/bin',
  ];
  for (const d of dirs) {
    if (!isAbsolute(d)) continue;
    const p = join(d, name);
    try {
      accessSync(p, constants.X_OK);
      found.set(key, p);
      return p;
    } catch {
      // keep looking
    }
  }
  return undefined;
}

export interface BwrapArgsOptions {
  /** Pass the seccomp program on SECCOMP_FD. */
  seccomp: boolean;
}

/** The flags every run gets; tests check each is present. */
export const ISOLATION_FLAGS = [
  '--unshare-all',
  '--unshare-user',
  '--die-with-parent',
  '--new-session',
  '--clearenv',
  '--cap-drop',
  'ALL',
  '--uid',
  String(SANDBOX_UID),
  '--gid',
  String(SANDBOX_GID),
  '--hostname',
  'sandbox',
] as const;

export function bwrapArgs(plan: MountPlan, o: BwrapArgsOptions): string[] {
  const { inline, filesystem } = bwrapArgsSplit(plan, o);
  const end = inline.indexOf('--');
  return [...inline.slice(0, end), ...filesystem, ...inline.slice(end)];
}

/**
 * The same arguments in two parts, for a bwrap that reads part of its options from a fd (join.ts):
 * `inline` holds every isolation flag, the seccomp fd and the command, `filesystem` the mounts,
 * working directory and environment. bwrap given `inline` alone still isolates the command and
 * finds nothing to run in its empty root, so a missing or cut-off `filesystem` part fails closed.
 */
export function bwrapArgsSplit(
  plan: MountPlan,
  o: BwrapArgsOptions,
): { inline: string[]; filesystem: string[] } {
  const inline: string[] = [...ISOLATION_FLAGS];
  if (o.seccomp) inline.push('--seccomp', String(SECCOMP_FD));
  inline.push('--', ...plan.argv);
  const a: string[] = [];
  for (const e of plan.entries) {
    switch (e.kind) {
      case 'ro-bind':
        a.push('--ro-bind', e.source, e.dest);
        break;
      case 'rw-bind':
        a.push('--bind', e.source, e.dest);
        break;
      case 'symlink':
        a.push('--symlink', e.target, e.dest);
        break;
      case 'tmpfs':
        a.push('--size', String(e.sizeBytes), '--tmpfs', e.dest);
        break;
      case 'dir':
        a.push('--dir', e.dest);
        break;
      case 'proc':
        a.push('--proc', e.dest);
        break;
      case 'dev':
        a.push('--dev', e.dest);
        break;
    }
  }
  // The root is bwrap's own tmpfs (holding the mount points); freeze it so only /tmp, the work
  // directory and --rw binds are writable.
  a.push('--remount-ro', '/');
  a.push('--chdir', plan.cwd);
  for (const [k, v] of Object.entries(plan.env)) a.push('--setenv', k, v);
  return { inline, filesystem: a };
}
