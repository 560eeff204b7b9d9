// The gVisor backend: the same mount plan as an OCI bundle, run by `runsc run` with no network.
// The application talks to gVisor's user-space kernel (the sentry), not the host kernel; the sentry
// itself runs under gVisor's own seccomp filter. Limits come from our transient cgroup around the
// whole runsc process tree (runsc is told --ignore-cgroups so it does not manage its own).

import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { SANDBOX_GID, SANDBOX_UID } from './mounts.js';
import type { MountPlan, ResolvedOptions } from './types.js';

const BUNDLE_PREFIX = 'portcullis-gvisor-';

/** Threads and processes the sentry and gofer need beyond the application's own (Go runtime threads). */
export const SENTRY_PIDS_ALLOWANCE = 256;

export interface GvisorBundle {
  dir: string;
  stateDir: string;
  containerId: string;
  /** argv after the runsc path. */
  args: string[];
  /** Deletes the container (if runsc left it) and the bundle. Never throws. */
  cleanup(runsc: string): void;
}

function ensureMountPoint(rootfs: string, dest: string, isFile: boolean): void {
  const p = join(rootfs, dest);
  mkdirSync(isFile ? dirname(p) : p, { recursive: true });
  if (isFile) writeFileSync(p, '', { flag: 'a' });
}

/** Writes an OCI bundle (rootfs of mount points and symlinks, config.json) for one run. */
export function writeGvisorBundle(plan: MountPlan, opts: ResolvedOptions): GvisorBundle {
  const dir = mkdtempSync(join(tmpdir(), `${BUNDLE_PREFIX}${process.pid}-`));
  const rootfs = join(dir, 'rootfs');
  const stateDir = join(dir, 'state');
  mkdirSync(rootfs);
  mkdirSync(stateDir);
  const mounts: Record<string, unknown>[] = [];
  for (const e of plan.entries) {
    switch (e.kind) {
      case 'symlink':
        mkdirSync(dirname(join(rootfs, e.dest)), { recursive: true });
        symlinkSync(e.target, join(rootfs, e.dest));
        break;
      case 'ro-bind':
      case 'rw-bind': {
        ensureMountPoint(rootfs, e.dest, statSync(e.source).isFile());
        const options = ['rbind', e.kind === 'ro-bind' ? 'ro' : 'rw', 'nosuid', 'nodev'];
        mounts.push({ destination: e.dest, type: 'bind', source: e.source, options });
        break;
      }
      case 'tmpfs':
        ensureMountPoint(rootfs, e.dest, false);
        mounts.push({
          destination: e.dest,
          type: 'tmpfs',
          source: 'tmpfs',
          options: [`size=${e.sizeBytes}`, 'nosuid', 'nodev', 'mode=1777'],
        });
        break;
      case 'proc':
        ensureMountPoint(rootfs, e.dest, false);
        mounts.push({ destination: e.dest, type: 'proc', source: 'proc' });
        break;
      case 'dev':
        // runsc provides a minimal /dev (null, zero, full, random, urandom, tty, pts, shm) by itself.
        ensureMountPoint(rootfs, e.dest, false);
        break;
      case 'dir':
        ensureMountPoint(rootfs, e.dest, false);
        break;
    }
  }
  const config = {
    ociVersion: '1.0.2',
    root: { path: 'rootfs', readonly: true },
    hostname: 'sandbox',
    process: {
      terminal: false,
      user: { uid: SANDBOX_UID, gid: SANDBOX_GID },
      args: plan.argv,
      env: Object.entries(plan.env).map(([k, v]) => `${k}=${v}`),
      cwd: plan.cwd,
      noNewPrivileges: true,
      capabilities: { bounding: [], effective: [], inheritable: [], permitted: [], ambient: [] },
      rlimits: [
        { type: 'RLIMIT_NOFILE', hard: 4096, soft: 4096 },
        { type: 'RLIMIT_NPROC', hard: opts.pids, soft: opts.pids },
      ],
    },
    mounts,
    linux: {
      namespaces: ['pid', 'network', 'ipc', 'uts', 'mount'].map((type) => ({ type })),
      maskedPaths: ['/proc/kcore', '/proc/keys', '/proc/timer_list', '/proc/sched_debug'],
    },
  };
  writeFileSync(join(dir, 'config.json'), JSON.stringify(config));
  const containerId = `portcullis-${process.pid}-${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`;
  const args = [
    '--network=none',
    // The egress bridge: the application connects to the proxy's Unix socket bound into the bundle.
    ...(opts.net.mode === 'allowlist' ? ['--host-uds=open'] : []),
    '--ignore-cgroups',
    '--root',
    stateDir,
    'run',
    '--bundle',
    dir,
    containerId,
  ];
  return {
    dir,
    stateDir,
    containerId,
    args,
    cleanup(runsc: string) {
      // `runsc run` deletes the container when it ends normally, leaving the state directory empty;
      // only a killed run leaves state behind (and then costs a `runsc delete`, ~30 ms).
      let leftover = true;
      try {
        leftover = readdirSync(stateDir).length > 0;
      } catch {
        leftover = true;
      }
      if (leftover)
        spawnSync(runsc, ['--root', stateDir, 'delete', '-force', containerId], {
          stdio: 'ignore',
          timeout: 10_000,
        });
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * Removes bundles left by runs whose owning process died (the processes themselves are killed by
 * the cgroup sweep). Returns how many it removed.
 */
export function sweepStaleBundles(dir = tmpdir()): number {
  let removed = 0;
  let names: string[] = [];
  try {
    names = readdirSync(dir).filter((n) => n.startsWith(BUNDLE_PREFIX));
  } catch {
    return 0;
  }
  for (const n of names) {
    const owner = Number(/^portcullis-gvisor-(\d+)-/.exec(n)?.[1]);
    if (!Number.isInteger(owner) || owner <= 0) continue;
    try {
      process.kill(owner, 0);
      continue; // owner alive
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EPERM') continue;
    }
    rmSync(join(dir, n), { recursive: true, force: true });
    removed++;
  }
  return removed;
}
