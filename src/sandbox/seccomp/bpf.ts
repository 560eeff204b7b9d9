// Classic BPF as the kernel's seccomp accepts it: encoding (struct sock_filter, host byte order) and a
// small interpreter so the generated program can be checked in tests without loading it.

export interface BpfInstruction {
  code: number;
  jt: number;
  jf: number;
  k: number;
}

// Opcode pieces (linux/filter.h).
export const BPF = {
  LD_W_ABS: 0x00 | 0x00 | 0x20,
  JMP_JA: 0x05 | 0x00,
  JMP_JEQ_K: 0x05 | 0x10 | 0x00,
  JMP_JGE_K: 0x05 | 0x30 | 0x00,
  JMP_JSET_K: 0x05 | 0x40 | 0x00,
  ALU_AND_K: 0x04 | 0x50 | 0x00,
  RET_K: 0x06 | 0x00,
} as const;

// seccomp return actions (linux/seccomp.h).
export const SECCOMP_RET = {
  KILL_PROCESS: 0x80000000,
  TRAP: 0x00030000,
  ERRNO: 0x00050000,
  ALLOW: 0x7fff0000,
} as const;

/** The kernel refuses longer programs (BPF_MAXINSNS). */
export const BPF_MAX_INSNS = 4096;

/** Offsets into struct seccomp_data. */
export const SECCOMP_DATA = {
  nr: 0,
  arch: 4,
  /** Low 32 bits of argument i on a little-endian machine. */
  argLow: (i: number) => 16 + 8 * i,
  argHigh: (i: number) => 16 + 8 * i + 4,
} as const;

export const stmt = (code: number, k: number): BpfInstruction => ({ code, jt: 0, jf: 0, k: k >>> 0 });
export const jump = (code: number, k: number, jt: number, jf: number): BpfInstruction => {
  if (jt < 0 || jt > 255 || jf < 0 || jf > 255)
    throw new RangeError(`BPF jump offset out of range (${jt}, ${jf})`);
  return { code, jt, jf, k: k >>> 0 };
};

/** Serialises to the byte layout bwrap --seccomp reads (an array of struct sock_filter). */
export function encodeProgram(program: readonly BpfInstruction[]): Buffer {
  if (program.length === 0 || program.length > BPF_MAX_INSNS)
    throw new RangeError(`BPF program length ${program.length} outside 1..${BPF_MAX_INSNS}`);
  const buf = Buffer.alloc(program.length * 8);
  const le = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
  program.forEach((ins, i) => {
    const o = i * 8;
    if (le) {
      buf.writeUInt16LE(ins.code, o);
      buf.writeUInt32LE(ins.k >>> 0, o + 4);
    } else {
      buf.writeUInt16BE(ins.code, o);
      buf.writeUInt32BE(ins.k >>> 0, o + 4);
    }
    buf.writeUInt8(ins.jt, o + 2);
    buf.writeUInt8(ins.jf, o + 3);
  });
  return buf;
}

export function decodeProgram(bytes: Buffer): BpfInstruction[] {
  if (bytes.length % 8 !== 0) throw new RangeError('BPF program length is not a multiple of 8');
  const out: BpfInstruction[] = [];
  for (let o = 0; o < bytes.length; o += 8) {
    out.push({
      code: bytes.readUInt16LE(o),
      jt: bytes.readUInt8(o + 2),
      jf: bytes.readUInt8(o + 3),
      k: bytes.readUInt32LE(o + 4),
    });
  }
  return out;
}

export interface SeccompData {
  nr: number;
  arch: number;
  /** Up to six 64-bit arguments. */
  args?: readonly bigint[];
}

/**
 * Runs a seccomp program over one syscall the way the kernel would and returns the action word.
 * Supports the instruction subset the generator emits; anything else throws (a generator bug).
 */
export function interpret(program: readonly BpfInstruction[], data: SeccompData): number {
  const mem = Buffer.alloc(64);
  mem.writeInt32LE(data.nr | 0, 0);
  mem.writeUInt32LE(data.arch >>> 0, 4);
  for (const [i, a] of (data.args ?? []).slice(0, 6).entries()) {
    mem.writeBigUInt64LE(BigInt.asUintN(64, a), 16 + 8 * i);
  }
  let acc = 0;
  let pc = 0;
  // Classic BPF only jumps forward, so this loop is bounded by the program length.
  while (pc < program.length) {
    const ins = program[pc] as BpfInstruction;
    switch (ins.code) {
      case BPF.LD_W_ABS:
        if (ins.k % 4 !== 0 || ins.k + 4 > 64) throw new Error(`bad load offset ${ins.k} at ${pc}`);
        acc = mem.readUInt32LE(ins.k);
        pc += 1;
        break;
      case BPF.ALU_AND_K:
        acc = (acc & ins.k) >>> 0;
        pc += 1;
        break;
      case BPF.JMP_JA:
        pc += 1 + ins.k;
        break;
      case BPF.JMP_JEQ_K:
        pc += 1 + (acc === ins.k >>> 0 ? ins.jt : ins.jf);
        break;
      case BPF.JMP_JGE_K:
        pc += 1 + (acc >= ins.k >>> 0 ? ins.jt : ins.jf);
        break;
      case BPF.JMP_JSET_K:
        pc += 1 + ((acc & ins.k) !== 0 ? ins.jt : ins.jf);
        break;
      case BPF.RET_K:
        return ins.k >>> 0;
      default:
        throw new Error(`unsupported BPF opcode 0x${ins.code.toString(16)} at ${pc}`);
    }
  }
  throw new Error('BPF program fell off the end');
}
