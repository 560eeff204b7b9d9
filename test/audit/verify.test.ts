// Every kind of tampering, and which mechanism catches it: the hash chain (any in-place edit,
// deletion, reordering, insertion that leaves the rest alone) or the checkpoint signature (a
// forger who recomputes every hash and link after the change).
import { statSync, writeFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { type AuditEntry, encodeEntry, sha256Hex } from '../../src/audit/format.js';
import { verifyAuditLog } from '../../src/audit/index.js';
import { checkLogTail } from '../../src/audit/verify.js';
import { generateLog, keyPair, readLines, tempLog, writeLines, writeLog } from './helpers.js';

const keys = keyPair();
let pristine: string[] = [];

/** 20 records, a checkpoint every 5, closed: header, 4 × (5 records + checkpoint), closing checkpoint. */
beforeAll(async () => {
  const file = tempLog();
  await writeLog(file, 20, { signingKey: keys.privateKey, checkpointEvery: 5 });
  pristine = readLines(file);
});

async function verifyLines(lines: string[], options: { trusted?: boolean; raw?: string } = {}) {
  const file = tempLog();
  if (options.raw !== undefined) writeFileSync(file, options.raw);
  else writeLines(file, lines);
  return verifyAuditLog(file, options.trusted === false ? {} : { publicKey: keys.publicKey });
}

const entryOf = (line: string): AuditEntry & { hash?: string } => JSON.parse(line);
const brief = (r: Awaited<ReturnType<typeof verifyAuditLog>>) =>
  r.problems.map((p) => ({ line: p.line, seq: p.seq, kind: p.kind }));

/** What a forger without the key can do: recompute seq, prev, covers, count and hash from `from` on. */
function rewriteFrom(lines: string[], from: number): string[] {
  const out = lines.slice(0, from);
  let count = out.filter((l) => entryOf(l).type === 'decision').length;
  for (let i = from; i < lines.length; i++) {
    const { hash: _h, ...entry } = entryOf(lines[i]!) as AuditEntry & { hash: string };
    const before = entryOf(out[i - 1]!);
    entry.seq = before.seq + 1;
    entry.prev = sha256Hex(out[i - 1]!);
    if (entry.type === 'decision') count++;
    if (entry.type === 'checkpoint') {
      entry.covers = { seq: before.seq, hash: before.hash! };
      entry.count = count;
    }
    out.push(encodeEntry(entry as AuditEntry).line);
  }
  return out;
}

describe('verifyAuditLog', () => {
  it('passes an intact, closed log and says what it proves', async () => {
    const r = await verifyLines(pristine);
    expect(r.problems).toEqual([]);
    expect(r).toMatchObject({
      ok: true,
      records: 20,
      checkpoints: 5,
      validCheckpoints: 5,
      closed: true,
      unproven: 0,
    });
    expect(r.lastCheckpoint).toMatchObject({ line: pristine.length, final: true, count: 20 });
    expect(r.notes).toEqual([]);
  });

  it('edit of a field: caught by the record hash, at that line', async () => {
    const lines = [...pristine];
    lines[2] = lines[2]!.replace('"reason":"reason 2"', '"reason":"reason two"');
    expect(lines[2]).not.toBe(pristine[2]);
    expect(brief(await verifyLines(lines))).toEqual([{ line: 3, seq: 3, kind: 'edited' }]);
  });

  it('deletion of a middle line: caught by the chain (seq gap), at the line after the hole', async () => {
    const lines = pristine.filter((_, i) => i !== 3);
    const r = await verifyLines(lines);
    expect(brief(r)).toEqual([{ line: 4, seq: 4, kind: 'deleted' }]);
    expect(r.problems[0]!.message).toMatch(/seq 4 missing/);
  });

  it('deletion of the record a checkpoint covers: one problem, not one per later checkpoint', async () => {
    const lines = pristine.filter((_, i) => i !== 5); // seq 6, just before the checkpoint seq 7
    expect(brief(await verifyLines(lines))).toEqual([{ line: 6, seq: 6, kind: 'deleted' }]);
  });

  it('a record swapped with the checkpoint after it: reordered only', async () => {
    const lines = [...pristine];
    [lines[5], lines[6]] = [lines[6]!, lines[5]!];
    expect(brief(await verifyLines(lines))).toEqual([{ line: 7, seq: 6, kind: 'reordered' }]);
  });

  it('deletion of several lines', async () => {
    const lines = pristine.filter((_, i) => i < 8 || i > 10);
    expect(brief(await verifyLines(lines))).toEqual([{ line: 9, seq: 9, kind: 'deleted' }]);
  });

  it('two lines swapped: caught by the chain, reported as reordered', async () => {
    const lines = [...pristine];
    [lines[2], lines[3]] = [lines[3]!, lines[2]!];
    const r = await verifyLines(lines);
    expect(brief(r)).toEqual([{ line: 4, seq: 3, kind: 'reordered' }]);
  });

  it('a line moved far away is reordered, not deleted', async () => {
    const lines = [...pristine];
    const [moved] = lines.splice(2, 1);
    lines.splice(12, 0, moved!);
    expect(brief(await verifyLines(lines)).map((p) => p.kind)).toEqual(['reordered']);
  });

  it('a line moved up: one reordered problem for the records it jumped', async () => {
    const lines = [...pristine];
    const [moved] = lines.splice(9, 1); // seq 10
    lines.splice(3, 0, moved!);
    const r = await verifyLines(lines);
    expect(brief(r)).toEqual([{ line: 5, seq: 4, kind: 'reordered' }]);
    expect(r.problems[0]!.message).toBe('seq 4–9 come after seq 10 (line 4): records were moved');
  });

  it('tail cut mid-record: truncated', async () => {
    const raw = `${pristine.join('\n')}\n`;
    const r = await verifyLines([], { raw: raw.slice(0, raw.length - 30) });
    expect(brief(r)).toEqual([{ line: pristine.length, seq: undefined, kind: 'truncated' }]);
  });

  it('whole lines cut from the tail: cannot be proven, and the report says so', async () => {
    const lines = pristine.slice(0, -4); // closing + last checkpoint and two records
    const r = await verifyLines(lines);
    expect(r.ok).toBe(true);
    expect(r.closed).toBe(false);
    expect(r.unproven).toBe(3);
    expect(r.notes.join('\n')).toMatch(
      /3 record\(s\) after the last valid checkpoint .* not covered by a signature/,
    );
    expect(r.notes.join('\n')).toMatch(/does not end with a closing checkpoint/);
  });

  it('whole lines cut from the tail of a log expected closed: truncated', async () => {
    const file = tempLog();
    writeLines(file, pristine.slice(0, -4));
    const r = await verifyAuditLog(file, { publicKey: keys.publicKey, requireClosed: true });
    expect(brief(r)).toEqual([{ line: pristine.length - 4, seq: pristine.length - 4, kind: 'truncated' }]);
  });

  it('forged record inserted with a recomputed hash, rest left alone: caught by the chain', async () => {
    const lines = [...pristine];
    const { hash: _h, ...forged } = entryOf(lines[3]!) as AuditEntry & { hash: string };
    Object.assign(forged, { tool: 'delete_everything', decision: 'allow', reason: 'approved' });
    lines.splice(3, 0, encodeEntry(forged as AuditEntry).line); // same seq and prev as the genuine line 4
    const r = await verifyLines(lines);
    expect(brief(r)).toEqual([{ line: 4, seq: 4, kind: 'inserted' }]);
  });

  it('forged record inserted and every later line rewritten: caught by the checkpoint signature', async () => {
    const lines = [...pristine];
    const { hash: _h, ...forged } = entryOf(lines[3]!) as AuditEntry & { hash: string };
    Object.assign(forged, { tool: 'delete_everything', decision: 'allow' });
    lines.splice(3, 0, encodeEntry(forged as AuditEntry).line);
    const r = await verifyLines(rewriteFrom(lines, 4));
    expect(r.ok).toBe(false);
    // the chain is consistent again; only the signatures (which cover prev) give it away
    expect(new Set(r.problems.map((p) => p.kind))).toEqual(new Set(['bad-signature']));
    expect(r.problems[0]).toMatchObject({ line: 8, kind: 'bad-signature' });
    expect(r.problems[0]!.message).toMatch(/rewritten/);
  });

  it('a record replaced in place with a recomputed hash: caught by the chain, attributed to the replaced line', async () => {
    const lines = [...pristine];
    const { hash: _h, ...forged } = entryOf(lines[4]!) as AuditEntry & { hash: string };
    Object.assign(forged, { decision: 'require-approval' });
    lines[4] = encodeEntry(forged as AuditEntry).line;
    expect(brief(await verifyLines(lines))).toEqual([{ line: 5, seq: 5, kind: 'edited' }]);
  });

  it('a deletion hidden by rewriting the chain: caught by the checkpoint signature', async () => {
    const lines = pristine.filter((_, i) => i !== 3);
    const r = await verifyLines(rewriteFrom(lines, 3));
    expect(r.problems[0]).toMatchObject({ kind: 'bad-signature' });
  });

  it('a forgery in the unsigned tail of a log that was not closed goes unproven, and says so', async () => {
    const lines = pristine.slice(0, -2); // no closing checkpoint: the writer "is still running"
    const open = lines.slice(0, -5);
    const r = await verifyLines(rewriteFrom([...open, lines.at(-4)!], open.length));
    expect(r.ok).toBe(true);
    expect(r.unproven).toBeGreaterThan(0);
    expect(r.notes.join('\n')).toMatch(/not covered by a signature/);
  });

  it('a line copied in place: inserted, at the copy', async () => {
    const lines = [...pristine];
    lines.splice(5, 0, lines[4]!);
    const r = await verifyLines(lines);
    expect(brief(r)).toEqual([{ line: 6, seq: 5, kind: 'inserted' }]);
    expect(r.problems[0]!.message).toMatch(/copy of the line before it/);
  });

  it('malformed lines', async () => {
    const lines = [...pristine];
    lines.splice(5, 0, 'this is not json');
    lines[9] = '{"hash":"zz"}';
    const r = await verifyLines(lines);
    expect(brief(r)).toEqual([
      { line: 6, seq: undefined, kind: 'malformed' },
      { line: 10, seq: undefined, kind: 'malformed' },
    ]);
  });

  it('checkpoints signed by a key other than the trusted one: bad-signature', async () => {
    const file = tempLog();
    writeLines(file, pristine);
    const r = await verifyAuditLog(file, { publicKey: keyPair().publicKey });
    expect(r.problems.map((p) => p.kind)).toEqual(Array(5).fill('bad-signature'));
    expect(r.problems[0]!.message).toMatch(/not a trusted key/);
  });

  it('a checkpoint whose signature was altered (hash recomputed): bad-signature', async () => {
    const lines = [...pristine];
    const { hash: _h, ...cp } = entryOf(lines[6]!) as AuditEntry & { hash: string };
    expect(cp.type).toBe('checkpoint');
    const sig = Buffer.from((cp as { signature: string }).signature, 'base64');
    sig[0]! ^= 1;
    (cp as { signature: string }).signature = sig.toString('base64');
    lines[6] = encodeEntry(cp as AuditEntry).line;
    const r = await verifyLines(rewriteFrom(lines, 7));
    expect(brief(r)).toContainEqual({ line: 7, seq: 7, kind: 'bad-signature' });
  });

  it('without a trusted key, checks the embedded key and says so', async () => {
    const r = await verifyLines(pristine, { trusted: false });
    expect(r.ok).toBe(true);
    expect(r.trustedKeys).toBe(false);
    expect(r.notes.join('\n')).toMatch(/pass --pub/);
  });

  it('another log spliced in: inserted', async () => {
    const file = tempLog();
    await writeLog(file, 2);
    const other = readLines(file);
    const lines = [...pristine.slice(0, 4), ...other, ...pristine.slice(4)];
    const kinds = brief(await verifyLines(lines)).map((p) => p.kind);
    expect(kinds[0]).toBe('inserted');
  });

  it('a log whose beginning was cut', async () => {
    const r = await verifyLines(pristine.slice(3));
    expect(brief(r)[0]).toMatchObject({ line: 1, kind: 'deleted' });
  });

  it('an empty file and a file of noise are not intact', async () => {
    expect(brief(await verifyLines([], { raw: '' }))).toEqual([
      { line: 1, seq: undefined, kind: 'truncated' },
    ]);
    const noise = await verifyLines([], { raw: `${'\u0000'.repeat(100)}\n${'x'.repeat(2_000_000)}\n\n` });
    expect(noise.ok).toBe(false);
    expect(noise.problems.length).toBe(3);
  });

  it('a log without a signing key: the chain alone, with its limits stated', async () => {
    const file = tempLog();
    await writeLog(file, 3);
    const r = await verifyAuditLog(file);
    expect(r.ok).toBe(true);
    expect(r.notes[0]).toMatch(/no signed checkpoints/);
  });

  it('reports a missing file as an input error with its path', async () => {
    await expect(verifyAuditLog('/nonexistent/audit.log')).rejects.toMatchObject({
      code: 'INPUT_NOT_FOUND',
      location: { file: '/nonexistent/audit.log' },
    });
  });
});

describe('verifyAuditLog against random tampering', () => {
  // A signed, closed log checked with --require-closed: every change to it must be caught.
  it('catches every one of 300 random edits, deletions, moves, copies and cuts', async () => {
    let seed = 12345;
    const random = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    const file = tempLog();
    for (let round = 0; round < 300; round++) {
      const lines = [...pristine];
      const op = round % 5;
      const i = random(lines.length);
      let j = random(lines.length - 1);
      if (j >= i) j++;
      if (op === 0) lines.splice(i, 1);
      else if (op === 1) [lines[i], lines[j]] = [lines[j]!, lines[i]!];
      else if (op === 2) lines.splice(j, 0, lines[i]!);
      else if (op === 3) {
        const line = lines[i]!;
        const at = random(line.length);
        const replacement = line[at] === 'a' ? 'b' : 'a';
        lines[i] = line.slice(0, at) + replacement + line.slice(at + 1);
      } else lines.splice(lines.length - 1 - random(3), 3);
      writeLines(file, lines);
      const r = await verifyAuditLog(file, { publicKey: keys.publicKey, requireClosed: true });
      expect(r.ok, `round ${round}, op ${op}, lines ${i}/${j}`).toBe(false);
    }
  });
});

describe('verifyAuditLog at scale', () => {
  // The 100k-record log under a small heap limit is in cli.test.ts (a child process can cap its heap).
  it('verifies a 10k-record log and finds one edit in it', { timeout: 120_000 }, async () => {
    const file = tempLog();
    generateLog(file, 10_000, keys.privateKey, 100);
    const r = await verifyAuditLog(file, { publicKey: keys.publicKey });
    expect(r.problems).toEqual([]);
    expect(r).toMatchObject({ ok: true, records: 10_000, checkpoints: 101, closed: true, unproven: 0 });
    const lines = readLines(file);
    lines[7776] = lines[7776]!.replace('"reason":"reason', '"reason":"season');
    writeLines(file, lines);
    expect(brief(await verifyAuditLog(file, { publicKey: keys.publicKey }))).toEqual([
      { line: 7777, seq: 7777, kind: 'edited' },
    ]);
  });

  it("the writer's tail check reads only the end of a large log, and falls back to the whole file to count", async () => {
    const file = tempLog();
    generateLog(file, 3000, keys.privateKey, 100);
    const size = statSync(file).size;
    const tail = await checkLogTail(file, size, 16 * 1024);
    expect(tail.ok).toBe(true);
    if (tail.ok) expect(tail.tail).toMatchObject({ seq: 3000 + 30 + 1 + 1, count: 3000, sinceCheckpoint: 0 });
    const lines = readLines(file);
    const near = lines.length - 5;
    const far = 10;
    lines[near] = lines[near]!.replace('"reason":"reason', '"reason":"treason');
    writeLines(file, lines);
    expect((await checkLogTail(file, statSync(file).size, 16 * 1024)).ok).toBe(false);
    lines[near] = readLines(file)[near]!.replace('"reason":"treason', '"reason":"reason');
    lines[far] = lines[far]!.replace('"reason":"reason', '"reason":"treason');
    writeLines(file, lines);
    // outside the window: not the tail check's business (verifyOnOpen: 'full' and verify are)
    expect((await checkLogTail(file, statSync(file).size, 16 * 1024)).ok).toBe(true);

    const unsigned = tempLog();
    await writeLog(unsigned, 300);
    const counted = await checkLogTail(unsigned, statSync(unsigned).size, 4 * 1024);
    expect(counted.ok && counted.tail.count).toBe(300);
  });
});
