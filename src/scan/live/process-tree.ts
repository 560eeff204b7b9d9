// Starting an MCP server runs untrusted code, and that code may start more processes. The server
// runs as the leader of its own process group; stopping it signals the whole group, plus every
// descendant still linked by parent pid (which catches children that left the group with setsid),
// first SIGTERM, then SIGKILL after a grace period. What double-forks away from both is out of
// reach until the sandbox exists (a pid namespace or cgroup ends everything).

import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

export interface SpawnedServer {
  child: ChildProcess;
  pid: number;
}

export interface SpawnGroupOptions {
  env: Record<string, string>;
  cwd?: string;
}

/** Spawns argv as a new process group leader (POSIX) with piped stdio, no shell. */
export function spawnInGroup(argv: readonly string[], options: SpawnGroupOptions): Promise<SpawnedServer> {
  const [command, ...args] = argv;
  if (!command) return Promise.reject(new Error('empty command line'));
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      env: options.env,
      ...(options.cwd ? { cwd: options.cwd } : {}),
      stdio: ['pipe', 'pipe', 'pipe'],
      detached: process.platform !== 'win32',
      shell: false,
      windowsHide: true,
    });
    child.once('error', reject);
    child.once('spawn', () => {
      child.off('error', reject);
      resolve({ child, pid: child.pid! });
    });
  });
}

interface ProcessRow {
  pid: number;
  ppid: number;
  pgrp: number;
  /** Exited but not yet reaped: it runs nothing and cannot be killed again. */
  zombie: boolean;
}

/** Every process: from /proc on Linux, from `ps` elsewhere on POSIX. */
function processTable(): ProcessRow[] {
  const rows: ProcessRow[] = [];
  if (process.platform === 'linux') {
    let entries: string[] = [];
    try {
      entries = readdirSync('/proc');
    } catch {
      return rows;
    }
    for (const name of entries) {
      if (!/^\d+$/.test(name)) continue;
      try {
        const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
        // pid (comm) state ppid pgrp …; comm may hold spaces and parentheses: read after the last ')'.
        const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        rows.push({
          pid: Number(name),
          ppid: Number(f[1]),
          pgrp: Number(f[2]),
          zombie: f[0] === 'Z' || f[0] === 'X',
        });
      } catch {
        // The process ended while we looked.
      }
    }
    return rows;
  }
  const ps = spawnSync('ps', ['-A', '-o', 'pid=,ppid=,pgid=,stat='], { encoding: 'utf8', timeout: 5000 });
  for (const line of (ps.stdout ?? '').split('\n')) {
    const [pid, ppid, pgrp, stat] = line.trim().split(/\s+/);
    if (pid && ppid && pgrp)
      rows.push({
        pid: Number(pid),
        ppid: Number(ppid),
        pgrp: Number(pgrp),
        zombie: (stat ?? '').startsWith('Z'),
      });
  }
  return rows;
}

/** Live pids whose parent chain leads to `root`. */
export function descendantsOf(root: number, table: readonly ProcessRow[] = processTable()): number[] {
  const children = new Map<number, ProcessRow[]>();
  for (const row of table) children.set(row.ppid, [...(children.get(row.ppid) ?? []), row]);
  const out: number[] = [];
  const queue = [root];
  while (queue.length && out.length < 10_000) {
    for (const c of children.get(queue.shift()!) ?? []) {
      if (!c.zombie) out.push(c.pid);
      queue.push(c.pid);
    }
  }
  return out;
}

/** Live (not zombie) members of process group `pgid` plus those of `pids` still running. */
function survivors(pgid: number, pids: ReadonlySet<number>): number[] {
  const table = processTable();
  return table.filter((r) => !r.zombie && (r.pgrp === pgid || pids.has(r.pid))).map((r) => r.pid);
}

function signalAll(pgid: number, pids: Iterable<number>, signal: NodeJS.Signals): void {
  try {
    process.kill(-pgid, signal);
  } catch {
    // The group is empty already.
  }
  for (const pid of pids) {
    try {
      process.kill(pid, signal);
    } catch {
      // Gone.
    }
  }
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * Ends the process group led by `pid` and every known descendant: SIGTERM, wait up to `graceMs`,
 * then SIGKILL, and wait (bounded) until they are gone. Resolves true when nothing is left.
 */
export async function killTree(pid: number, graceMs = 2000): Promise<boolean> {
  if (process.platform === 'win32') {
    spawnSync('taskkill', ['/pid', String(pid), '/T', '/F'], { timeout: 10_000, windowsHide: true });
    return true;
  }
  // Descendants are collected before signalling: once the leader dies they are re-parented.
  const known = new Set(descendantsOf(pid));
  signalAll(pid, known, 'SIGTERM');
  const deadline = Date.now() + graceMs;
  for (;;) {
    for (const d of descendantsOf(pid)) known.add(d);
    if (survivors(pid, known).length === 0) return true;
    if (Date.now() >= deadline) break;
    await sleep(25);
  }
  signalAll(pid, known, 'SIGKILL');
  const hardDeadline = Date.now() + 2000;
  for (;;) {
    const left = survivors(pid, known);
    if (left.length === 0) return true;
    if (Date.now() >= hardDeadline) return false;
    signalAll(pid, left, 'SIGKILL');
    await sleep(25);
  }
}
