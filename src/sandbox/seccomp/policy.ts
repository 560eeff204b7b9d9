// The sandbox's seccomp policy: a deny list of escape-prone syscalls compiled to classic BPF.
// Default-allow keeps ordinary programs (interpreters, compilers, servers) working; the namespaces,
// the dropped capabilities and no_new_privs carry the rest of the isolation. Denied calls fail with
// EPERM so programs see an ordinary error; clone3 fails with ENOSYS so libc falls back to clone,
// whose flags argument (unlike clone3's struct) the filter can inspect.

import { BPF, type BpfInstruction, encodeProgram, jump, SECCOMP_DATA, SECCOMP_RET, stmt } from './bpf.js';
import { AUDIT_ARCH, type SeccompArch, SYSCALLS, X32_SYSCALL_BIT } from './syscalls.js';

export const EPERM = 1;
export const ENOSYS = 38;

/** Why each call is refused; the names double as documentation (docs/sandbox.md lists them). */
export const DENIED_SYSCALLS: Readonly<Record<string, string>> = {
  ptrace: 'inspect or control another process',
  process_vm_readv: 'read another process’s memory',
  process_vm_writev: 'write another process’s memory',
  kcmp: 'compare kernel objects of other processes',
  pidfd_getfd: 'steal a file descriptor from another process',
  mount: 'change the mount table',
  umount2: 'change the mount table',
  pivot_root: 'change the root',
  chroot: 'change the root',
  open_tree: 'new mount API',
  move_mount: 'new mount API',
  fsopen: 'new mount API',
  fsconfig: 'new mount API',
  fsmount: 'new mount API',
  fspick: 'new mount API',
  mount_setattr: 'new mount API',
  unshare: 'new namespaces',
  setns: 'enter other namespaces',
  keyctl: 'kernel keyrings (not namespaced)',
  add_key: 'kernel keyrings (not namespaced)',
  request_key: 'kernel keyrings (not namespaced)',
  bpf: 'load eBPF programs',
  perf_event_open: 'performance counters (side channels, kernel attack surface)',
  userfaultfd: 'stall the kernel to widen race windows',
  io_uring_setup: 'io_uring bypasses seccomp for the operations it performs',
  io_uring_enter: 'io_uring bypasses seccomp for the operations it performs',
  io_uring_register: 'io_uring bypasses seccomp for the operations it performs',
  kexec_load: 'load a new kernel',
  kexec_file_load: 'load a new kernel',
  init_module: 'load kernel modules',
  finit_module: 'load kernel modules',
  delete_module: 'unload kernel modules',
  create_module: 'obsolete module call',
  get_kernel_syms: 'obsolete module call',
  query_module: 'obsolete module call',
  reboot: 'reboot the machine',
  swapon: 'change swap',
  swapoff: 'change swap',
  acct: 'process accounting',
  open_by_handle_at: 'open host files by handle, bypassing the mount namespace',
  name_to_handle_at: 'file handles (pairs with open_by_handle_at)',
  lookup_dcookie: 'kernel profiling internals',
  quotactl: 'disk quotas',
  quotactl_fd: 'disk quotas',
  syslog: 'read the kernel log',
  vhangup: 'hang up the terminal',
  iopl: 'raw I/O port access',
  ioperm: 'raw I/O port access',
  uselib: 'obsolete loader call',
  ustat: 'obsolete',
  sysfs: 'obsolete',
  _sysctl: 'obsolete',
  nfsservctl: 'obsolete',
  fanotify_init: 'watch the whole filesystem',
  settimeofday: 'set the clock',
  clock_settime: 'set the clock',
  clock_adjtime: 'set the clock',
  adjtimex: 'set the clock',
};

/** Namespace flags in clone's first argument: CLONE_NEWNS, NEWCGROUP, NEWUTS, NEWIPC, NEWUSER, NEWPID, NEWNET. */
export const CLONE_NAMESPACE_FLAGS =
  0x00020000 | 0x02000000 | 0x04000000 | 0x08000000 | 0x10000000 | 0x20000000 | 0x40000000;

/** ioctl requests that push input into the controlling terminal or poke the console. */
export const DENIED_IOCTLS = { TIOCSTI: 0x5412, TIOCLINUX: 0x541c } as const;

/** personality() values that change nothing security-relevant (PER_LINUX, PER_LINUX32, UNAME26 variants, query). */
export const ALLOWED_PERSONALITIES = [0x0, 0x8, 0x20000, 0x20008, 0xffffffff] as const;

const retErrno = (errno: number) => stmt(BPF.RET_K, SECCOMP_RET.ERRNO | errno);
const retAllow = () => stmt(BPF.RET_K, SECCOMP_RET.ALLOW);

/** Builds the filter for one architecture. Throws on an architecture it has no table for. */
export function buildSeccompProgram(arch: SeccompArch): BpfInstruction[] {
  const table = SYSCALLS[arch];
  const nr = (name: string): number => {
    const n = table[name];
    if (n === undefined) throw new Error(`no syscall number for ${name} on ${arch}`);
    return n;
  };
  const p: BpfInstruction[] = [];
  // A syscall made through another ABI (i386 int 0x80 on x86_64, arm32 compat) has another table: kill it.
  p.push(stmt(BPF.LD_W_ABS, SECCOMP_DATA.arch));
  p.push(jump(BPF.JMP_JEQ_K, AUDIT_ARCH[arch], 1, 0));
  p.push(stmt(BPF.RET_K, SECCOMP_RET.KILL_PROCESS));
  p.push(stmt(BPF.LD_W_ABS, SECCOMP_DATA.nr));
  if (arch === 'x86_64') {
    p.push(jump(BPF.JMP_JGE_K, X32_SYSCALL_BIT, 0, 1));
    p.push(retErrno(ENOSYS));
  }
  for (const name of Object.keys(DENIED_SYSCALLS)) {
    const n = table[name];
    if (n === undefined) continue; // not on this architecture
    p.push(jump(BPF.JMP_JEQ_K, n, 0, 1));
    p.push(retErrno(EPERM));
  }
  p.push(jump(BPF.JMP_JEQ_K, nr('clone3'), 0, 1));
  p.push(retErrno(ENOSYS));

  // Argument checks: each block starts with "is it this call?"; inside, every path returns.
  const cloneBlock = [
    stmt(BPF.LD_W_ABS, SECCOMP_DATA.argLow(0)),
    jump(BPF.JMP_JSET_K, CLONE_NAMESPACE_FLAGS, 0, 1),
    retErrno(EPERM),
    retAllow(),
  ];
  const ioctlBlock = [stmt(BPF.LD_W_ABS, SECCOMP_DATA.argLow(1))];
  const ioctls = Object.values(DENIED_IOCTLS);
  for (const req of ioctls) ioctlBlock.push(jump(BPF.JMP_JEQ_K, req, 0, 1), retErrno(EPERM));
  ioctlBlock.push(retAllow());
  const personalityBlock = [stmt(BPF.LD_W_ABS, SECCOMP_DATA.argLow(0))];
  ALLOWED_PERSONALITIES.forEach((v, i) => {
    // Jump to the trailing allow when it matches.
    personalityBlock.push(jump(BPF.JMP_JEQ_K, v, ALLOWED_PERSONALITIES.length - i, 0));
  });
  personalityBlock.push(retErrno(EPERM), retAllow());

  for (const [name, block] of [
    ['clone', cloneBlock],
    ['ioctl', ioctlBlock],
    ['personality', personalityBlock],
  ] as const) {
    p.push(jump(BPF.JMP_JEQ_K, nr(name), 0, block.length));
    p.push(...block);
  }
  p.push(retAllow());
  return p;
}

const cache = new Map<SeccompArch, Buffer>();

/** The encoded filter for bwrap --seccomp (cached per architecture). */
export function seccompFilterBytes(arch: SeccompArch): Buffer {
  let bytes = cache.get(arch);
  if (!bytes) {
    bytes = encodeProgram(buildSeccompProgram(arch));
    cache.set(arch, bytes);
  }
  return bytes;
}
