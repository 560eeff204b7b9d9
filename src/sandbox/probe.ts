// What this machine can guarantee: the facts `portcullis doctor` prints and the tests skip on.

import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { findExecutable } from './bwrap.js';
import { detectCgroupLayout, probeCgroupWritable } from './cgroup.js';
import { seccompFilterBytes } from './seccomp/policy.js';
import { hostSeccompArch } from './seccomp/syscalls.js';

export interface Probe {
  name: string;
  ok: boolean;
  detail: string;
  /** The command that makes it available, when it is not. */
  remedy?: string;
}

export interface ProbeReport {
  probes: Probe[];
  /** bwrap runs a command with user namespaces, seccomp and cgroup limits. */
  bwrapReady: boolean;
  gvisorReady: boolean;
}

function firstLine(s: string | undefined): string {
  return (s ?? '').split('\n')[0]?.trim() ?? '';
}

function userNamespaces(): Probe {
  const max = (() => {
    try {
      return Number(readFileSync('/proc/sys/user/max_user_namespaces', 'utf8').trim());
    } catch {
      return undefined;
    }
  })();
  let restricted = false;
  try {
    restricted =
      readFileSync('/proc/sys/kernel/apparmor_restrict_unprivileged_userns', 'utf8').trim() === '1';
  } catch {}
  const ok = max === undefined || max > 0;
  return {
    name: 'user namespaces',
    ok,
    detail: `max_user_namespaces=${max ?? 'unknown'}${restricted ? ', AppArmor restricts unprivileged user namespaces' : ''}`,
    ...(ok ? {} : { remedy: 'sysctl -w user.max_user_namespaces=15000' }),
  };
}

function bwrapVersion(bwrap: string | undefined): Probe {
  if (!bwrap)
    return { name: 'bwrap', ok: false, detail: 'not installed', remedy: 'apt-get install -y bubblewrap' };
  const v = spawnSync(bwrap, ['--version'], { encoding: 'utf8', timeout: 5000 });
  return {
    name: 'bwrap',
    ok: v.status === 0,
    detail: `${bwrap}: ${firstLine(v.stdout) || firstLine(v.stderr)}`,
  };
}

/** Runs bwrap with the filter on fd 3 (spawnSync cannot feed extra fds, so a shell redirects a file). */
function bwrapRuns(bwrap: string, arch: NonNullable<ReturnType<typeof hostSeccompArch>>): Probe {
  const filter = seccompFilterBytes(arch);
  const script = `exec 3<&0; exec "$@" </dev/null`;
  const r = spawnSync(
    '/bin/sh',
    [
      '-c',
      script,
      'probe',
      bwrap,
      '--unshare-all',
      '--unshare-user',
      '--die-with-parent',
      '--cap-drop',
      'ALL',
      '--uid',
      '65534',
      '--gid',
      '65534',
      '--ro-bind',
      '/usr',
      '/usr',
      '--symlink',
      'usr/bin',
      '/bin',
      '--symlink',
      'usr/lib',
      '/lib',
      '--symlink',
      'usr/lib64',
      '/lib64',
      '--proc',
      '/proc',
      '--seccomp',
      '3',
      '--',
      '/bin/sh',
      '-c',
      'grep -E "^Seccomp:" /proc/self/status; id -u',
    ],
    { input: filter, encoding: 'utf8', timeout: 10_000 },
  );
  const ok = r.status === 0 && /Seccomp:\s*2/.test(r.stdout) && /^65534$/m.test(r.stdout);
  return {
    name: 'bwrap sandbox + seccomp',
    ok,
    detail: ok
      ? 'user namespace, uid 65534, seccomp filter mode 2'
      : `failed: ${firstLine(r.stderr) || firstLine(r.stdout) || `exit ${r.status}`}`,
    ...(ok ? {} : { remedy: 'enable unprivileged user namespaces or run as root; see docs/sandbox.md' }),
  };
}

function runscProbe(): { version: Probe; platform: Probe } {
  const runsc = findExecutable('runsc');
  if (!runsc) {
    return {
      version: {
        name: 'runsc (gVisor)',
        ok: false,
        detail: 'not installed',
        remedy: 'apt-get install -y runsc',
      },
      platform: { name: 'gVisor platform', ok: false, detail: 'runsc missing' },
    };
  }
  const v = spawnSync(runsc, ['--version'], { encoding: 'utf8', timeout: 5000 });
  const kvm = existsSync('/dev/kvm');
  return {
    version: { name: 'runsc (gVisor)', ok: v.status === 0, detail: `${runsc}: ${firstLine(v.stdout)}` },
    platform: {
      name: 'gVisor platform',
      ok: true,
      detail: kvm ? 'kvm available (/dev/kvm); ptrace/systrap also usable' : 'ptrace (no /dev/kvm)',
    },
  };
}

/**
 * Moving a process into a cgroup takes the kernel's cgroup threadgroup lock for writing, which waits
 * for an RCU grace period (~10 ms) unless a recent move left it fast, or the kernel is told to
 * favour such moves. Every sandbox start makes one such move; this names the host-wide settings
 * that remove the wait (Portcullis never changes them itself).
 */
export function cgroupJoinNote(): string | undefined {
  const read = (path: string) => {
    try {
      return readFileSync(path, 'utf8');
    } catch {
      return undefined;
    }
  };
  if (read('/sys/kernel/rcu_expedited')?.trim() === '1') return undefined;
  if (/\bfavordynmods\b/.test(read('/proc/self/mounts') ?? '')) return undefined;
  return 'each start waits for an RCU grace period (~10 ms, about every other start) when it joins its cgroup; host-wide settings that remove the wait: `echo 1 > /sys/kernel/rcu_expedited`, or cgroup2 mounted with -o favordynmods (Linux 6.0+; on 6.18 it stays in effect until reboot)';
}

export function probeSandbox(): ProbeReport {
  const probes: Probe[] = [userNamespaces()];
  const bwrap = findExecutable('bwrap');
  const arch = hostSeccompArch();
  probes.push(bwrapVersion(bwrap));
  const seccompKernel = (() => {
    try {
      return /^Seccomp:/m.test(readFileSync('/proc/self/status', 'utf8'));
    } catch {
      return false;
    }
  })();
  probes.push({
    name: 'seccomp',
    ok: seccompKernel && arch !== undefined,
    detail: `${seccompKernel ? 'kernel supports seccomp filters' : 'no Seccomp field in /proc/self/status'}; filter table: ${arch ?? `none for ${process.arch}`}`,
  });
  const works: Probe =
    bwrap && arch
      ? bwrapRuns(bwrap, arch)
      : {
          name: 'bwrap sandbox + seccomp',
          ok: false,
          detail: bwrap ? `no seccomp table for ${process.arch}` : 'bwrap missing',
        };
  probes.push(works);
  const layout = detectCgroupLayout();
  const writable = probeCgroupWritable(layout);
  const joinNote = cgroupJoinNote();
  probes.push({
    name: 'cgroups',
    ok: writable.ok,
    detail: `mode ${layout.mode}; ${writable.ok ? `transient cgroups writable (limits via ${writable.mode})${joinNote ? `; speed: ${joinNote}` : ''}` : `not writable: ${writable.reason}`}`,
    ...(writable.ok
      ? {}
      : {
          remedy:
            'run as root, or under a delegated cgroup (systemd-run --user --scope -p Delegate=yes portcullis run ...); otherwise use --limits rlimit (weaker)',
        }),
  });
  const r = runscProbe();
  probes.push(r.version, r.platform);
  return {
    probes,
    bwrapReady: works.ok && writable.ok,
    gvisorReady: r.version.ok && writable.ok,
  };
}
