import { spawn } from 'node:child_process';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sha256Hex } from '../../src/audit/format.js';
import { AuditError, AuditLog, GENESIS, lockFileFor, MASKED, verifyAuditLog } from '../../src/audit/index.js';
import { decision, faultyFile, keyPair, readLines, tempLog, writeLines, writeLog } from './helpers.js';

describe('AuditLog: records', () => {
  it('writes a header and chained, hashed, masked decision records', async () => {
    const file = tempLog();
    const log = await AuditLog.open(file, { sessionId: 'sess-1' });
    const record = await log.append({
      server: 'http',
      tool: 'fetch',
      method: 'tools/call',
      args: { url: 'https://x.example', headers: { Authorization: 'Bearer secret-value-123' }, api_key: 'k' },
      labels: ['external'],
      rule: 'hosts',
      decision: 'deny',
      reason: 'host not allowed',
      resultDigest: 'sha256:00',
    });
    await log.close();

    const lines = readLines(file);
    expect(lines).toHaveLength(2);
    const header = JSON.parse(lines[0]!);
    expect(header).toMatchObject({
      type: 'segment',
      seq: 1,
      prev: GENESIS,
      reason: 'new',
      session: 'sess-1',
      version: 1,
    });
    const written = JSON.parse(lines[1]!);
    expect(written).toEqual(record);
    expect(written).toMatchObject({
      seq: 2,
      session: 'sess-1',
      server: 'http',
      tool: 'fetch',
      decision: 'deny',
      rule: 'hosts',
      labels: ['external'],
      args: { url: 'https://x.example', headers: { Authorization: MASKED }, api_key: MASKED },
    });
    expect(written.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(Number.isNaN(Date.parse(written.time))).toBe(false);
    // prev is the SHA-256 of the previous line's exact bytes; hash covers the record without itself
    expect(written.prev).toBe(sha256Hex(lines[0]!));
    const { hash, ...body } = written;
    expect(hash).toBe(sha256Hex(`{${lines[1]!.slice(`{"hash":"${hash}",`.length)}`));
    expect(Object.keys(body)).not.toContain('hash');
    expect(readFileSync(file, 'utf8')).not.toContain('secret-value-123');
    expect((await verifyAuditLog(file)).ok).toBe(true);
    if (process.platform !== 'win32') expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  it('creates a missing directory for the log, private to the user', async () => {
    const file = join(dirname(tempLog()), 'state', 'portcullis', 'audit.log');
    await writeLog(file, 1);
    expect((await verifyAuditLog(file)).records).toBe(1);
    if (process.platform !== 'win32') expect(statSync(dirname(file)).mode & 0o777).toBe(0o700);
  });

  it('rejects a record it cannot build, and the log stays intact', async () => {
    const file = tempLog();
    const log = await AuditLog.open(file, {
      mask: () => {
        throw new Error('hook broke');
      },
    });
    const err = await log.append(decision(1)).catch((e) => e);
    expect(err).toBeInstanceOf(AuditError);
    expect(err.kind).toBe('record-invalid');
    expect(err.message).toContain('hook broke');
    const bad = await log.append({ ...decision(2), tool: 42 as unknown as string }).catch((e) => e);
    expect(bad.kind).toBe('record-invalid');
    await log.close();
    expect((await verifyAuditLog(file)).ok).toBe(true);
  });

  it('keeps the chain under concurrent appends', async () => {
    const file = tempLog();
    const { privateKey, publicKey } = keyPair();
    const log = await AuditLog.open(file, { signingKey: privateKey, checkpointEvery: 7 });
    const records = await Promise.all(Array.from({ length: 200 }, (_, i) => log.append(decision(i))));
    await log.close();
    const seqs = records.map((r) => r.seq);
    expect(new Set(seqs).size).toBe(200);
    const result = await verifyAuditLog(file, { publicKey });
    expect(result.problems).toEqual([]);
    expect(result).toMatchObject({ ok: true, records: 200, closed: true, unproven: 0 });
    expect(result.validCheckpoints).toBe(result.checkpoints);
    expect(result.checkpoints).toBe(Math.floor(200 / 7) + 1);
  });

  it('continues the chain when reopened, and checkpoints count across writers', async () => {
    const file = tempLog();
    const { privateKey, publicKey } = keyPair();
    await writeLog(file, 5, { signingKey: privateKey, checkpointEvery: 3 });
    const log = await AuditLog.open(file, { signingKey: privateKey, checkpointEvery: 3 });
    const before = readLines(file);
    const next = await log.append(decision(6));
    expect(next.seq).toBe(JSON.parse(before.at(-1)!).seq + 1);
    expect(next.prev).toBe(sha256Hex(before.at(-1)!));
    await log.append(decision(7));
    await log.close();
    const result = await verifyAuditLog(file, { publicKey });
    expect(result.problems).toEqual([]);
    expect(result).toMatchObject({ ok: true, records: 7, segments: 1, closed: true });
    const last = JSON.parse(readLines(file).at(-1)!);
    expect(last).toMatchObject({ type: 'checkpoint', final: true, count: 7 });
  });

  it('reopens a log that was not closed (a crashed writer) and continues it', async () => {
    const file = tempLog();
    const log = await AuditLog.open(file);
    await log.append(decision(1));
    // no close: simulate the process dying by dropping the lock as a dead process would leave it
    writeFileSync(
      lockFileFor(file),
      JSON.stringify({ pid: 2 ** 22 + 7, host: hostname(), nonce: 'x', since: '' }),
    );
    const again = await AuditLog.open(file);
    expect((await again.append(decision(2))).seq).toBe(3);
    await again.close();
    expect((await verifyAuditLog(file)).ok).toBe(true);
  });
});

describe('AuditLog: closing and explicit checkpoints', () => {
  it('close waits for appends already made, then signs the end', async () => {
    const file = tempLog();
    const { privateKey, publicKey } = keyPair();
    const log = await AuditLog.open(file, { signingKey: privateKey, checkpointEvery: 0 });
    const pending = Array.from({ length: 10 }, (_, i) => log.append(decision(i)));
    const closed = log.close();
    expect((await Promise.all(pending)).map((r) => r.seq)).toEqual([2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
    await closed;
    const r = await verifyAuditLog(file, { publicKey, requireClosed: true });
    expect(r).toMatchObject({ ok: true, checkpoints: 1, closed: true, records: 10 });
  });

  it('checkpoint() signs now; without a key it does nothing', async () => {
    const file = tempLog();
    const { privateKey, publicKey } = keyPair();
    const log = await AuditLog.open(file, { signingKey: privateKey, checkpointEvery: 0 });
    await log.append(decision(1));
    const cp = await log.checkpoint();
    expect(cp).toMatchObject({ type: 'checkpoint', seq: 3, count: 1, final: false, keyId: log.keyId });
    await log.append(decision(2));
    const unclosed = await verifyAuditLog(file, { publicKey });
    expect(unclosed).toMatchObject({ ok: true, unproven: 1, closed: false, lastCheckpoint: { seq: 3 } });
    await log.close();
    const plain = await AuditLog.open(tempLog());
    expect(await plain.checkpoint()).toBeUndefined();
    await plain.close();
  });

  it('refuses bad options at open', async () => {
    await expect(AuditLog.open(tempLog(), { checkpointEvery: -1 })).rejects.toMatchObject({ code: 'USAGE' });
    await expect(AuditLog.open(tempLog(), { syncIntervalMs: 0 })).rejects.toMatchObject({ code: 'USAGE' });
    await expect(AuditLog.open(tempLog(), { sync: 'never' as unknown as 'each' })).rejects.toMatchObject({
      code: 'USAGE',
    });
    await expect(AuditLog.open(tempLog(), { signingKey: 'not a key' })).rejects.toMatchObject({
      code: 'KEY_INVALID',
    });
    const { publicKey } = keyPair();
    await expect(AuditLog.open(tempLog(), { signingKey: publicKey })).rejects.toMatchObject({
      code: 'KEY_INVALID',
    });
  });
});

describe('AuditLog: one writer per file', () => {
  it('refuses a second writer in the same process', async () => {
    const file = tempLog();
    const first = await AuditLog.open(file);
    const err = await AuditLog.open(file).catch((e) => e);
    expect(err).toBeInstanceOf(AuditError);
    expect(err.kind).toBe('locked');
    await first.close();
    const second = await AuditLog.open(file);
    await second.close();
  });

  it('refuses a lock held by another live process, and takes over a dead one', async () => {
    const file = tempLog();
    const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 30000)'], { stdio: 'ignore' });
    try {
      writeFileSync(
        lockFileFor(file),
        JSON.stringify({ pid: child.pid, host: hostname(), nonce: 'n', since: 'then' }),
      );
      const err = await AuditLog.open(file).catch((e) => e);
      expect(err.kind).toBe('locked');
      expect(err.message).toContain(`process ${child.pid}`);
    } finally {
      child.kill();
    }
    await new Promise((resolve) => child.once('exit', resolve));
    const log = await AuditLog.open(file);
    await log.close();
  });

  it('never guesses that a lock from another host is stale', async () => {
    const file = tempLog();
    writeFileSync(
      lockFileFor(file),
      JSON.stringify({ pid: 1, host: 'elsewhere.invalid', nonce: 'n', since: 'then' }),
    );
    expect((await AuditLog.open(file).catch((e) => e)).kind).toBe('locked');
  });
});

describe('AuditLog: write failures reject, never drop', () => {
  it('a full disk mid-record rejects the append, removes the partial line, and recovers', async () => {
    const file = tempLog();
    const files: Awaited<ReturnType<typeof faultyFile>>[] = [];
    const log = await AuditLog.open(file, {
      openFile: async (f) => {
        const ff = await faultyFile(f);
        files.push(ff);
        return ff;
      },
    });
    await log.append(decision(1));
    const size = statSync(file).size;
    files[0]!.failWrite = () => ({ code: 'ENOSPC', partial: 10 });
    const err = await log.append(decision(2)).catch((e) => e);
    expect(err).toBeInstanceOf(AuditError);
    expect(err.kind).toBe('write-failed');
    expect(err.errno).toBe('ENOSPC');
    expect(statSync(file).size).toBe(size); // the 10 partial bytes were cut back
    files[0]!.failWrite = undefined; // space is back
    const after = await log.append(decision(3));
    expect(after.seq).toBe(3);
    await log.close();
    const result = await verifyAuditLog(file);
    expect(result.problems).toEqual([]);
    expect(result.records).toBe(2);
  });

  it('a permission error rejects every append of the batch', async () => {
    const file = tempLog();
    let ff: Awaited<ReturnType<typeof faultyFile>> | undefined;
    const log = await AuditLog.open(file, { openFile: async (f) => (ff = await faultyFile(f)) });
    ff!.failWrite = () => ({ code: 'EACCES' });
    const results = await Promise.allSettled([
      log.append(decision(1)),
      log.append(decision(2)),
      log.append(decision(3)),
    ]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected', 'rejected']);
    for (const r of results) expect((r as PromiseRejectedResult).reason.errno).toBe('EACCES');
    await log.close();
    expect((await verifyAuditLog(file)).records).toBe(0);
  });

  it('sync each: a failed fsync rejects the append and stops the writer for good', async () => {
    const file = tempLog();
    let ff: Awaited<ReturnType<typeof faultyFile>> | undefined;
    const log = await AuditLog.open(file, {
      sync: 'each',
      openFile: async (f) => (ff = await faultyFile(f)),
    });
    ff!.failSync = 'EIO';
    const err = await log.append(decision(1)).catch((e) => e);
    expect(err.kind).toBe('writer-failed');
    expect(err.errno).toBe('EIO');
    ff!.failSync = undefined;
    expect((await log.append(decision(2)).catch((e) => e)).kind).toBe('writer-failed');
    expect(log.failed).toBeDefined();
    await log.close();
  });

  it('sync write (default): records are synced within the interval, and a failed sync stops the writer', async () => {
    const file = tempLog();
    let ff: Awaited<ReturnType<typeof faultyFile>> | undefined;
    let syncs = 0;
    const log = await AuditLog.open(file, {
      syncIntervalMs: 20,
      openFile: async (f) => {
        ff = await faultyFile(f);
        const sync = ff.sync.bind(ff);
        ff.sync = async () => {
          syncs++;
          await sync();
        };
        return ff;
      },
    });
    const before = syncs;
    await Promise.all([log.append(decision(1)), log.append(decision(2))]);
    // Written (readable by anyone) before the append resolved; one deferred sync covers both.
    expect((await verifyAuditLog(file)).records).toBe(2);
    await new Promise((r) => setTimeout(r, 80));
    expect(syncs - before).toBe(1);
    ff!.failSync = 'EIO';
    await log.append(decision(3));
    await new Promise((r) => setTimeout(r, 80));
    const err = await log.append(decision(4)).catch((e) => e);
    expect(err.kind).toBe('writer-failed');
    expect(err.errno).toBe('EIO');
    await log.close().catch(() => undefined);
  });

  it('close syncs what was written', async () => {
    const file = tempLog();
    let synced = false;
    const log = await AuditLog.open(file, {
      syncIntervalMs: 60_000,
      openFile: async (f) => {
        const ff = await faultyFile(f);
        const sync = ff.sync.bind(ff);
        ff.sync = async () => {
          synced = true;
          await sync();
        };
        return ff;
      },
    });
    await log.append(decision(1));
    expect(synced).toBe(false);
    await log.close();
    expect(synced).toBe(true);
  });

  it('a partial write that cannot be cut back stops the writer, and reopening refuses the torn log', async () => {
    const file = tempLog();
    let ff: Awaited<ReturnType<typeof faultyFile>> | undefined;
    const log = await AuditLog.open(file, { openFile: async (f) => (ff = await faultyFile(f)) });
    await log.append(decision(1));
    ff!.failWrite = () => ({ code: 'EIO', partial: 20 });
    ff!.failTruncate = 'EIO';
    expect((await log.append(decision(2)).catch((e) => e)).kind).toBe('writer-failed');
    expect((await log.append(decision(3)).catch((e) => e)).kind).toBe('writer-failed');
    await log.close();
    const err = await AuditLog.open(file).catch((e) => e);
    expect(err.kind).toBe('chain-broken');
    expect(err.message).toMatch(/truncated/);
  });

  it('a closed file descriptor (EBADF) rejects the append', async () => {
    const file = tempLog();
    let ff: Awaited<ReturnType<typeof faultyFile>> | undefined;
    const log = await AuditLog.open(file, { openFile: async (f) => (ff = await faultyFile(f)) });
    const { closeSync } = await import('node:fs');
    closeSync(ff!.fd);
    const err = await log.append(decision(1)).catch((e) => e);
    expect(err).toBeInstanceOf(AuditError);
    expect(err.errno).toBe('EBADF');
    await log.close().catch(() => undefined);
  });

  it('an unopenable log rejects open with a typed error', async () => {
    const file = tempLog();
    const err = await AuditLog.open(file, {
      openFile: async () => {
        throw Object.assign(new Error('denied'), { code: 'EACCES' });
      },
    }).catch((e) => e);
    expect(err).toBeInstanceOf(AuditError);
    expect(err.kind).toBe('write-failed');
    expect(err.errno).toBe('EACCES');
    // the lock was released
    await (await AuditLog.open(file)).close();
  });

  it('rejects appends after close', async () => {
    const file = tempLog();
    const log = await AuditLog.open(file);
    await log.close();
    expect((await log.append(decision(1)).catch((e) => e)).kind).toBe('closed');
  });
});

describe('AuditLog: broken logs', () => {
  it('refuses to extend a log whose tail fails verification', async () => {
    const file = tempLog();
    await writeLog(file, 4);
    const lines = readLines(file);
    lines[4] = lines[4]!.replace('"decision":"allow"', '"decision":"deny"');
    writeLines(file, lines);
    const err = await AuditLog.open(file).catch((e) => e);
    expect(err).toBeInstanceOf(AuditError);
    expect(err.kind).toBe('chain-broken');
    expect(err.message).toContain('line 5: edited');
    expect(err.message).toContain('--force-new-chain');
  });

  it('refuses a log broken early only with verifyOnOpen: full', async () => {
    const file = tempLog();
    await writeLog(file, 4);
    const lines = readLines(file);
    lines[1] = lines[1]!.replace('reason 1', 'reason X');
    writeLines(file, lines);
    expect((await AuditLog.open(file, { verifyOnOpen: 'full' }).catch((e) => e)).kind).toBe('chain-broken');
  });

  it('with forceNewChain, starts a new chain that records the broken state; verify still reports the damage', async () => {
    const file = tempLog();
    const { privateKey, publicKey } = keyPair();
    await writeLog(file, 3, { signingKey: privateKey });
    const text = readFileSync(file, 'utf8');
    writeFileSync(file, text.slice(0, -40)); // torn last line
    const log = await AuditLog.open(file, { signingKey: privateKey, forceNewChain: true });
    await log.append(decision(9));
    await log.close();
    const lines = readLines(file);
    const header = JSON.parse(lines.find((l) => l.includes('"reason":"forced"'))!);
    expect(header.broken.bytes).toBe(text.length - 40 + 1);
    expect(header.broken.problems[0]).toMatch(/truncated/);
    const result = await verifyAuditLog(file, { publicKey });
    expect(result.ok).toBe(false);
    expect(result.segments).toBe(2);
    expect(result.problems.map((p) => p.kind)).toEqual(['malformed']); // the torn line, now mid-file
    expect(result.notes.join('\n')).toMatch(/force-new-chain/);
    expect(result.closed).toBe(true);
  });

  it('a forced chain pins the broken bytes: editing them afterwards is detected', async () => {
    const file = tempLog();
    await writeLog(file, 3);
    writeFileSync(file, `${readFileSync(file, 'utf8')}garbage\n`);
    const log = await AuditLog.open(file, { forceNewChain: true });
    await log.append(decision(4));
    await log.close();
    writeFileSync(file, readFileSync(file, 'utf8').replace('garbage', 'gurbage'));
    const result = await verifyAuditLog(file);
    expect(result.problems.map((p) => p.kind)).toEqual(['malformed', 'edited']);
    expect(result.problems[1]!.message).toMatch(/changed after the chain was forced/);
  });
});
