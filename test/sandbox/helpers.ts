// Shared by the sandbox tests: what this machine supports, and a Python probe run inside the sandbox.
import { existsSync } from 'node:fs';
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
