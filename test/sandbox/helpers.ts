// Shared by the sandbox tests: what this machine supports, a Python probe run inside the sandbox,
// the errno values escape attempts end in, and a host server no sandboxed process may reach.
import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { afterAll, beforeAll } from 'vitest';
import { run } from '../../src/sandbox/index.js';
import { probeSandbox } from '../../src/sandbox/probe.js';
import type { SpawnOptions } from '../../src/sandbox/spawn.js';
import type { RunResult } from '../../src/sandbox/types.js';

const report = probeSandbox();
const failed = report.probes.filter(
  (p) => !p.ok && p.name !== 'runsc (gVisor)' && p.name !== 'gVisor platform',
);
/** Why the real-sandbox tests are skipped here, or undefined when they run. */
export const bwrapSkipReason: string | undefined = report.bwrapReady
  ? undefined
  : `bwrap sandbox not available: ${failed.map((p) => `${p.name}: ${p.detail}`).join('; ')}`;
export const PYTHON = '/usr/bin/python3';
export const pythonSkipReason = existsSync(PYTHON)
  ? undefined
  : `${PYTHON} not installed (apt-get install -y python3)`;

const PRELUDE = `
import os, sys, json, ctypes, socket, errno, signal, time
libc = ctypes.CDLL(None, use_errno=True)
libc.syscall.restype = ctypes.c_long
def sc(nr, *a):
    ctypes.set_errno(0)
    r = libc.syscall(ctypes.c_long(nr), *[ctypes.c_long(x) for x in a])
    return ctypes.get_errno() if r == -1 else ('ok', r)
def out(**k):
    print(json.dumps(k), flush=True)
`;

/** Runs Python code in the sandbox; the code reports with out(key=value). */
export async function probe(
  code: string,
  options: Omit<SpawnOptions, 'stdio'> = {},
): Promise<{ r: RunResult; data: Record<string, unknown> }> {
  const r = await run([PYTHON, '-c', `${PRELUDE}\n${code}`], { timeoutMs: 20_000, ...options });
  const data: Record<string, unknown> = {};
  for (const line of r.stdout.split('\n')) {
    if (line.startsWith('{')) Object.assign(data, JSON.parse(line));
  }
  return { r, data };
}

/** Linux errno values the escape attempts end in (the same on x86_64 and arm64). */
export const ERRNO = {
  EPERM: 1,
  ENOENT: 2,
  ESRCH: 3,
  EAGAIN: 11,
  EACCES: 13,
  ENOSPC: 28,
  EROFS: 30,
  ENOSYS: 38,
  ENETUNREACH: 101,
  ECONNREFUSED: 111,
} as const;

/**
 * A TCP server on the host's loopback, listening for the tests of the enclosing describe block:
 * `port` to aim at, `connections` to prove nothing from the sandbox got through.
 */
export function hostLoopbackServer(): { readonly port: number; readonly connections: number } {
  const state = { port: 0, connections: 0 };
  let server: Server;
  beforeAll(async () => {
    server = createServer((s) => {
      state.connections++;
      s.end('secret');
    });
    await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
    state.port = (server.address() as { port: number }).port;
  });
  afterAll(() => new Promise<void>((ok) => server.close(() => ok())));
  return state;
}
