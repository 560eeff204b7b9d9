// Validates SandboxOptions once, before anything is spawned; bad input throws with the field named.

import { PortcullisError } from '../core/errors.js';
import type { NetPolicy, ResolvedOptions, SandboxOptions } from './types.js';

export const DEFAULTS = {
  memoryBytes: 512 * 1024 * 1024,
  pids: 128,
  cpus: 1,
  timeoutMs: 30_000,
  tmpfsBytes: 64 * 1024 * 1024,
  outputCapBytes: 1024 * 1024,
  cwd: '/work',
} as const;

const usage = (message: string, field: string) => new PortcullisError('USAGE', message, { field });

/** "256m", "1g", "512k", "1048576" → bytes. */
export function parseSize(text: string, field = 'size'): number {
  const m = /^(\d{1,15})([kmg]?)i?b?$/i.exec(text.trim());
  if (!m) throw usage(`invalid size '${text}' (expected e.g. 256m, 1g, 65536)`, field);
  const unit = { '': 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 }[
    (m[2] ?? '').toLowerCase() as '' | 'k' | 'm' | 'g'
  ];
  return Number(m[1]) * unit;
}

/** "30s", "500ms", "2m", "10" (seconds) → milliseconds. */
export function parseDuration(text: string, field = 'timeout'): number {
  const m = /^(\d{1,9}(?:\.\d{1,3})?)(ms|s|m)?$/.exec(text.trim());
  if (!m) throw usage(`invalid duration '${text}' (expected e.g. 30s, 500ms, 2m)`, field);
  const n = Number(m[1]);
  return Math.round(m[2] === 'ms' ? n : m[2] === 'm' ? n * 60_000 : n * 1000);
}

const HOST_RE = /^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$/i;

/**
 * "none" or "host1,*.example.com:443,10.0.0.5:5432,[::1]:8080" → NetPolicy. An entry without a port
 * allows 80 and 443; `*.domain` matches every name under domain (not domain itself).
 */
export function parseNet(text: string): NetPolicy {
  const t = text.trim();
  if (t === '' || t === 'none') return { mode: 'none' };
  const allow: { host: string; port?: number }[] = [];
  for (const raw of t.split(',')) {
    const item = raw.trim();
    let host = item;
    let port: number | undefined;
    const v6 = /^\[([0-9a-f:.]+)\](?::(\d{1,5}))?$/i.exec(item);
    if (v6) {
      host = v6[1] as string;
      port = v6[2] ? Number(v6[2]) : undefined;
    } else {
      const idx = item.lastIndexOf(':');
      if (idx >= 0) {
        host = item.slice(0, idx);
        port = Number(item.slice(idx + 1));
      }
      const name = host.startsWith('*.') ? host.slice(2) : host;
      if (!HOST_RE.test(name)) throw usage(`invalid host '${host}' in --net`, 'net');
    }
    if (port !== undefined && !(Number.isInteger(port) && port > 0 && port < 65536))
      throw usage(`invalid port in '${item}'`, 'net');
    allow.push(port === undefined ? { host: host.toLowerCase() } : { host: host.toLowerCase(), port });
  }
  return { mode: 'allowlist', allow };
}

const ENV_NAME_RE = /^[A-Za-z_][A-Za-z0-9_]{0,127}$/;

function resolveEnv(
  entries: readonly string[],
  source: Readonly<Record<string, string | undefined>>,
): Record<string, string> {
  const env: Record<string, string> = {};
  for (const e of entries) {
    const eq = e.indexOf('=');
    const name = eq < 0 ? e : e.slice(0, eq);
    if (!ENV_NAME_RE.test(name)) throw usage(`invalid environment variable name '${name}'`, 'env');
    if (eq >= 0) env[name] = e.slice(eq + 1);
    else {
      const v = source[name];
      if (v !== undefined) env[name] = v;
    }
  }
  return env;
}

function positive(value: number, field: string, integer: boolean): number {
  if (!Number.isFinite(value) || value <= 0 || (integer && !Number.isInteger(value)))
    throw usage(`${field} must be a positive ${integer ? 'integer' : 'number'}`, field);
  return value;
}

export function resolveOptions(o: SandboxOptions = {}): ResolvedOptions {
  const backend = o.backend ?? 'bwrap';
  if (backend !== 'bwrap' && backend !== 'gvisor')
    throw usage(`unknown backend '${String(backend)}'`, 'backend');
  const memoryBytes = positive(o.memoryBytes ?? DEFAULTS.memoryBytes, 'memoryBytes', true);
  if (memoryBytes < 8 * 1024 * 1024)
    throw usage('memory limit below 8 MiB cannot start a process', 'memoryBytes');
  const cwd = o.cwd ?? DEFAULTS.cwd;
  if (!cwd.startsWith('/')) throw usage('cwd must be an absolute path inside the sandbox', 'cwd');
  const paths = (list: readonly string[] | undefined, field: string) =>
    (list ?? []).map((p) => {
      if (typeof p !== 'string' || p === '' || p.includes('\0')) throw usage('invalid path', field);
      return p;
    });
  return {
    backend,
    net: o.net ?? { mode: 'none' },
    memoryBytes,
    pids: positive(o.pids ?? DEFAULTS.pids, 'pids', true),
    cpus: positive(o.cpus ?? DEFAULTS.cpus, 'cpus', false),
    timeoutMs: positive(o.timeoutMs ?? DEFAULTS.timeoutMs, 'timeoutMs', true),
    ro: paths(o.ro, 'ro'),
    rw: paths(o.rw, 'rw'),
    env: resolveEnv(o.env ?? [], o.envSource ?? process.env),
    cwd,
    tmpfsBytes: positive(o.tmpfsBytes ?? DEFAULTS.tmpfsBytes, 'tmpfsBytes', true),
    limitsFallback: o.limitsFallback ?? 'refuse',
    outputCapBytes: positive(o.outputCapBytes ?? DEFAULTS.outputCapBytes, 'outputCapBytes', true),
  };
}
