// The escape suite: each attempt runs for real inside the bwrap sandbox and its exact outcome is
// asserted. Every attempt is bounded (small loops, small sizes, short timeouts, TEST-NET only), so
// one that escaped could not harm the machine.

import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { run } from '../../src/sandbox/index.js';
import { hostSeccompArch, SYSCALLS } from '../../src/sandbox/seccomp/syscalls.js';
import { bwrapSkipReason, ERRNO as E, hostLoopbackServer, probe, pythonSkipReason } from './helpers.js';

const skip = bwrapSkipReason ?? pythonSkipReason;
if (skip) console.warn(`escape suite (bwrap) skipped: ${skip}`);
const nr = SYSCALLS[hostSeccompArch() ?? 'x86_64'];

describe.skipIf(skip !== undefined)(`escape suite on bwrap${skip ? ` (skipped: ${skip})` : ''}`, () => {
  it('runs as an unprivileged user with no capabilities, no_new_privs and the seccomp filter', async () => {
    const { r, data } = await probe(`
st = open('/proc/self/status').read()
out(uid=os.getuid(), gid=os.getgid(), caps=[l.split()[1] for l in st.splitlines() if l.startswith('Cap')],
    nnp=[l.split()[1] for l in st.splitlines() if l.startswith('NoNewPrivs')][0],
    seccomp=[l.split()[1] for l in st.splitlines() if l.startswith('Seccomp:')][0])`);
    expect(r.stderr).toBe('');
    expect(data).toEqual({
      uid: 65534,
      gid: 65534,
      caps: Array(5).fill('0000000000000000'),
      nnp: '1',
      seccomp: '2',
    });
  });

  it('cannot read host files outside the binds: /etc/shadow, the home directory, the project directory', async () => {
    const project = process.cwd();
    const { data } = await probe(`
def tryread(p):
    try:
        if os.path.isdir(p): os.listdir(p)
        else: open(p).read()
        return 'read'
    except OSError as e: return e.errno
out(shadow=tryread('/etc/shadow'), passwd=tryread('/etc/passwd'), home=tryread(${JSON.stringify(homedir())}),
    project=tryread(${JSON.stringify(project)}), pkg=tryread(${JSON.stringify(join(project, 'package.json'))}),
    root=tryread('/root'), var=tryread('/var'), etc=sorted(os.listdir('/etc')))`);
    expect(data).toEqual({
      shadow: E.ENOENT,
      passwd: E.ENOENT,
      home: E.ENOENT,
      project: E.ENOENT,
      pkg: E.ENOENT,
      root: E.ENOENT,
      var: E.ENOENT,
      etc: expect.arrayContaining(['ld.so.cache']),
    });
    expect((data.etc as string[]).every((n) => ['ld.so.cache', 'ssl', 'alternatives'].includes(n))).toBe(
      true,
    );
  });

  it('cannot write outside the tmpfs mounts; the runtime and the root are read-only', async () => {
    const { data } = await probe(`
def trywrite(p):
    try:
        open(p, 'w').write('x'); return 'wrote'
    except OSError as e: return e.errno
out(usr=trywrite('/usr/bin/evil'), root=trywrite('/evil'), etc=trywrite('/etc/evil'), tmp=trywrite('/tmp/ok'), work=trywrite('/work/ok'))`);
    expect(data).toEqual({ usr: E.EROFS, root: E.EROFS, etc: E.EROFS, tmp: 'wrote', work: 'wrote' });
    expect(existsSync('/usr/bin/evil')).toBe(false);
  });

  it('persists nothing from one run to the next', async () => {
    const marker = `portcullis-persist-${process.pid}`;
    const first = await probe(
      `open('/tmp/${marker}','w').write('1'); open('/work/${marker}','w').write('1'); out(done=1)`,
    );
    expect(first.data).toEqual({ done: 1 });
    const second = await probe(
      `out(tmp=os.path.exists('/tmp/${marker}'), work=os.path.exists('/work/${marker}'))`,
    );
    expect(second.data).toEqual({ tmp: false, work: false });
    expect(existsSync(join(tmpdir(), marker))).toBe(false);
  });

  describe('network', () => {
    const host = hostLoopbackServer();

    it("cannot reach a server on the host's loopback", async () => {
      const { data } = await probe(`
s = socket.socket(); s.settimeout(2)
try:
    s.connect(('127.0.0.1', ${host.port})); out(loopback='connected')
except OSError as e: out(loopback=e.errno)`);
      expect(data).toEqual({ loopback: E.ECONNREFUSED });
      expect(host.connections).toBe(0);
    });

    it('cannot reach an outside address (TEST-NET 192.0.2.1): no route in the empty namespace', async () => {
      const { data } = await probe(`
s = socket.socket(); s.settimeout(1)
try:
    s.connect(('192.0.2.1', 80)); out(outside='connected')
except OSError as e: out(outside=e.errno)
u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
try:
    u.sendto(b'x', ('192.0.2.1', 53)); out(udp='sent')
except OSError as e: out(udp=e.errno)
out(ifaces=sorted(n for _, n in socket.if_nameindex()))`);
      expect(data).toEqual({ outside: E.ENETUNREACH, udp: E.ENETUNREACH, ifaces: ['lo'] });
    });

    it('cannot resolve DNS names', async () => {
      const { data } = await probe(`
try:
    socket.getaddrinfo('example.com', 80); out(dns='resolved')
except socket.gaierror as e: out(dns=e.errno)
out(resolv=os.path.exists('/etc/resolv.conf'), hosts=os.path.exists('/etc/hosts'))`);
      // EAI_AGAIN (-3): no resolv.conf, glibc's default 127.0.0.1:53 is the sandbox's own empty loopback.
      expect(data).toEqual({ dns: -3, resolv: false, hosts: false });
    });
  });

  it('denied syscalls fail with the filter errno when really called', async () => {
    const { r, data } = await probe(`
out(ptrace_traceme=sc(${nr.ptrace}, 0, 0, 0, 0), ptrace_attach_init=sc(${nr.ptrace}, 16, 1, 0, 0),
    mount=sc(${nr.mount}, 0, 0, 0, 0, 0), umount2=sc(${nr.umount2}, 0, 0), pivot_root=sc(${nr.pivot_root}, 0, 0),
    chroot=sc(${nr.chroot}, 0), unshare_user=sc(${nr.unshare}, 0x10000000), unshare_net=sc(${nr.unshare}, 0x40000000),
    setns=sc(${nr.setns}, 0, 0), clone_newuser=sc(${nr.clone}, 0x10000000 | 17, 0, 0, 0, 0),
    clone3=sc(${nr.clone3}, 0, 0), keyctl=sc(${nr.keyctl}, 0, -3, 0), add_key=sc(${nr.add_key}, 0, 0, 0, 0, 0),
    bpf=sc(${nr.bpf}, 0, 0, 0), perf=sc(${nr.perf_event_open}, 0, 0, -1, -1, 0), userfaultfd=sc(${nr.userfaultfd}, 0),
    io_uring=sc(${nr.io_uring_setup}, 1, 0), init_module=sc(${nr.init_module}, 0, 0, 0),
    finit_module=sc(${nr.finit_module}, -1, 0, 0), kexec=sc(${nr.kexec_load}, 0, 0, 0, 0),
    process_vm_readv=sc(${nr.process_vm_readv}, 1, 0, 0, 0, 0, 0), open_by_handle_at=sc(${nr.open_by_handle_at}, 0, 0, 0),
    personality_aslr_off=sc(${nr.personality}, 0x0040000), personality_query=sc(${nr.personality}, 0xffffffff),
    fork_ok=(os.waitpid(os.fork() or os._exit(0), 0) and 'forked'))`);
    expect(r.stderr).toBe('');
    expect(data).toEqual({
      ptrace_traceme: E.EPERM,
      ptrace_attach_init: E.EPERM,
      mount: E.EPERM,
      umount2: E.EPERM,
      pivot_root: E.EPERM,
      chroot: E.EPERM,
      unshare_user: E.EPERM,
      unshare_net: E.EPERM,
      setns: E.EPERM,
      clone_newuser: E.EPERM,
      clone3: E.ENOSYS,
      keyctl: E.EPERM,
      add_key: E.EPERM,
      bpf: E.EPERM,
      perf: E.EPERM,
      userfaultfd: E.EPERM,
      io_uring: E.EPERM,
      init_module: E.EPERM,
      finit_module: E.EPERM,
      kexec: E.EPERM,
      process_vm_readv: E.EPERM,
      open_by_handle_at: E.EPERM,
      personality_aslr_off: E.EPERM,
      personality_query: ['ok', 0],
      fork_ok: 'forked',
    });
  });

  it('the mount and unshare tools fail inside', async () => {
    const m = await run(['/usr/bin/unshare', '--user', '--map-root-user', '/bin/true']);
    expect(m.exitCode).not.toBe(0);
    expect(m.stderr).toMatch(/Operation not permitted/);
    const mt = await run(['/usr/bin/mount', '-t', 'tmpfs', 'none', '/tmp']);
    expect(mt.exitCode).not.toBe(0);
  });

  it('a fork bomb is held by the pids limit (bounded: at most 64 attempts)', async () => {
    const { r, data } = await probe(
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
out(kids=kids, err=err)
sys.exit(1 if err else 0)`,
      { pids: 12 },
    );
    expect(data.err).toBe(E.EAGAIN);
    expect(data.kids as number).toBeLessThan(12);
    expect(r.stoppedBy).toBe('pids');
    expect(r.wallMs).toBeLessThan(5000); // the sleeping children died with the sandbox
  });

  it('a memory hog is killed by the memory limit (bounded: at most 512 MiB requested)', async () => {
    const { r, data } = await probe(
      `
held = []
for i in range(32):
    held.append(b'\\x01' * (16 << 20)); out(mb=(i + 1) * 16)`,
      { memoryBytes: 64 * 1024 * 1024 },
    );
    expect(r.stoppedBy).toBe('memory');
    expect(r.exitCode).toBe(137);
    expect(data.mb as number).toBeLessThan(64);
    expect(r.peakMemoryBytes).not.toBeNull();
    // The recorded peak may pass the limit by the page the kernel charges before it kills.
    expect(r.peakMemoryBytes as number).toBeLessThanOrEqual(64 * 1024 * 1024 + 64 * 1024);
  });

  it('filling the tmpfs stops at its size', async () => {
    const { data } = await probe(
      `
n = 0
try:
    with open('/tmp/fill', 'wb') as f:
        for i in range(16):
            f.write(b'\\0' * (1 << 20)); f.flush(); os.fsync(f.fileno()); n += 1
    out(n=n, err=None)
except OSError as e: out(n=n, err=e.errno)`,
      { tmpfsBytes: 4 * 1024 * 1024 },
    );
    // Exactly the 4 MiB fit; the fifth megabyte fails.
    expect(data).toEqual({ n: 4, err: E.ENOSPC });
  });

  it('cannot signal or see host processes; /proc shows only the sandbox', async () => {
    const { data } = await probe(`
def trykill(pid):
    try:
        os.kill(pid, 0); return 'signalled'
    except OSError as e: return e.errno
pids = sorted(int(p) for p in os.listdir('/proc') if p.isdigit())
cmds = [open('/proc/%d/cmdline' % p, 'rb').read().replace(b'\\0', b' ').decode() for p in pids]
out(host=trykill(${process.pid}), everyone=trykill(-1), pids=pids,
    foreign=[c for c in cmds if ('vi' + 'test') in c or ('node' + '_modules') in c or c.startswith('no' + 'de ')])`);
    expect(data.host).toBe(E.ESRCH);
    expect(data.everyone).toBe(E.ESRCH);
    expect(data.foreign).toEqual([]);
    expect((data.pids as number[]).every((p) => p <= 3)).toBe(true);
  });

  it("does not inherit the caller's environment or secrets; passes only declared variables", async () => {
    process.env.PORTCULLIS_ESCAPE_SECRET = 'hunter2-token';
    try {
      const plain = await run(['/usr/bin/env']);
      const names = plain.stdout
        .trim()
        .split('\n')
        .map((l) => l.slice(0, l.indexOf('=')));
      expect(names.sort()).toEqual(['HOME', 'LANG', 'PATH', 'PWD', 'TMPDIR']);
      expect(plain.stdout).not.toContain('hunter2');
      const declared = await run(['/usr/bin/env'], { env: ['PORTCULLIS_ESCAPE_SECRET', 'EXTRA=1'] });
      expect(declared.stdout).toContain('PORTCULLIS_ESCAPE_SECRET=hunter2-token\n');
      expect(declared.stdout).toContain('EXTRA=1\n');
    } finally {
      delete process.env.PORTCULLIS_ESCAPE_SECRET;
    }
  });

  it('leaks no host identity through /proc and /sys', async () => {
    const { data } = await probe(`
out(hostname=socket.gethostname(), sys=os.path.exists('/sys'), cgroup=open('/proc/self/cgroup').read(),
    mounts=open('/proc/self/mounts').read(), init=open('/proc/1/cmdline','rb').read().split(b'\\0')[0].decode())`);
    expect(data.hostname).toBe('sandbox');
    expect(data.sys).toBe(false);
    // A private cgroup namespace: paths are '/', never the host's hierarchy or our transient names.
    expect(data.cgroup).not.toMatch(/portcullis-|process_api/);
    expect(data.mounts).not.toContain(process.cwd());
    expect(data.mounts).not.toContain('/root');
  });

  it('the wall-clock timeout kills the whole tree, including background children', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'portcullis-timeout-'));
    try {
      const r = await run(['/bin/sh', '-c', 'sleep 30 & sleep 30 & (sleep 30; echo late) & wait'], {
        timeoutMs: 400,
        rw: [dir],
      });
      expect(r.stoppedBy).toBe('timeout');
      expect(r.signal).toBe('SIGKILL');
      expect(r.wallMs).toBeLessThan(3000);
      expect(r.stdout).toBe('');
      writeFileSync(join(dir, 'ok'), '');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a declared --rw path is writable and nothing else of the host is', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'portcullis-rw-'));
    try {
      const r = await run(['/bin/sh', '-c', `echo hi > ${dir}/out && cat ${dir}/out`], { rw: [dir] });
      expect(r.exitCode).toBe(0);
      expect(readdirSync(dir)).toEqual(['out']);
      const ro = await run(['/bin/sh', '-c', `echo hi > ${dir}/other`], { ro: [dir] });
      expect(ro.exitCode).not.toBe(0);
      expect(ro.stderr).toMatch(/Read-only file system/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
