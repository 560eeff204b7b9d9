// How run() hands bwrap its options (src/sandbox/join.ts): the isolation flags on the command line,
// the filesystem on fd 4 after the cgroup join. These tests start bwrap the same way and take the
// fd away, as if Portcullis died before writing it: the command must not run, sandboxed or not.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  buildMountPlan,
  bwrapArgs,
  bwrapArgsSplit,
  findExecutable,
  resolveOptions,
  seccompFilterBytes,
} from '../../src/sandbox/index.js';
import { hostSeccompArch } from '../../src/sandbox/seccomp/syscalls.js';
import { bwrapSkipReason } from './helpers.js';

function start(inline: string[], options: string | undefined) {
  const end = inline.indexOf('--');
  const argv = [...inline.slice(0, end), '--args', '4', ...inline.slice(end)];
  const c = spawn(findExecutable('bwrap') as string, argv, {
    stdio: ['ignore', 'pipe', 'pipe', 'pipe', 'pipe'],
    env: {},
  });
  const fds = c.stdio as unknown as import('node:stream').Writable[];
  for (const fd of [fds[3], fds[4]]) fd?.on('error', () => {});
  fds[3]?.end(seccompFilterBytes(hostSeccompArch() ?? 'x86_64'));
  // undefined: the option fd closes with nothing written (the writer died before it wrote).
  fds[4]?.end(options ?? '');
  let stderr = '';
  c.stderr?.on('data', (d: Buffer) => {
    stderr += d.toString();
  });
  return new Promise<{ code: number | null; stderr: string }>((resolve) =>
    c.on('exit', (code) => resolve({ code, stderr })),
  );
}

describe.skipIf(bwrapSkipReason !== undefined)('bwrap options on a fd (the cgroup join)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pc-joinfd-'));
  const marker = join(dir, 'ran');
  const argv = ['/bin/sh', '-c', `echo ran > ${marker}`];
  const opts = resolveOptions({ rw: [dir] });
  const plan = buildMountPlan(argv, opts);

  it('splits into the same arguments bwrapArgs gives, isolation flags inline', () => {
    const { inline, filesystem } = bwrapArgsSplit(plan, { seccomp: true });
    const end = inline.indexOf('--');
    expect([...inline.slice(0, end), ...filesystem, ...inline.slice(end)]).toEqual(
      bwrapArgs(plan, { seccomp: true }),
    );
    for (const flag of ['--unshare-all', '--unshare-user', '--die-with-parent', '--clearenv', '--seccomp'])
      expect(inline).toContain(flag);
    expect(filesystem).not.toContain('--unshare-all');
  });

  it('runs the command when the options arrive (the control case)', async () => {
    const { inline, filesystem } = bwrapArgsSplit(plan, { seccomp: true });
    const r = await start(inline, filesystem.map((a) => `${a}\0`).join(''));
    expect(r).toMatchObject({ code: 0 });
    expect(existsSync(marker)).toBe(true);
  });

  it('runs nothing when the options never arrive', async () => {
    const other = join(dir, 'never');
    const p = buildMountPlan(['/bin/sh', '-c', `echo ran > ${other}`], opts);
    const r = await start(bwrapArgsSplit(p, { seccomp: true }).inline, undefined);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/execvp|No such file/);
    expect(existsSync(other)).toBe(false);
  });

  it('runs nothing outside the sandbox when the options are cut off anywhere', async () => {
    // The command records the host name it sees; wherever the list is cut, it either does not run
    // or runs isolated (the name is the sandbox's), never on the host.
    const seen = join(dir, 'seen');
    const p = buildMountPlan(['/bin/sh', '-c', `cat /proc/sys/kernel/hostname >> ${seen}`], opts);
    const { inline, filesystem } = bwrapArgsSplit(p, { seccomp: true });
    const text = filesystem.map((a) => `${a}\0`).join('');
    let ran = 0;
    const step = Math.max(1, Math.floor(text.length / 40));
    const cuts = [...Array.from({ length: Math.ceil(text.length / step) }, (_, i) => i * step), text.length];
    for (const cut of cuts) {
      const r = await start(inline, text.slice(0, cut));
      if (r.code === 0) ran++;
    }
    expect(ran).toBeGreaterThanOrEqual(1); // at least the whole list
    const names = existsSync(seen) ? readFileSync(seen, 'utf8').trim().split('\n') : [];
    expect(names.length).toBe(ran);
    expect(names.every((n) => n === 'sandbox')).toBe(true);
  });
});
