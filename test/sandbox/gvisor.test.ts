// The escape attempts that apply to a user-space kernel, run for real under gVisor (runsc).
import { existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findExecutable } from '../../src/sandbox/bwrap.js';
import { sweepStaleBundles } from '../../src/sandbox/gvisor.js';
import { pendingCleanups, run } from '../../src/sandbox/index.js';
import { bwrapSkipReason, ERRNO as E, hostLoopbackServer, probe, pythonSkipReason } from './helpers.js';

const runscMissing = findExecutable('runsc') ? undefined : 'runsc not installed (apt-get install -y runsc)';
const skip = runscMissing ?? bwrapSkipReason ?? pythonSkipReason;
if (skip) console.warn(`escape suite (gVisor) skipped: ${skip}`);
const G = { backend: 'gvisor' as const, timeoutMs: 60_000 };

describe.skipIf(skip !== undefined)(
  `escape suite on gVisor${skip ? ` (skipped: ${skip})` : ''}`,
  { timeout: 120_000 },
  () => {
    const host = hostLoopbackServer();

    it('runs the command as uid 65534 in the user-space kernel, with output and exit status', async () => {
      const r = await run(['/bin/sh', '-c', 'id -u; echo err >&2; exit 3'], G);
      expect(r.stdout).toBe('65534\n');
      expect(r.stderr).toContain('err');
      expect(r.exitCode).toBe(3);
      expect(r.enforcement).toMatchObject({ backend: 'gvisor', seccomp: false, network: 'none' });
    });

    it('contains files, writes, persistence, network and the environment', async () => {
      process.env.PORTCULLIS_GVISOR_SECRET = 'hunter2';
      try {
        const { r, data } = await probe(
          `
def attempt(f):
    try:
        f(); return 'done'
    except OSError as e: return e.errno
s = socket.socket(); s.settimeout(2)
def conn(addr):
    c = socket.socket(); c.settimeout(1); c.connect(addr)
out(shadow=attempt(lambda: open('/etc/shadow').read()), home=attempt(lambda: os.listdir(${JSON.stringify(homedir())})),
    project=attempt(lambda: os.listdir(${JSON.stringify(process.cwd())})), usr=attempt(lambda: open('/usr/evil', 'w')),
    tmp=attempt(lambda: open('/tmp/marker', 'w').write('x')), loopback=attempt(lambda: conn(('127.0.0.1', ${host.port}))),
    secret='hunter2' in repr(dict(os.environ)), hostname=socket.gethostname())`,
          G,
        );
        expect(r.stderr).toBe('');
        expect(data).toEqual({
          shadow: E.ENOENT,
          home: E.ENOENT,
          project: E.ENOENT,
          // The sentry checks permissions before the read-only mount: /usr is root's, so EACCES.
          usr: E.EACCES,
          tmp: 'done',
          loopback: E.ECONNREFUSED,
          secret: false,
          hostname: 'sandbox',
        });
        expect(host.connections).toBe(0);
        const again = await probe(`out(marker=os.path.exists('/tmp/marker'))`, G);
        expect(again.data).toEqual({ marker: false });
      } finally {
        delete process.env.PORTCULLIS_GVISOR_SECRET;
      }
    });

    it('cannot reach an outside address (TEST-NET 192.0.2.1)', async () => {
      const { data } = await probe(
        `
c = socket.socket(); c.settimeout(1)
try:
    c.connect(('192.0.2.1', 80)); out(outside='connected')
except OSError as e: out(outside=e.errno)`,
        G,
      );
      // gVisor's netstack answers "no route to host" (EHOSTUNREACH) where Linux says ENETUNREACH.
      expect(data).toEqual({ outside: 113 });
    });

    it('a fork bomb is held by the RLIMIT_NPROC the sentry enforces (bounded: 64 attempts)', async () => {
      const { data } = await probe(
        `
kids = 0; err = None
for i in range(64):
    try:
        pid = os.fork()
    except OSError as e:
        err = e.errno; break
    if pid == 0:
        time.sleep(5); os._exit(0)
    kids += 1
out(kids=kids, err=err)`,
        { ...G, pids: 12 },
      );
      expect(data).toEqual({ kids: 11, err: E.EAGAIN });
    });

    it('a memory hog is killed by the limit, which bounds the sentry and the application together', async () => {
      const limit = 192 * 1024 * 1024;
      const { r, data } = await probe(
        `
held = []
for i in range(32):
    held.append(b'\\x01' * (16 << 20)); out(mb=(i + 1) * 16)`,
        { ...G, memoryBytes: limit },
      );
      // Either the cgroup's OOM killer ends the sandbox, or the sentry, near the limit, refuses the
      // allocation and Python raises MemoryError. Both are containment; nothing else is accepted.
      const outcome = {
        stoppedBy: r.stoppedBy,
        exitCode: r.exitCode,
        memoryError: r.stderr.includes('MemoryError'),
      };
      expect([
        { stoppedBy: 'memory', exitCode: 137, memoryError: false },
        { stoppedBy: 'exit', exitCode: 1, memoryError: true },
      ]).toContainEqual(outcome);
      expect(data.mb as number).toBeLessThan(192);
      // The kernel charges a page before it reclaims or kills, so the recorded peak may pass the
      // limit by a page or so (seen: +4 KiB on a clean machine); the ceiling still held.
      expect(r.peakMemoryBytes as number).toBeLessThanOrEqual(limit + 64 * 1024);
    });

    it('the timeout kills the sandbox and the container and bundle are removed', async () => {
      const r = await run(['/bin/sleep', '30'], { ...G, timeoutMs: 1500 });
      expect(r.stoppedBy).toBe('timeout');
      expect(r.wallMs).toBeLessThan(10_000);
      await pendingCleanups();
      expect(readdirSync(tmpdir()).filter((n) => n.startsWith('portcullis-gvisor-'))).toEqual([]);
      expect(existsSync('/usr/evil')).toBe(false);
    });
  },
);

it('sweeps gVisor bundles whose owner died and keeps live ones', () => {
  const base = join(tmpdir(), `portcullis-sweep-test-${process.pid}`);
  mkdirSync(join(base, 'portcullis-gvisor-4194304999-abc', 'rootfs'), { recursive: true });
  mkdirSync(join(base, `portcullis-gvisor-${process.pid}-live`), { recursive: true });
  try {
    expect(sweepStaleBundles(base)).toBe(1);
    expect(readdirSync(base)).toEqual([`portcullis-gvisor-${process.pid}-live`]);
  } finally {
    rmSync(base, { recursive: true, force: true });
  }
});
