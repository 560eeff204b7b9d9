// Transient cgroups for one sandboxed run: detection of v1 / v2 / hybrid layouts, limits, peak
// memory, OOM and pids-limit events, killing the whole tree, cleanup and a sweep of leftovers.
//
// Each controller is used where it is mounted: a v1 hierarchy if the controller has one (hybrid
// machines keep memory/pids/cpu there), else the unified v2 hierarchy. The child cgroup is created
// under the cgroup this process already belongs to, so the caller's own limits still bound it.
// On hybrid machines a v2 child is created as well, only for cgroup.kill (kills the tree atomically).

import { existsSync, mkdirSync, readdirSync, readFileSync, rmdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export type CgroupMode = 'v1' | 'v2' | 'hybrid' | 'none';
export type LimitController = 'memory' | 'pids' | 'cpu';
const LIMIT_CONTROLLERS: readonly LimitController[] = ['memory', 'pids', 'cpu'];

export interface CgroupLayout {
  mode: CgroupMode;
  /** v1 controller → mount point. */
  v1: Map<string, string>;
  /** The unified (v2) mount point, if any. */
  unified: string | undefined;
  /** v1 controller → this process's cgroup path; '' key holds the v2 path. */
  selfPaths: Map<string, string>;
}

const NAME_PREFIX = 'portcullis-';

function readText(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

/** Reads /proc/self/mounts and /proc/self/cgroup. Never throws: an unreadable system is mode 'none'. */
export function detectCgroupLayout(): CgroupLayout {
  const v1 = new Map<string, string>();
  let unified: string | undefined;
  for (const line of (readText('/proc/self/mounts') ?? '').split('\n')) {
    const [, mountPoint, type, opts] = line.split(' ');
    if (!mountPoint || !opts) continue;
    const mp = mountPoint.replace(/\\(\d{3})/g, (_, o: string) => String.fromCharCode(Number.parseInt(o, 8)));
    if (type === 'cgroup2') unified ??= mp;
    else if (type === 'cgroup') {
      for (const o of opts.split(','))
        if (LIMIT_CONTROLLERS.includes(o as LimitController) || o === 'freezer') v1.set(o, mp);
    }
  }
  const selfPaths = new Map<string, string>();
  for (const line of (readText('/proc/self/cgroup') ?? '').split('\n')) {
    const first = line.indexOf(':');
    const second = line.indexOf(':', first + 1);
    if (first < 0 || second < 0) continue;
    const controllers = line.slice(first + 1, second);
    const path = line.slice(second + 1);
    if (line.slice(0, first) === '0' && controllers === '') selfPaths.set('', path);
    else for (const c of controllers.split(',')) selfPaths.set(c, path);
  }
  const mode: CgroupMode = v1.size > 0 ? (unified ? 'hybrid' : 'v1') : unified ? 'v2' : 'none';
  return { mode, v1, unified, selfPaths };
}

/** Where each limit controller lives and the directory a child would be created in. */
interface Placement {
  controller: LimitController | 'freezer' | 'unified';
  version: 1 | 2;
  parent: string;
}

function placements(layout: CgroupLayout): { places: Placement[]; missing: LimitController[] } {
  const places: Placement[] = [];
  const missing: LimitController[] = [];
  const v2Parent = layout.unified ? join(layout.unified, layout.selfPaths.get('') ?? '/') : undefined;
  const v2Controllers = v2Parent
    ? (readText(join(v2Parent, 'cgroup.controllers')) ?? '').trim().split(/\s+/)
    : [];
  for (const c of LIMIT_CONTROLLERS) {
    const mp = layout.v1.get(c);
    if (mp) places.push({ controller: c, version: 1, parent: join(mp, layout.selfPaths.get(c) ?? '/') });
    else if (!(v2Parent && v2Controllers.includes(c))) missing.push(c);
  }
  const freezer = layout.v1.get('freezer');
  if (v2Parent) places.push({ controller: 'unified', version: 2, parent: v2Parent });
  else if (freezer)
    places.push({
      controller: 'freezer',
      version: 1,
      parent: join(freezer, layout.selfPaths.get('freezer') ?? '/'),
    });
  return { places, missing };
}

export interface CgroupLimits {
  memoryBytes: number;
  pids: number;
  cpus: number;
}

export interface CgroupStats {
  peakMemoryBytes: number | null;
  oomKilled: boolean;
  pidsLimitHit: boolean;
}

/** One run's cgroups, one directory per hierarchy used. */
export class TransientCgroup {
  private constructor(
    private readonly dirs: Placement[],
    readonly name: string,
  ) {}

  /** v1 when any limit is written in a v1 hierarchy (hybrid machines), else v2. */
  get mode(): 'cgroup-v1' | 'cgroup-v2' {
    return this.dirs.some((d) => d.version === 1 && d.controller !== 'freezer') ? 'cgroup-v1' : 'cgroup-v2';
  }

  /**
   * Creates the cgroups and writes the limits. Throws an Error naming the file on failure, after
   * removing whatever it had created.
   */
  static create(layout: CgroupLayout, limits: CgroupLimits): TransientCgroup {
    const { places, missing } = placements(layout);
    if (missing.length > 0) throw new Error(`cgroup controllers not available: ${missing.join(', ')}`);
    const name = `${NAME_PREFIX}${process.pid}-${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`;
    const created: Placement[] = [];
    const cg = new TransientCgroup(created, name);
    try {
      for (const p of places) {
        const dir = join(p.parent, name);
        mkdirSync(dir);
        created.push({ ...p, parent: p.parent });
        cg.writeLimits(p, dir, limits);
      }
    } catch (err) {
      cg.removeDirs();
      throw err;
    }
    return cg;
  }

  private writeLimits(p: Placement, dir: string, limits: CgroupLimits): void {
    const w = (file: string, value: string) => writeFileSync(join(dir, file), value);
    const period = 100_000;
    const quota = Math.max(1000, Math.round(limits.cpus * period));
    if (p.version === 1) {
      if (p.controller === 'memory') {
        w('memory.limit_in_bytes', String(limits.memoryBytes));
        // Without this the tree could swap past the limit; absent when swap accounting is off.
        if (existsSync(join(dir, 'memory.memsw.limit_in_bytes')))
          w('memory.memsw.limit_in_bytes', String(limits.memoryBytes));
      } else if (p.controller === 'pids') w('pids.max', String(limits.pids));
      else if (p.controller === 'cpu') {
        w('cpu.cfs_period_us', String(period));
        w('cpu.cfs_quota_us', String(quota));
      }
      return;
    }
    // v2: enable what the unified hierarchy offers; limits for controllers that are in v1 stay there.
    const offered = (readText(join(p.parent, 'cgroup.controllers')) ?? '').trim().split(/\s+/);
    const wanted = LIMIT_CONTROLLERS.filter(
      (c) => offered.includes(c) && !this.dirs.some((d) => d.controller === c),
    );
    if (wanted.length === 0) return;
    writeFileSync(join(p.parent, 'cgroup.subtree_control'), wanted.map((c) => `+${c}`).join(' '));
    if (wanted.includes('memory')) {
      w('memory.max', String(limits.memoryBytes));
      if (existsSync(join(dir, 'memory.swap.max'))) w('memory.swap.max', '0');
    }
    if (wanted.includes('pids')) w('pids.max', String(limits.pids));
    if (wanted.includes('cpu')) w('cpu.max', `${quota} ${period}`);
  }

  /** The cgroup.procs files a new process must join, in order, before it execs anything. */
  procsFiles(): string[] {
    return this.dirs.map((d) => join(d.parent, this.name, 'cgroup.procs'));
  }

  /**
   * Moves processes into every cgroup of the run (each hierarchy has its own cgroup.procs). Throws
   * an Error naming the file the kernel refused; the caller must then kill the processes.
   */
  join(pids: readonly number[]): void {
    for (const file of this.procsFiles())
      for (const pid of pids) {
        try {
          writeFileSync(file, String(pid));
        } catch (err) {
          throw new Error(`cannot join cgroup ${file}: ${(err as NodeJS.ErrnoException).code ?? err}`);
        }
      }
  }

  private dirOf(controller: Placement['controller']): string | undefined {
    const d = this.dirs.find((x) => x.controller === controller);
    return d ? join(d.parent, this.name) : undefined;
  }

  private memoryDir(): { dir: string; v2: boolean } | undefined {
    const v1 = this.dirOf('memory');
    if (v1) return { dir: v1, v2: false };
    const u = this.dirOf('unified');
    return u && existsSync(join(u, 'memory.max')) ? { dir: u, v2: true } : undefined;
  }

  stats(): CgroupStats {
    const mem = this.memoryDir();
    let peak: number | null = null;
    let oom = false;
    if (mem) {
      const peakText = readText(join(mem.dir, mem.v2 ? 'memory.peak' : 'memory.max_usage_in_bytes'));
      if (peakText) peak = Number.parseInt(peakText, 10);
      const events = readText(join(mem.dir, mem.v2 ? 'memory.events' : 'memory.oom_control')) ?? '';
      oom = /^oom_kill [1-9]\d*$/m.test(events);
    }
    const pidsDir = this.dirOf('pids') ?? this.dirOf('unified');
    const pidsEvents = pidsDir ? (readText(join(pidsDir, 'pids.events')) ?? '') : '';
    return { peakMemoryBytes: peak, oomKilled: oom, pidsLimitHit: /^max ([1-9]\d*)$/m.test(pidsEvents) };
  }

  /** Pids of every process still in the run's cgroups. */
  pids(): number[] {
    const out = new Set<number>();
    for (const f of this.procsFiles()) {
      for (const l of (readText(f) ?? '').split('\n')) if (l.trim()) out.add(Number(l));
    }
    return [...out];
  }

  /** True when killTree() is atomic (cgroup.kill, or freezing before the kill). */
  canKillTree(): boolean {
    const u = this.dirOf('unified');
    return (u !== undefined && existsSync(join(u, 'cgroup.kill'))) || this.dirOf('freezer') !== undefined;
  }

  /** Kills every process in the run: cgroup.kill on v2; on v1 freeze, SIGKILL each, thaw. */
  killTree(): void {
    const u = this.dirOf('unified');
    if (u && existsSync(join(u, 'cgroup.kill'))) {
      try {
        writeFileSync(join(u, 'cgroup.kill'), '1');
        return;
      } catch {
        // fall through to signals
      }
    }
    const fz = this.dirOf('freezer');
    if (fz) {
      try {
        writeFileSync(join(fz, 'freezer.state'), 'FROZEN');
      } catch {
        // still signal below
      }
    }
    for (const pid of this.pids()) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    if (fz) {
      try {
        writeFileSync(join(fz, 'freezer.state'), 'THAWED');
      } catch {
        // removal below retries
      }
    }
  }

  private removeDirs(): boolean {
    let ok = true;
    for (const d of this.dirs) {
      try {
        rmdirSync(join(d.parent, this.name));
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ENOENT') ok = false;
      }
    }
    return ok;
  }

  /** Kills leftovers and removes the directories; retries briefly while the kernel reaps. */
  async destroy(): Promise<void> {
    // The kernel may still be reaping the last tasks: retry with a growing pause (≈1 s in all).
    for (let attempt = 0, wait = 1; attempt < 40; attempt++, wait = Math.min(wait * 2, 50)) {
      if (this.pids().length > 0) this.killTree();
      if (this.removeDirs()) return;
      await new Promise((r) => setTimeout(r, wait));
    }
  }
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Removes cgroups left by runs whose owning process died (a crash between create and destroy).
 * Names carry the owner's pid; a live owner's cgroups are left alone. Returns how many it removed.
 */
export function sweepStaleCgroups(layout: CgroupLayout): number {
  let removed = 0;
  let parents: Placement[];
  try {
    parents = placements(layout).places;
  } catch {
    return 0;
  }
  for (const p of parents) {
    let names: string[];
    try {
      names = readdirSync(p.parent).filter((n) => n.startsWith(NAME_PREFIX));
    } catch {
      continue;
    }
    for (const n of names) {
      const owner = Number(/^portcullis-(\d+)-/.exec(n)?.[1]);
      if (!Number.isInteger(owner) || pidAlive(owner)) continue;
      const dir = join(p.parent, n);
      const procs = (readText(join(dir, 'cgroup.procs')) ?? '').split('\n').filter((l) => l.trim());
      if (existsSync(join(dir, 'cgroup.kill'))) {
        try {
          writeFileSync(join(dir, 'cgroup.kill'), '1');
        } catch {}
      } else
        for (const pid of procs) {
          try {
            process.kill(Number(pid), 'SIGKILL');
          } catch {}
        }
      try {
        rmdirSync(dir);
        removed++;
      } catch {
        // still draining; the next sweep gets it
      }
    }
  }
  return removed;
}

/** Whether a transient cgroup with all limit controllers can be created here (creates and removes one). */
export function probeCgroupWritable(
  layout: CgroupLayout,
): { ok: true; mode: 'cgroup-v1' | 'cgroup-v2' } | { ok: false; reason: string } {
  try {
    const cg = TransientCgroup.create(layout, { memoryBytes: 64 << 20, pids: 16, cpus: 1 });
    const mode = cg.mode;
    void cg.destroy();
    return { ok: true, mode };
  } catch (err) {
    return { ok: false, reason: (err as Error).message };
  }
}
