// The mount plan: the filesystem a sandboxed command sees, independent of the backend.
// bwrap turns it into --ro-bind/--tmpfs/... arguments; the gVisor backend turns it into OCI mounts.

import { accessSync, constants, existsSync, lstatSync, readlinkSync, realpathSync, statSync } from 'node:fs';
import { delimiter, dirname, isAbsolute, join, resolve } from 'node:path';
import { PortcullisError } from '../core/errors.js';
import type { MountEntry, MountPlan, ResolvedOptions } from './types.js';

/** Top-level names that hold the runtime on Debian-like systems (merged /usr makes most symlinks). */
const RUNTIME_ROOTS = ['/usr', '/bin', '/sbin', '/lib', '/lib32', '/lib64', '/libx32'];

/**
 * Individual /etc files needed for dynamic linking and symlinked alternatives, plus the CA bundle
 * when the run has network access (with `--net none` there is no TLS peer to verify, and each bind
 * costs bwrap ~0.4 ms). Nothing that describes the host's users, network or secrets (no passwd,
 * hosts, resolv.conf, shadow).
 */
const ETC_FILES = ['/etc/ld.so.cache', '/etc/alternatives'];
const ETC_NETWORK_FILES = ['/etc/ssl/certs/ca-certificates.crt'];

export const SANDBOX_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';
export const SANDBOX_UID = 65534;
export const SANDBOX_GID = 65534;

/** Finds argv[0] like execvp would on the host, returning its real path. */
export function resolveCommand(cmd: string, pathVar = process.env.PATH ?? SANDBOX_PATH): string {
  const candidates = cmd.includes('/')
    ? [resolve(cmd)]
    : pathVar
        .split(delimiter)
        .filter(isAbsolute)
        .map((d) => join(d, cmd));
  for (const c of candidates) {
    try {
      accessSync(c, constants.X_OK);
      if (statSync(c).isFile()) return realpathSync(c);
    } catch {
      // next candidate
    }
  }
  throw new PortcullisError('INPUT_NOT_FOUND', `command not found: ${cmd}`, { field: 'command' });
}

function isUnder(path: string, root: string): boolean {
  return path === root || path.startsWith(root.endsWith('/') ? root : `${root}/`);
}

function realDeclared(p: string, field: 'ro' | 'rw'): string {
  const abs = resolve(p);
  if (!existsSync(abs))
    throw new PortcullisError('INPUT_NOT_FOUND', `--${field} path does not exist`, { file: p, field });
  // The real path is what gets bound: a symlink cannot redirect the bind somewhere undeclared.
  return realpathSync(abs);
}

/** Paths that must never be bound writable: they would hand the sandbox the host. */
const FORBIDDEN_RW = [
  '/',
  '/usr',
  '/etc',
  '/bin',
  '/sbin',
  '/lib',
  '/lib64',
  '/boot',
  '/proc',
  '/sys',
  '/dev',
  '/root',
  '/var',
  '/run',
];

export function buildMountPlan(argv: readonly string[], opts: ResolvedOptions): MountPlan {
  if (argv.length === 0 || !argv[0])
    throw new PortcullisError('USAGE', 'no command given', { field: 'command' });
  const entries: MountEntry[] = [];
  const roots: string[] = [];
  for (const r of RUNTIME_ROOTS) {
    let st: ReturnType<typeof lstatSync>;
    try {
      st = lstatSync(r);
    } catch {
      continue;
    }
    if (st.isSymbolicLink()) entries.push({ kind: 'symlink', target: readlinkSync(r), dest: r });
    else if (st.isDirectory()) {
      entries.push({ kind: 'ro-bind', source: r, dest: r });
      roots.push(r);
    }
  }
  const etc = opts.net.mode === 'allowlist' ? [...ETC_FILES, ...ETC_NETWORK_FILES] : ETC_FILES;
  for (const f of etc) if (existsSync(f)) entries.push({ kind: 'ro-bind', source: f, dest: f });

  const command = resolveCommand(argv[0] as string);
  const commandDir = dirname(command);
  const ro = opts.ro.map((p) => realDeclared(p, 'ro'));
  const rw = opts.rw.map((p) => realDeclared(p, 'rw'));
  for (const p of rw) {
    if (FORBIDDEN_RW.includes(p))
      throw new PortcullisError('USAGE', `refusing a writable bind of ${p}`, { file: p, field: 'rw' });
  }
  const covered = (p: string) => [...roots, ...ro, ...rw].some((r) => isUnder(p, r));
  if (!covered(commandDir)) entries.push({ kind: 'ro-bind', source: commandDir, dest: commandDir });

  entries.push({ kind: 'proc', dest: '/proc' });
  entries.push({ kind: 'dev', dest: '/dev' });
  entries.push({ kind: 'tmpfs', dest: '/tmp', sizeBytes: opts.tmpfsBytes });
  const cwdDeclared = [...ro, ...rw].some((r) => isUnder(opts.cwd, r));
  if (!cwdDeclared && opts.cwd !== '/tmp')
    entries.push({ kind: 'tmpfs', dest: opts.cwd, sizeBytes: opts.tmpfsBytes });
  // Declared binds come last so they are not hidden by the tmpfs mounts above.
  for (const p of ro) entries.push({ kind: 'ro-bind', source: p, dest: p });
  for (const p of rw) entries.push({ kind: 'rw-bind', source: p, dest: p });

  const env: Record<string, string> = {
    PATH: SANDBOX_PATH,
    HOME: opts.cwd,
    TMPDIR: '/tmp',
    LANG: 'C.UTF-8',
    ...opts.env,
  };
  return { entries, argv: [command, ...argv.slice(1)], cwd: opts.cwd, env };
}
