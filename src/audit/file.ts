// The writer's contact with the filesystem: the append handle (injectable, so tests can make a
// disk fail), and what it learns from a log that already exists.

import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { dirname } from 'node:path';
import { checkLogTail, verifyAuditLog } from './verify.js';

/** The file operations the writer needs: injectable so tests can simulate a full or failing disk. */
export interface AuditFile {
  /** Appends; resolves to the number of bytes written (may be fewer than given). */
  write(data: Buffer): Promise<number>;
  sync(): Promise<void>;
  truncate(length: number): Promise<void>;
  size(): Promise<number>;
  close(): Promise<void>;
}

/** Where the chain stands: what the next entry links to. */
export interface ChainState {
  seq: number;
  digest: string;
  hash: string;
  /** Decision records in this chain. */
  count: number;
  sinceCheckpoint: number;
  /** Bytes in the file: where to cut back to after a failed write. */
  size: number;
  lastWasFinalCheckpoint: boolean;
}

export async function openAppendFile(file: string): Promise<AuditFile> {
  const handle = await open(file, 'a', 0o600);
  return {
    write: async (data) => (await handle.write(data, 0, data.length, null)).bytesWritten,
    sync: () => handle.datasync(),
    truncate: (length) => handle.truncate(length),
    size: async () => (await handle.stat()).size,
    close: () => handle.close(),
  };
}

/** Makes the new file's directory entry durable too; best effort where directories cannot be synced. */
export async function syncDirectory(file: string): Promise<void> {
  try {
    const dir = await open(dirname(file), 'r');
    try {
      await dir.sync();
    } finally {
      await dir.close();
    }
  } catch {
    // some filesystems refuse fsync on directories
  }
}

/** SHA-256 of the file's bytes followed by `suffix`, streamed. */
export async function sha256OfFile(file: string, suffix: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.update(suffix).digest('hex');
}

export type ExistingCheck = { ok: true; state: Omit<ChainState, 'size'> } | { ok: false; messages: string[] };

export async function checkExisting(
  file: string,
  size: number,
  mode: 'tail' | 'full',
): Promise<ExistingCheck> {
  if (mode === 'full') {
    const result = await verifyAuditLog(file);
    if (!result.ok)
      return { ok: false, messages: result.problems.map((p) => `line ${p.line}: ${p.kind}: ${p.message}`) };
  }
  const tail = await checkLogTail(file, size);
  if (!tail.ok)
    return { ok: false, messages: tail.problems.map((p) => `line ${p.line}: ${p.kind}: ${p.message}`) };
  const t = tail.tail;
  return {
    ok: true,
    state: {
      seq: t.seq,
      digest: t.digest,
      hash: t.hash,
      count: t.count ?? 0,
      sinceCheckpoint: t.sinceCheckpoint,
      lastWasFinalCheckpoint: t.entry.type === 'checkpoint' && t.entry.final,
    },
  };
}

export async function endsWithoutNewline(file: string, size: number): Promise<boolean> {
  const handle = await open(file, 'r');
  try {
    const buf = Buffer.alloc(1);
    await handle.read(buf, 0, 1, size - 1);
    return buf[0] !== 0x0a;
  } finally {
    await handle.close();
  }
}
