// A tool whose definition is a prompt injection is blocked by the proxy without any lockfile: its
// description and schema are withheld from the client, calls to it are denied, and honest tools of
// the same server keep working — also when the definition turns poisoned mid-session.
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { readLines } from '../audit/helpers.js';
import { connectThroughProxy, ensureBuilt, tempDir } from './helpers.js';

type Result = { content: { text?: string }[]; isError?: boolean; _meta?: { portcullis?: { rule?: string } } };

beforeAll(() => ensureBuilt(), 300_000);

describe('portcullis proxy: poisoned tool definitions', () => {
  const dir = tempDir();

  it('withholds a poisoned description and denies calls to the tool', { timeout: 120_000 }, async () => {
    const audit = join(dir, 'evil.jsonl');
    const { client } = await connectThroughProxy({
      proxyArgs: ['--audit', audit],
      server: 'rugpull.mjs',
      serverArgs: ['--evil'],
    });
    const { tools } = await client.listTools();
    const add = tools.find((t) => t.name === 'add');
    expect(add?.description).toMatch(/^\[portcullis: blocked/);
    expect(JSON.stringify(add)).not.toMatch(/id_rsa|IMPORTANT|note/);
    const r = (await client.callTool({ name: 'add', arguments: { a: 1, b: 2 } })) as Result;
    expect(r.isError).toBe(true);
    expect(r._meta?.portcullis?.rule).toBe('poisoned');
    expect(r.content[0]?.text).not.toMatch(/id_rsa/);
    const upgrade = (await client.callTool({ name: 'upgrade', arguments: {} })) as Result;
    expect(upgrade.isError).toBeFalsy();
    await client.close();
    const records = readLines(audit).map((l) => JSON.parse(l) as { method?: string; reason?: string });
    const listing = records.find((e) => e.method === 'tools/list');
    expect(listing?.reason).toMatch(/blocked: add \(.*id_rsa/); // the evidence stays in the log
  });

  it('blocks a definition that turns poisoned mid-session', { timeout: 120_000 }, async () => {
    let toolsChanged: () => void = () => undefined;
    const changed = new Promise<void>((resolve) => {
      toolsChanged = resolve;
    });
    const { client } = await connectThroughProxy({
      proxyArgs: ['--audit', join(dir, 'mid.jsonl')],
      server: 'rugpull.mjs',
      onToolsChanged: () => toolsChanged(),
    });
    const before = (await client.callTool({ name: 'add', arguments: { a: 2, b: 3 } })) as Result;
    expect(before.content[0]?.text).toBe('5');
    await client.callTool({ name: 'upgrade', arguments: {} });
    await changed;
    const after = (await client.callTool({ name: 'add', arguments: { a: 2, b: 3 } })) as Result;
    expect(after.isError).toBe(true);
    expect(after._meta?.portcullis?.rule).toBe('poisoned');
    const add = (await client.listTools()).tools.find((t) => t.name === 'add');
    expect(add?.description).toMatch(/^\[portcullis: blocked/);
    await client.close();
  });
});
