import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { decodeProgram, encodeProgram, interpret, SECCOMP_RET } from '../../src/sandbox/seccomp/bpf.js';
import {
  ALLOWED_PERSONALITIES,
  buildSeccompProgram,
  CLONE_NAMESPACE_FLAGS,
  DENIED_SYSCALLS,
  ENOSYS,
  EPERM,
  seccompFilterBytes,
} from '../../src/sandbox/seccomp/policy.js';
import { AUDIT_ARCH, type SeccompArch, SYSCALLS } from '../../src/sandbox/seccomp/syscalls.js';

const ARCHES: SeccompArch[] = ['x86_64', 'aarch64'];
const errno = (e: number) => SECCOMP_RET.ERRNO | e;

describe.each(ARCHES)('seccomp program (%s)', (arch) => {
  const prog = buildSeccompProgram(arch);
  const table = SYSCALLS[arch];
  const call = (name: string, args: bigint[] = []) =>
    interpret(prog, { nr: table[name] as number, arch: AUDIT_ARCH[arch], args });

  it('checks the architecture first and kills a foreign ABI', () => {
    expect(prog[0]).toMatchObject({ code: 0x20, k: 4 });
    expect(interpret(prog, { nr: 0, arch: 0x40000003 /* i386 */ })).toBe(SECCOMP_RET.KILL_PROCESS);
    expect(interpret(prog, { nr: 0, arch: arch === 'x86_64' ? AUDIT_ARCH.aarch64 : AUDIT_ARCH.x86_64 })).toBe(
      SECCOMP_RET.KILL_PROCESS,
    );
  });

  it('denies every listed escape-prone call that exists on the architecture with EPERM', () => {
    let checked = 0;
    for (const name of Object.keys(DENIED_SYSCALLS)) {
      if (table[name] === undefined) continue;
      expect(call(name), name).toBe(errno(EPERM));
      checked++;
    }
    expect(checked).toBeGreaterThan(40);
  });

  it('allows ordinary calls', () => {
    // read/write/openat/exit_group/getpid/mmap differ per table; use well-known numbers.
    const ordinary = arch === 'x86_64' ? [0, 1, 2, 9, 39, 60, 231, 257] : [63, 64, 56, 222, 172, 93, 94];
    for (const nr of ordinary)
      expect(interpret(prog, { nr, arch: AUDIT_ARCH[arch] })).toBe(SECCOMP_RET.ALLOW);
  });

  it('refuses clone with namespace flags, allows fork/thread clones, and sends clone3 to ENOSYS', () => {
    expect(call('clone', [0x01200011n /* fork: CHILD_SETTID|CHILD_CLEARTID|SIGCHLD */])).toBe(
      SECCOMP_RET.ALLOW,
    );
    expect(call('clone', [0x003d0f00n /* pthread_create */])).toBe(SECCOMP_RET.ALLOW);
    for (const flag of [
      0x00020000n,
      0x02000000n,
      0x04000000n,
      0x08000000n,
      0x10000000n,
      0x20000000n,
      0x40000000n,
    ]) {
      expect(call('clone', [flag | 17n])).toBe(errno(EPERM));
      // High bits set above the 32 the kernel reads do not hide the flag.
      expect(call('clone', [(0xffffffffn << 32n) | flag])).toBe(errno(EPERM));
    }
    expect(BigInt(CLONE_NAMESPACE_FLAGS) & 0xffn).toBe(0n);
    expect(call('clone3')).toBe(errno(ENOSYS));
  });

  it('allows only harmless personality values', () => {
    for (const v of ALLOWED_PERSONALITIES) expect(call('personality', [BigInt(v)])).toBe(SECCOMP_RET.ALLOW);
    expect(call('personality', [0x0040000n /* ADDR_NO_RANDOMIZE */])).toBe(errno(EPERM));
    expect(call('personality', [0x0400000n /* READ_IMPLIES_EXEC */])).toBe(errno(EPERM));
  });

  it('refuses terminal injection ioctls but not ordinary ones', () => {
    expect(call('ioctl', [0n, 0x5412n])).toBe(errno(EPERM));
    expect(call('ioctl', [0n, 0x541cn])).toBe(errno(EPERM));
    expect(call('ioctl', [1n, 0x5401n /* TCGETS */])).toBe(SECCOMP_RET.ALLOW);
  });

  it('round-trips through the byte encoding bwrap reads', () => {
    const bytes = seccompFilterBytes(arch);
    expect(bytes.length).toBe(prog.length * 8);
    expect(decodeProgram(bytes)).toEqual(prog);
    expect(decodeProgram(encodeProgram(prog))).toEqual(prog);
  });
});

it('refuses x32 syscalls on x86_64', () => {
  const prog = buildSeccompProgram('x86_64');
  expect(interpret(prog, { nr: 0x40000000 + 1, arch: AUDIT_ARCH.x86_64 })).toBe(errno(ENOSYS));
});

/** Parses `#define __NR_name N` lines (and generic __NR3264_ aliases). */
function headerTable(path: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const m of readFileSync(path, 'utf8').matchAll(/^#define __NR(?:3264)?_(\w+)\s+(\d+)\s*$/gm))
    out.set(m[1] as string, Number(m[2]));
  return out;
}

const X86_HEADER = '/usr/include/x86_64-linux-gnu/asm/unistd_64.h';
const GENERIC_HEADER = '/usr/include/asm-generic/unistd.h';

describe('syscall tables match the kernel headers', () => {
  it.skipIf(!existsSync(X86_HEADER))(`x86_64 (${X86_HEADER}; skipped when linux-libc-dev is absent)`, () => {
    const h = headerTable(X86_HEADER);
    for (const [name, nr] of Object.entries(SYSCALLS.x86_64))
      if (h.has(name)) expect(nr, name).toBe(h.get(name));
    expect([...Object.keys(SYSCALLS.x86_64)].filter((n) => h.has(n)).length).toBeGreaterThan(55);
  });
  it.skipIf(!existsSync(GENERIC_HEADER))(`aarch64 via the generic table (${GENERIC_HEADER})`, () => {
    const h = headerTable(GENERIC_HEADER);
    for (const [name, nr] of Object.entries(SYSCALLS.aarch64)) expect(h.get(name), name).toBe(nr);
  });
});
