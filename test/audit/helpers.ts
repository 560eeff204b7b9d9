// Shared helpers for the audit tests: temporary logs, keys, and line-level tampering.
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { appendFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { JsonValue } from '../../src/audit/canonical.js';
import {
  auditKeyId,
  type CheckpointEntry,
  type DecisionEntry,
  encodeEntry,
  GENESIS,
  rawPublicKey,
  type SegmentEntry,
  signCheckpoint,
} from '../../src/audit/format.js';
import {
  type AuditFile,
  AuditLog,
  type AuditLogOptions,
  type AuditRecordInput,
} from '../../src/audit/index.js';

export function tempLog(name = 'audit.log'): string {
  return join(mkdtempSync(join(tmpdir(), 'pc-audit-')), name);
}

export function keyPair(): { privateKey: KeyObject; publicKey: KeyObject } {
  return generateKeyPairSync('ed25519');
}

export function decision(i: number, extra: Partial<AuditRecordInput> = {}): AuditRecordInput {
  return {
    server: 'mail',
    tool: i % 3 === 0 ? 'send_email' : 'read_inbox',
    method: 'tools/call',
    args: { to: `user${i}@example.com`, n: i },
    labels: ['untrusted'],
    rule: i % 3 === 0 ? 'rule-of-two' : 'default',
    decision: i % 3 === 0 ? 'deny' : 'allow',
    reason: `reason ${i}`,
    ...extra,
  };
}

/** Writes `n` decisions (sequentially) and closes the log. */
export async function writeLog(file: string, n: number, options: AuditLogOptions = {}): Promise<void> {
  const log = await AuditLog.open(file, options);
  for (let i = 1; i <= n; i++) await log.append(decision(i));
  await log.close();
}

export function readLines(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return text.endsWith('\n') ? text.slice(0, -1).split('\n') : text.split('\n');
}

export function writeLines(file: string, lines: string[]): void {
  writeFileSync(file, `${lines.join('\n')}\n`);
}

/** Index (0-based) of the first line whose JSON has the given seq and type. */
export function lineOf(lines: string[], seq: number): number {
  return lines.findIndex((l) => JSON.parse(l).seq === seq);
}

/** An AuditFile over a real file whose operations a test can make fail. */
export interface FaultyFile extends AuditFile {
  failWrite?: (data: Buffer) => { code: string; partial?: number } | undefined;
  failSync?: string;
  failTruncate?: string;
  fd: number;
}

export async function faultyFile(file: string): Promise<FaultyFile> {
  const handle = await open(file, 'a', 0o600);
  const f: FaultyFile = {
    fd: handle.fd,
    async write(data) {
      const fault = f.failWrite?.(data);
      if (fault) {
        if (fault.partial) {
          f.failWrite = undefined;
          const { bytesWritten } = await handle.write(data, 0, fault.partial, null);
          f.failWrite = () => ({ code: fault.code });
          return bytesWritten;
        }
        throw Object.assign(new Error(`simulated ${fault.code}`), { code: fault.code });
      }
      return (await handle.write(data, 0, data.length, null)).bytesWritten;
    },
    async sync() {
      if (f.failSync) throw Object.assign(new Error(`simulated ${f.failSync}`), { code: f.failSync });
      await handle.datasync();
    },
    async truncate(length) {
      if (f.failTruncate)
        throw Object.assign(new Error(`simulated ${f.failTruncate}`), { code: f.failTruncate });
      await handle.truncate(length);
    },
    size: async () => (await handle.stat()).size,
    close: () => handle.close(),
  };
  return f;
}

/**
 * Writes a valid signed log of `n` decisions straight through the format functions (no fsync per
 * batch): a fast way to make large logs on a shared machine. Same bytes the writer would produce.
 */
export function generateLog(file: string, n: number, signingKey: KeyObject, checkpointEvery = 1000): void {
  const session = 'generated';
  const keyId = auditKeyId(signingKey);
  const publicKey = rawPublicKey(signingKey).toString('base64');
  const time = '2026-01-01T00:00:00.000Z';
  const header: SegmentEntry = {
    type: 'segment',
    version: 1,
    seq: 1,
    time,
    prev: GENESIS,
    reason: 'new',
    session,
  };
  let last = encodeEntry(header);
  let seq = 1;
  let count = 0;
  let chunk: string[] = [last.line];
  writeFileSync(file, '');
  const flush = () => {
    appendFileSync(file, `${chunk.join('\n')}\n`);
    chunk = [];
  };
  const checkpoint = (final: boolean) => {
    const unsigned: Omit<CheckpointEntry, 'signature'> = {
      type: 'checkpoint',
      seq: ++seq,
      time,
      prev: last.digest,
      covers: { seq: seq - 1, hash: last.hash },
      count,
      keyId,
      publicKey,
      final,
    };
    last = encodeEntry({ ...unsigned, signature: signCheckpoint(unsigned, signingKey) });
    chunk.push(last.line);
  };
  for (let i = 1; i <= n; i++) {
    const d = decision(i);
    const entry: DecisionEntry = {
      type: 'decision',
      seq: ++seq,
      time,
      prev: last.digest,
      id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
      session,
      server: d.server,
      tool: d.tool,
      method: d.method,
      args: d.args as JsonValue,
      labels: [...(d.labels ?? [])],
      rule: d.rule ?? '',
      decision: d.decision,
      reason: `${d.reason} ${'·'.repeat(100)}`,
    };
    last = encodeEntry(entry);
    chunk.push(last.line);
    count++;
    if (count % checkpointEvery === 0) checkpoint(false);
    if (chunk.length >= 5000) flush();
  }
  checkpoint(true);
  flush();
}
