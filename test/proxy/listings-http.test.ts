// The HTTP face and the in-process guardClient judge prompt and resource listings as the stdio
// proxy does: the same listing server (real stdio upstream), real SDK clients over real Streamable
// HTTP in both protocol eras, and the SDK Client wrapped in process.
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { afterEach, describe, expect, it } from 'vitest';
import { guardClient } from '../../src/adapters/mcp-client.js';
import { PROMPT_PAGES, RESOURCES, TEMPLATES } from '../fixtures/servers/proxy/listings.mjs';
import { node, servers, tempDir } from './helpers.js';
import { connectHttp, type Era, records, startProxy } from './http-helpers.js';

const dir = tempDir();
const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  while (cleanups.length)
    await cleanups
      .pop()?.()
      .catch(() => undefined);
});

const upstream = {
  command: node,
  args: [join(servers, 'listings.mjs')],
  env: { ...process.env } as Record<string, string>,
};
const withheld = (item: { _meta?: Record<string, unknown> } | undefined) =>
  (item?._meta?.portcullis as { withheld?: boolean } | undefined)?.withheld === true;

describe.each<Era>(['legacy', '2026-07-28'])('HTTP face: poisoned listings (%s client)', (era) => {
  it('withholds poisoned prompts, resources and templates and denies reading them', {
    timeout: 60_000,
  }, async () => {
    const audit = join(dir, `http-${era}.jsonl`);
    const { proxy } = await startProxy(audit, upstream);
    cleanups.push(() => proxy.close());
    const client = await connectHttp(proxy.url, era);
    cleanups.push(() => client.close());

    const { prompts } = await client.listPrompts();
    expect(prompts[0]).toEqual(PROMPT_PAGES[0]?.[0]);
    expect(prompts.filter(withheld).map((p) => p.name)).toEqual(['daily_brief', 'translate']);
    const page2 = await client.listPrompts({ cursor: '1' });
    expect(page2.prompts.map((p) => [p.name, withheld(p)])).toEqual([['translate', true]]);
    const { resources } = await client.listResources();
    expect(resources[0]).toEqual(RESOURCES[0]);
    expect(resources.filter(withheld).map((r) => r.uri)).toEqual(['notes://changelog']);
    const { resourceTemplates } = await client.listResourceTemplates();
    expect(resourceTemplates[0]).toEqual(TEMPLATES[0]);
    expect(resourceTemplates.filter(withheld).map((t) => t.uriTemplate)).toEqual(['diary://{day}']);
    expect(JSON.stringify([prompts, resources, resourceTemplates])).not.toMatch(/id_rsa|attacker|SYSTEM|aws/);

    expect(JSON.stringify((await client.readResource({ uri: 'notes://readme' })).contents)).toContain(
      'npm start',
    );
    await expect(client.getPrompt({ name: 'daily_brief' })).rejects.toThrow(/denied prompts\/get/);
    await expect(client.readResource({ uri: 'diary://friday' })).rejects.toThrow(/denied resources\/read/);

    await client.close();
    const log = records(audit);
    expect(log.find((r) => r.method === 'resources/templates/list')).toMatchObject({
      decision: 'transform',
      rule: 'poisoned',
    });
    expect(log.filter((r) => r.decision === 'deny').map((r) => [r.method, r.tool, r.rule])).toEqual([
      ['prompts/get', 'prompt:daily_brief', 'poisoned'],
      ['resources/read', 'resource-template:diary://{day}', 'poisoned'],
    ]);
  });
});

describe('guardClient: poisoned listings in process', () => {
  it('lists judged prompts, resources and templates and denies reading withheld ones', {
    timeout: 60_000,
  }, async () => {
    const transport = new StdioClientTransport({
      command: node,
      args: [join(servers, 'listings.mjs')],
      stderr: 'pipe',
    });
    const raw = new Client({ name: 'in-process', version: '1.0.0' });
    await raw.connect(transport, { timeout: 30_000 });
    cleanups.push(() => raw.close());
    const audit = join(dir, 'adapter.jsonl');
    const guarded = await guardClient(raw, { audit });
    cleanups.push(() => guarded.close());

    const { prompts } = await guarded.listPrompts();
    expect(prompts.map((p) => [p.name, withheld(p)])).toEqual([
      ['summarize', false],
      ['daily_brief', true],
      ['translate', true],
    ]);
    expect(prompts[0]).toEqual(PROMPT_PAGES[0]?.[0]);
    expect((await guarded.listResources()).resources.map((r) => [r.uri, withheld(r)])).toEqual([
      ['notes://readme', false],
      ['notes://changelog', true],
    ]);
    expect(
      (await guarded.listResourceTemplates()).resourceTemplates.map((t) => [t.uriTemplate, withheld(t)]),
    ).toEqual([
      ['notes://{id}', false],
      ['diary://{day}', true],
    ]);
    await expect(guarded.readResource({ uri: 'notes://changelog' })).rejects.toThrow(
      /denied resources\/read/,
    );
    const honest = await guarded.getPrompt({ name: 'summarize', arguments: { text: 'hi' } });
    expect(JSON.stringify(honest.messages)).toContain('hi');
    await guarded.close();
    const log = records(audit);
    expect(log.filter((r) => r.rule === 'poisoned').map((r) => [r.method, r.decision])).toEqual([
      ['prompts/list', 'transform'],
      ['resources/list', 'transform'],
      ['resources/templates/list', 'transform'],
      ['resources/read', 'deny'],
    ]);
  });
});
