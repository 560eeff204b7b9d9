// In-protocol approvals end to end: the real SDK client, with an elicitation handler standing in for
// the human, talks over real stdio to `portcullis proxy -- node destructive.mjs`. On a 2025-era
// connection the proxy sends elicitation/create; on the 2026-07-28 era it answers input_required and
// the client retries with the answer. What the server actually ran is read from its own log.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectThroughProxy, ensureBuilt, tempDir } from './helpers.js';

type Result = { content: { type: string; text?: string }[]; isError?: boolean };
const text = (r: Result) => r.content.map((c) => c.text ?? '').join('\n');
type Answer = { action: 'accept' | 'decline' | 'cancel'; content?: Record<string, unknown> };

beforeAll(() => ensureBuilt(), 300_000);

const dir = tempDir();
const cleanups: (() => Promise<unknown>)[] = [];
afterAll(async () => {
  for (const c of cleanups) await c().catch(() => undefined);
});

type Row = { tool: string; method: string; rule: string; decision: string; meta: Record<string, unknown> };
function records(file: string): Row[] {
  return readFileSync(file, 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l))
    .filter((r) => r.type === 'decision');
}

const ran = (log: string) => (existsSync(log) ? readFileSync(log, 'utf8').trim().split('\n') : []);

async function start(
  name: string,
  era: 'legacy' | '2026-07-28',
  answers: (() => Promise<Answer>)[],
  extra: string[] = [],
) {
  const audit = join(dir, `${name}.jsonl`);
  const destroyed = join(dir, `${name}-destroyed.log`);
  const { client, stderr } = await connectThroughProxy({
    proxyArgs: ['--audit', audit, '--approval', 'elicitation', ...extra],
    server: 'destructive.mjs',
    env: { DESTROYED_LOG: destroyed },
    era,
    capabilities: { elicitation: { form: {} } },
  });
  cleanups.push(() => client.close());
  const asked: string[] = [];
  client.setRequestHandler('elicitation/create', async (req) => {
    asked.push(String((req.params as { message?: string }).message));
    const next = answers.shift();
    if (!next) throw new Error('asked more often than the test expected');
    return next() as never;
  });
  return { client, asked, audit, destroyed, stderr };
}

const answer = (decision: string) => async (): Promise<Answer> => ({
  action: 'accept',
  content: { decision },
});

for (const era of ['legacy', '2026-07-28'] as const) {
  const channel = era === 'legacy' ? 'elicitation' : 'input-required';

  describe(`in-protocol approvals (${era} client)`, () => {
    it('once is used up by its call; session is reused for identical calls; deny and decline refuse', {
      timeout: 120_000,
    }, async () => {
      const { client, asked, audit, destroyed } = await start(`grant-${era}`, era, [
        answer('once'),
        answer('deny'),
        answer('session'),
        async () => ({ action: 'decline' }),
      ]);
      const del = { name: 'delete_file', arguments: { path: 'notes.txt' } };

      const first = (await client.callTool(del)) as Result;
      expect(first.isError, text(first)).toBeFalsy();
      expect(text(first)).toBe('deleted notes.txt');
      expect(asked[0]).toMatch(/files\/delete_file/);
      expect(asked[0]).toContain('notes.txt');

      // The same call again: the once grant is gone, the human is asked again and says no.
      const second = (await client.callTool(del)) as Result;
      expect(second.isError).toBe(true);
      expect(text(second)).toMatch(/refused by/);
      expect(asked).toHaveLength(2);

      const purge = { name: 'purge_records', arguments: { table: 'customers' } };
      expect(((await client.callTool(purge)) as Result).isError).toBeFalsy();
      expect(((await client.callTool(purge)) as Result).isError).toBeFalsy(); // session grant, not asked
      expect(asked).toHaveLength(3);
      // Other arguments are another approval key: asked, and declined.
      const other = (await client.callTool({
        name: 'purge_records',
        arguments: { table: 'orders' },
      })) as Result;
      expect(other.isError).toBe(true);
      expect(asked).toHaveLength(4);

      expect(ran(destroyed)).toEqual(['delete notes.txt', 'purge customers', 'purge customers']);
      await client.close();

      const rs = records(audit).filter((r) => r.meta?.phase === 'call' && r.method === 'tools/call');
      const answers = rs.filter((r) => r.meta.approval === 'granted' || r.meta.approval === 'denied');
      expect(answers.map((r) => [r.tool, r.meta.approval, r.meta.scope, r.meta.channel])).toEqual([
        ['delete_file', 'granted', 'once', channel],
        ['delete_file', 'denied', 'once', channel],
        ['purge_records', 'granted', 'session', channel],
        ['purge_records', 'denied', 'once', channel],
      ]);
      for (const r of answers) expect(r.meta.key).toMatch(/^[0-9a-f]{64}$/);
      expect(answers[0]?.meta.key).toBe(answers[1]?.meta.key);
      expect(answers[2]?.meta.key).not.toBe(answers[3]?.meta.key);
      // The reused session grant is an allow by rule `approved` naming the same key.
      const reused = rs.filter((r) => r.rule === 'approved' && r.meta.approval === undefined);
      expect(reused.map((r) => r.meta.key)).toEqual([answers[2]?.meta.key]);
      if (era === '2026-07-28') expect(rs.filter((r) => r.meta.approval === 'deferred')).toHaveLength(4);
    });

    it('no answer within --approval-timeout denies, and the call never runs', {
      timeout: 120_000,
    }, async () => {
      const slow = async (): Promise<Answer> => {
        await new Promise((r) => setTimeout(r, 2500));
        return { action: 'accept', content: { decision: 'once' } };
      };
      const { client, audit, destroyed } = await start(
        `timeout-${era}`,
        era,
        [slow],
        ['--approval-timeout', '1s'],
      );
      const r = (await client.callTool({ name: 'delete_file', arguments: { path: 'report.pdf' } })) as Result;
      expect(r.isError).toBe(true);
      expect(text(r)).toMatch(/approval timed out/);
      expect(ran(destroyed)).toEqual([]);
      await client.close();
      const denied = records(audit).find((r) => r.meta?.approval === 'denied');
      expect(denied?.meta).toMatchObject({ by: 'timeout', channel });
      expect(denied?.decision).toBe('deny');
    });
  });
}

it('a client without the elicitation capability is not asked in-protocol: --approval elicitation denies', {
  timeout: 120_000,
}, async () => {
  const audit = join(dir, 'nocap.jsonl');
  const { client } = await connectThroughProxy({
    proxyArgs: ['--audit', audit, '--approval', 'elicitation'],
    server: 'destructive.mjs',
  });
  cleanups.push(() => client.close());
  const r = (await client.callTool({ name: 'delete_file', arguments: { path: 'x' } })) as Result;
  expect(r.isError).toBe(true);
  expect(text(r)).toMatch(/no approval channel/);
  await client.close();
});
