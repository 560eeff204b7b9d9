import { writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { encodeEntry, sha256Hex } from '../../src/audit/format.js';
import {
  AuditLog,
  inert,
  readAuditEntries,
  renderEntryText,
  type ShowItem,
  verifyAuditLog,
} from '../../src/audit/index.js';
import { decision, keyPair, readLines, tempLog, writeLog } from './helpers.js';

async function collect(file: string, filter = {}): Promise<ShowItem[]> {
  const items: ShowItem[] = [];
  for await (const item of readAuditEntries(file, filter)) items.push(item);
  return items;
}

describe('audit show', () => {
  it('filters decision records by session, decision and tool', async () => {
    const file = tempLog();
    const log = await AuditLog.open(file, { sessionId: 'alpha-1' });
    for (let i = 1; i <= 6; i++) await log.append(decision(i, i > 3 ? { session: 'beta-2' } : {}));
    await log.close();
    expect(await collect(file)).toHaveLength(7);
    const seqs = async (filter: object) =>
      (await collect(file, filter)).map((item) => ('entry' in item ? item.entry.seq : -1));
    expect(await seqs({ session: 'alpha' })).toEqual([2, 3, 4]);
    expect(await seqs({ decision: 'deny' })).toEqual([4, 7]);
    expect(await seqs({ tool: 'mail/send_email', session: 'beta-2' })).toEqual([7]);
    expect(await seqs({ tool: 'read_inbox' })).toEqual([2, 3, 5, 6]);
  });

  it('makes hostile text inert: no escape sequences, bidi or zero-width characters reach the terminal', async () => {
    const file = tempLog();
    const log = await AuditLog.open(file);
    await log.append(
      decision(1, {
        server: 'evil\x1b[2J',
        tool: 'read\u202efdp.exe',
        reason: 'line\nbreak\u200b',
        args: { x: '\x07' },
      }),
    );
    await log.close();
    const items = await collect(file);
    const text = items.map((item) => renderEntryText(item)).join('');
    expect(text).not.toMatch(/[\x00-\x09\x0b-\x1f\x7f\u202e\u200b]/);
    expect(text).toContain('evil\\u{1b}[2J/read\\u{202e}fdp.exe');
    expect(inert('ok ü 😀')).toBe('ok ü 😀');
  });

  it('reports unreadable lines, and survives hostile nesting', async () => {
    const file = tempLog();
    await writeLog(file, 1);
    const lines = readLines(file);
    const entry = JSON.parse(lines[1]!);
    delete entry.hash;
    entry.args = 'ARGS';
    // a record whose arguments nest 100k deep, with a valid hash (what a forger could write)
    const placeholder = encodeEntry(entry).line;
    const deep = `${'['.repeat(100_000)}${']'.repeat(100_000)}`;
    const body = `{${placeholder.slice(75).replace('"args":"ARGS"', `"args":${deep}`)}`;
    const line = `{"hash":"${sha256Hex(body)}",${body.slice(1)}`;
    writeFileSync(file, `${lines[0]}\nnot json\n${line}\n{"hash":"tor`);
    const items = await collect(file);
    expect(items.map((item) => ('error' in item ? `${item.line}:${item.error}` : item.line))).toEqual([
      1,
      '2:not an audit record (a line must start with {"hash":"…")',
      3,
      '4:incomplete last line',
    ]);
    expect(renderEntryText(items[2]!)).toContain('args [nested too deep to show]');
    expect((await verifyAuditLog(file)).ok).toBe(false);
  });

  it('accepts a PKCS#8 PEM signing key as text', async () => {
    const file = tempLog();
    const { privateKey, publicKey } = keyPair();
    await writeLog(file, 2, { signingKey: privateKey.export({ format: 'pem', type: 'pkcs8' }) as string });
    const r = await verifyAuditLog(file, { publicKey });
    expect(r).toMatchObject({ ok: true, validCheckpoints: 1, closed: true });
  });
});
