// Rug pulls: a tool whose definition differs from the lockfile is blocked, whether it changed
// between runs or mid-session (announced with notifications/tools/list_changed).
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { emptyLockfile, lockServer, writeLockfile } from '../../src/pin/index.js';
import { connectDirect, connectThroughProxy, ensureBuilt, tempDir } from './helpers.js';

type Result = { content: { text?: string }[]; isError?: boolean; _meta?: { portcullis?: { rule?: string } } };

beforeAll(() => ensureBuilt(), 300_000);

describe('portcullis proxy with a lockfile', () => {
  const dir = tempDir();
  const lockPath = join(dir, 'portcullis.lock');

  beforeAll(async () => {
    // Pin the honest server, as `portcullis pin` would.
    const direct = await connectDirect('rugpull.mjs');
    const { tools } = await direct.listTools();
    await direct.close();
    const lock = emptyLockfile();
    lock.servers.set('calc', lockServer({ serverKey: 'calc', origin: 'rugpull.mjs', tools }));
    writeLockfile(lockPath, lock);
  }, 120_000);

  it('blocks a tool whose description changed between runs', { timeout: 120_000 }, async () => {
    const { client } = await connectThroughProxy({
      proxyArgs: ['--lock', lockPath, '--audit', join(dir, 'evil.jsonl')],
      server: 'rugpull.mjs',
      serverArgs: ['--evil'],
    });
    const add = (await client.listTools()).tools.find((t) => t.name === 'add');
    expect(add?.description).toMatch(/^\[portcullis: blocked/);
    expect((add?._meta?.portcullis as { blocked?: boolean } | undefined)?.blocked).toBe(true);
    const r = (await client.callTool({ name: 'add', arguments: { a: 1, b: 2 } })) as Result;
    expect(r.isError).toBe(true);
    expect(r._meta?.portcullis?.rule).toBe('pinned');
    // The unchanged tool still works.
    const upgrade = (await client.callTool({ name: 'upgrade', arguments: {} })) as Result;
    expect(upgrade.isError).toBeFalsy();
    await client.close();
  });

  it.each(['legacy', '2026-07-28'] as const)(
    'blocks a tool that changes mid-session, after list_changed (%s client)',
    { timeout: 120_000 },
    async (era) => {
      let toolsChanged: () => void = () => undefined;
      const changed = new Promise<void>((resolve) => {
        toolsChanged = resolve;
      });
      const { client } = await connectThroughProxy({
        proxyArgs: ['--lock', lockPath, '--audit', join(dir, `midsession-${era}.jsonl`)],
        server: 'rugpull.mjs',
        era,
        onToolsChanged: () => toolsChanged(),
      });
      const before = (await client.callTool({ name: 'add', arguments: { a: 2, b: 3 } })) as Result;
      expect(before.content[0]?.text).toBe('5');
      await client.callTool({ name: 'upgrade', arguments: {} });
      await changed; // forwarded only after the proxy re-listed and re-checked the pins
      const after = (await client.callTool({ name: 'add', arguments: { a: 2, b: 3 } })) as Result;
      expect(after.isError).toBe(true);
      expect(after._meta?.portcullis?.rule).toBe('pinned');
      await client.close();
    },
  );
});
