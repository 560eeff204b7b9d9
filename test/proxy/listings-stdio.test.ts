// Prompt, resource and template listings are judged like tool definitions: a real server over
// real stdio lists poisoned and honest items, a real SDK client reaches it through
// `portcullis proxy`. Poisoned items keep their identifier and lose their text; prompts/get and
// resources/read of them are denied (rule `poisoned`); honest items pass untouched; pagination
// keeps working; every listing and decision is in the audit log; the policy's `poisoned` setting
// is honoured.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { PROMPT_PAGES, RESOURCES, TEMPLATES } from '../fixtures/servers/proxy/listings.mjs';
import { connectThroughProxy, ensureBuilt, tempDir } from './helpers.js';
import { records } from './http-helpers.js';

beforeAll(() => ensureBuilt(), 300_000);

const find = <T extends Record<string, unknown>>(items: T[], key: string, value: string) =>
  items.find((i) => i[key] === value);
const withheld = (item: Record<string, unknown> | undefined) =>
  (item?._meta as { portcullis?: { withheld?: boolean } } | undefined)?.portcullis?.withheld === true;

describe('portcullis proxy: poisoned prompt and resource listings (stdio)', () => {
  const dir = tempDir();

  it('withholds poisoned items, serves honest ones untouched, denies get/read of withheld ones, records it all', {
    timeout: 120_000,
  }, async () => {
    const audit = join(dir, 'deny.jsonl');
    const { client } = await connectThroughProxy({ proxyArgs: ['--audit', audit], server: 'listings.mjs' });
    try {
      // No cursor: the proxy walks the server's two pages and judges every prompt.
      const { prompts } = await client.listPrompts();
      expect(prompts.map((p) => p.name)).toEqual(['summarize', 'daily_brief', 'translate']);
      expect(find(prompts, 'name', 'summarize')).toEqual(PROMPT_PAGES[0]?.[0]);
      for (const name of ['daily_brief', 'translate']) {
        const p = find(prompts, 'name', name);
        expect(withheld(p)).toBe(true);
        expect(p?.description).toMatch(/^\[portcullis: blocked/);
        expect(p?.arguments).toBeUndefined();
      }
      expect(JSON.stringify(prompts)).not.toMatch(/id_rsa|IMPORTANT|attacker|conversation/i);

      // A cursor reaches the server: the second page alone, judged the same way.
      const page2 = await client.listPrompts({ cursor: '1' });
      expect(page2.prompts.map((p) => p.name)).toEqual(['translate']);
      expect(withheld(page2.prompts[0])).toBe(true);

      const { resources } = await client.listResources();
      expect(find(resources, 'uri', 'notes://readme')).toEqual(RESOURCES[0]);
      const changelog = find(resources, 'uri', 'notes://changelog');
      expect(withheld(changelog)).toBe(true);
      expect(JSON.stringify(resources)).not.toMatch(/SYSTEM|aws|credentials/);

      const { resourceTemplates } = await client.listResourceTemplates();
      expect(find(resourceTemplates, 'uriTemplate', 'notes://{id}')).toEqual(TEMPLATES[0]);
      expect(withheld(find(resourceTemplates, 'uriTemplate', 'diary://{day}'))).toBe(true);
      expect(JSON.stringify(resourceTemplates)).not.toMatch(/attacker|BCC|send_email/);

      // Honest items keep working.
      const got = await client.getPrompt({ name: 'summarize', arguments: { text: 'hello' } });
      expect(JSON.stringify(got.messages)).toContain('hello');
      const readme = await client.readResource({ uri: 'notes://readme' });
      expect(JSON.stringify(readme.contents)).toContain('npm start');
      const note = await client.readResource({ uri: 'notes://7' });
      expect(JSON.stringify(note.contents)).toContain('notes://7');

      // Withheld items cannot be fetched: the reason names the rule, not the offending text.
      await expect(client.getPrompt({ name: 'daily_brief' })).rejects.toThrow(
        /denied prompts\/get.*daily_brief/,
      );
      await expect(client.getPrompt({ name: 'translate', arguments: { text: 'x' } })).rejects.toThrow(
        /denied prompts\/get/,
      );
      await expect(client.readResource({ uri: 'notes://changelog' })).rejects.toThrow(
        /denied resources\/read/,
      );
      await expect(client.readResource({ uri: 'diary://monday' })).rejects.toThrow(/denied resources\/read/);
    } finally {
      await client.close();
    }

    const log = records(audit);
    const listing = (method: string) => log.filter((r) => r.method === method && r.tool === '*');
    const prompts = listing('prompts/list');
    expect(prompts.length).toBe(2); // the full listing and the second page
    expect(prompts[0]).toMatchObject({ decision: 'transform', rule: 'poisoned' });
    expect(prompts[0]?.reason).toMatch(/3 prompts listed; withheld: daily_brief \(.*id_rsa.*\); translate/);
    expect(listing('resources/list')[0]).toMatchObject({ decision: 'transform', rule: 'poisoned' });
    expect(listing('resources/list')[0]?.reason).toMatch(/withheld: notes:\/\/changelog/);
    expect(listing('resources/templates/list')[0]?.reason).toMatch(/withheld: diary:\/\/\{day\}/);
    const denied = log.filter((r) => r.decision === 'deny');
    expect(denied.map((r) => [r.method, r.tool, r.rule])).toEqual([
      ['prompts/get', 'prompt:daily_brief', 'poisoned'],
      ['prompts/get', 'prompt:translate', 'poisoned'],
      ['resources/read', 'resource:notes://changelog', 'poisoned'],
      ['resources/read', 'resource-template:diary://{day}', 'poisoned'],
    ]);
    // The honest reads were decided and recorded too.
    expect(
      log.filter((r) => r.method === 'resources/read' && r.decision === 'allow').length,
    ).toBeGreaterThanOrEqual(2);
  });

  it('hides withheld items with --hide-blocked', { timeout: 120_000 }, async () => {
    const { client } = await connectThroughProxy({
      proxyArgs: ['--audit', join(dir, 'hide.jsonl'), '--hide-blocked'],
      server: 'listings.mjs',
    });
    try {
      expect((await client.listPrompts()).prompts.map((p) => p.name)).toEqual(['summarize']);
      expect((await client.listResources()).resources.map((r) => r.uri)).toEqual(['notes://readme']);
      expect((await client.listResourceTemplates()).resourceTemplates.map((t) => t.name)).toEqual(['note']);
      await expect(client.getPrompt({ name: 'daily_brief' })).rejects.toThrow(/poisoned|denied/);
    } finally {
      await client.close();
    }
  });

  it('poisoned: require-approval serves the listing and asks before a read', {
    timeout: 120_000,
  }, async () => {
    const policy = join(dir, 'ask.yaml');
    writeFileSync(policy, 'version: 1\npoisoned: require-approval\n');
    const audit = join(dir, 'ask.jsonl');
    const { client } = await connectThroughProxy({
      proxyArgs: ['--audit', audit, '--policy', policy, '--approval', 'elicitation'],
      server: 'listings.mjs',
      capabilities: { elicitation: { form: {} } },
    });
    const asked: string[] = [];
    const answers = ['deny', 'once'];
    client.setRequestHandler('elicitation/create', async (req) => {
      asked.push(String((req.params as { message?: string }).message));
      return { action: 'accept', content: { decision: answers.shift() ?? 'deny' } } as never;
    });
    try {
      const { prompts } = await client.listPrompts();
      expect(find(prompts, 'name', 'daily_brief')).toEqual(PROMPT_PAGES[0]?.[1]);
      await expect(client.getPrompt({ name: 'daily_brief' })).rejects.toThrow(/denied prompts\/get/);
      const granted = await client.getPrompt({ name: 'daily_brief' });
      expect(JSON.stringify(granted.messages)).toContain('daily_brief');
      expect(asked).toHaveLength(2);
      expect(asked[0]).toMatch(/daily_brief/);
    } finally {
      await client.close();
    }
    const log = records(audit);
    const listing = log.find((r) => r.method === 'prompts/list');
    expect(listing).toMatchObject({ decision: 'allow' });
    expect((listing?.meta as { flagged?: string[] } | undefined)?.flagged).toEqual([
      'prompt:daily_brief',
      'prompt:translate',
    ]);
    const gets = log.filter((r) => r.method === 'prompts/get' && r.tool === 'prompt:daily_brief');
    expect(gets.map((r) => [r.decision, r.rule])).toEqual([
      ['require-approval', 'poisoned'],
      ['deny', 'poisoned'],
      ['require-approval', 'poisoned'],
      ['allow', 'approved'],
    ]);
  });

  it('poisoned: require-approval without a way to ask denies the read', { timeout: 120_000 }, async () => {
    const policy = join(dir, 'ask-none.yaml');
    writeFileSync(policy, 'version: 1\npoisoned: require-approval\n');
    const { client } = await connectThroughProxy({
      proxyArgs: ['--audit', join(dir, 'ask-none.jsonl'), '--policy', policy, '--approval', 'none'],
      server: 'listings.mjs',
    });
    try {
      await client.listResourceTemplates();
      await expect(client.readResource({ uri: 'diary://monday' })).rejects.toThrow(/no approval channel/);
    } finally {
      await client.close();
    }
  });

  it('poisoned: off passes listings and reads through', { timeout: 120_000 }, async () => {
    const policy = join(dir, 'off.yaml');
    writeFileSync(policy, 'version: 1\npoisoned: "off"\n');
    const { client } = await connectThroughProxy({
      proxyArgs: ['--audit', join(dir, 'off.jsonl'), '--policy', policy],
      server: 'listings.mjs',
    });
    try {
      expect((await client.listResources()).resources).toEqual(RESOURCES);
      const r = await client.readResource({ uri: 'notes://changelog' });
      expect(JSON.stringify(r.contents)).toContain('faster search');
    } finally {
      await client.close();
    }
  });
});
