// Streaming line reader: constant memory however large the log, bounded per line however hostile
// the file. Also keeps a running SHA-256 of the bytes before each line, which a forced new chain
// is checked against.

import { createHash, type Hash } from 'node:crypto';
import { open } from 'node:fs/promises';
import { MAX_LINE_BYTES } from './format.js';

const CHUNK_BYTES = 64 * 1024;

export interface RawLine {
  /** 1-based line number. */
  line: number;
  /** Byte offset of the line's first byte. */
  offset: number;
  /** The line without its newline; empty when `tooLong`. */
  bytes: Buffer;
  /** False for a last line with no newline after it. */
  terminated: boolean;
  /** The line exceeded the cap; its content was skipped. */
  tooLong: boolean;
  /** Length of the line in bytes (without newline), also when too long. */
  length: number;
}

export interface LineReaderOptions {
  /** Byte offset to start at. */
  start?: number;
  /** Byte offset to stop at: a live log keeps growing, a check covers what was there when it began. */
  end?: number;
  maxLineBytes?: number;
  /** Updated with every byte before the line being yielded (for prefix digests). */
  prefixHash?: Hash;
}

/** Yields the lines of `file` in order. Opening errors propagate (ENOENT, EACCES, EISDIR). */
export async function* readLines(file: string, options: LineReaderOptions = {}): AsyncGenerator<RawLine> {
  const maxLine = options.maxLineBytes ?? MAX_LINE_BYTES;
  const hash = options.prefixHash;
  const handle = await open(file, 'r');
  try {
    const chunk = Buffer.allocUnsafe(CHUNK_BYTES);
    let position = options.start ?? 0;
    let parts: Buffer[] = [];
    let partsLength = 0;
    let skipping = false; // inside a line longer than the cap
    let lineStart = position;
    let lineNo = 0;
    for (;;) {
      const want = options.end === undefined ? CHUNK_BYTES : Math.min(CHUNK_BYTES, options.end - position);
      if (want <= 0) break;
      const { bytesRead } = await handle.read(chunk, 0, want, position);
      if (bytesRead === 0) break;
      position += bytesRead;
      let from = 0;
      while (from < bytesRead) {
        const nl = chunk.indexOf(0x0a, from);
        const end = nl < 0 || nl >= bytesRead ? bytesRead : nl;
        const piece = chunk.subarray(from, end);
        if (!skipping) {
          if (partsLength + piece.length > maxLine) {
            skipping = true;
            hash?.update(Buffer.concat(parts, partsLength));
            parts = [];
          } else parts.push(Buffer.from(piece));
        }
        if (skipping) hash?.update(piece);
        partsLength += piece.length;
        if (end === bytesRead) break;
        lineNo++;
        const bytes = skipping ? Buffer.alloc(0) : Buffer.concat(parts, partsLength);
        yield {
          line: lineNo,
          offset: lineStart,
          bytes,
          terminated: true,
          tooLong: skipping,
          length: partsLength,
        };
        if (skipping) hash?.update('\n');
        else hash?.update(bytes).update('\n');
        lineStart += partsLength + 1;
        parts = [];
        partsLength = 0;
        skipping = false;
        from = end + 1;
      }
    }
    if (partsLength > 0) {
      lineNo++;
      const bytes = skipping ? Buffer.alloc(0) : Buffer.concat(parts, partsLength);
      yield {
        line: lineNo,
        offset: lineStart,
        bytes,
        terminated: false,
        tooLong: skipping,
        length: partsLength,
      };
    }
  } finally {
    await handle.close();
  }
}

export function newPrefixHash(): Hash {
  return createHash('sha256');
}
