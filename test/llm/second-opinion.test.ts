// `scan --llm`: the scanner's facts (not files) go to a local model over real HTTP, its JSON verdict
// becomes a labelled, capped finding, answers are cached by content hash, and the model's name and
// digest land in the report. In-process for the details, through the real binary end to end.
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { scanPaths } from '../../src/scan/scan.js';
import {
  addSecondOpinions,
  connectSecondOpinion,
  describeSecondOpinions,
  SECOND_OPINION_RULE,
} from '../../src/scan/second-opinion.js';
import { OPINION_SCHEMA } from '../../src/scan/second-opinion-prompt.js';
import { type FakeLlmServer, startFakeLlmServer } from '../helpers/fake-llm-server.js';

const run = promisify(execFile);
const bin = new URL('../../bin/portcullis.js', import.meta.url).pathname;
const cases = new URL('../fixtures/scan/cases/', import.meta.url).pathname;
const DIGEST = 'dae161e27b0e90dd1856c8bb3209201fd6736d8eb66298e75ed87571486f4364';

let server: FakeLlmServer;
let tmp: string;
beforeAll(async () => {
  server = await startFakeLlmServer();
  tmp = mkdtempSync(join(tmpdir(), 'portcullis-llm-'));
});
afterAll(async () => {
  await server.close();
  rmSync(tmp, { recursive: true, force: true });
});
beforeEach(() => server.otherwise(undefined));

/** The facts the model was shown, from the user message of a recorded request. */
function factsOf(body: unknown): Record<string, unknown> {
  const messages = (body as { messages: { role: string; content: string }[] }).messages;
  return JSON.parse(messages[1]!.content.replace(/^Facts:\n/, ''));
}

const scan = (dir: string) => scanPaths([dir], { cwd: cases });

describe('second opinion', () => {
  it('sends extracted facts (not the file) with a JSON Schema, and merges a labelled, capped verdict', async () => {
    const model = await connectSecondOpinion('ollama:qwen2.5-coder:7b', { baseUrl: server.url });
    const result = await scan('py-fastmcp-param-egress');
    const before = result.findings.length;
    const staticRules = new Set(result.findings.map((f) => f.rule));
    server.script({
      content: JSON.stringify({
        verdict: 'malicious',
        confidence: 0.97,
        reasons: [
          'the text parameter is posted to telemetry-edge.example.org',
          '\u001b[31mnot mentioned\u001b[0m',
        ],
      }),
    });
    const stats = await addSecondOpinions(result, model, { cacheDir: join(tmp, 'c1'), cwd: cases });
    const request = server.chats().at(-1)!;
    expect(request.body).toMatchObject({ format: OPINION_SCHEMA, options: { temperature: 0, seed: 42 } });
    const facts = factsOf(request.body);
    expect(facts).toMatchObject({
      tool: 'sanitize_input',
      description: 'Removes dangerous characters. Safe for file paths.',
    });
    expect(JSON.stringify(facts.effects)).toContain('requests.post');
    expect(JSON.stringify(facts.flows)).toContain('parameter text');
    expect(JSON.stringify(facts.scannerFindings)).toContain('undisclosed-data-egress');
    // Facts, not files: no source line and no path travels to the model.
    const sent = JSON.stringify(request.body);
    expect(sent).not.toContain('def _track');
    expect(sent).not.toContain('server.py');

    const opinion = result.findings.filter((f) => f.rule === 'llm-second-opinion');
    expect(opinion).toHaveLength(1);
    expect(opinion[0]).toMatchObject({
      severity: 'medium', // never high on its own, however sure the model is
      tool: 'py-fastmcp-param-egress/server.py#sanitize_input',
      message: 'Second opinion (qwen2.5-coder:7b): the behaviour looks designed to deceive or harm.',
    });
    expect(opinion[0]!.evidence.detail).toBe(
      'confidence 0.97; the text parameter is posted to telemetry-edge.example.org; [31mnot mentioned [0m',
    );
    expect(result.findings.length).toBe(before + 1);
    expect(result.findings.filter((f) => staticRules.has(f.rule))).toHaveLength(before); // others untouched
    expect(result.stats.llm).toBe(stats);
    expect(stats).toMatchObject({
      model: 'ollama:qwen2.5-coder:7b',
      name: 'qwen2.5-coder:7b',
      digest: `sha256:${DIGEST}`,
      server: 'ollama 0.6.5',
      asked: 1,
      fromCache: 0,
      failed: 0,
      verdicts: { consistent: 0, inconsistent: 0, malicious: 1 },
    });
    expect(describeSecondOpinions(stats)).toMatch(
      /^Second opinions: 1 tool judged by qwen2.5-coder:7b sha256:dae161e27b0e…; 1 malicious\.$/,
    );
  });

  it('asks once: a second scan with the same facts and model is answered from the cache', async () => {
    const model = await connectSecondOpinion('ollama:qwen2.5-coder:7b', { baseUrl: server.url });
    const cacheDir = join(tmp, 'c2');
    server.otherwise({
      content: '{"verdict":"inconsistent","confidence":0.6,"reasons":["posts its input"]}',
    });
    const first = await scan('py-fastmcp-param-egress');
    const asked = server.chats().length;
    await addSecondOpinions(first, model, { cacheDir, cwd: cases });
    expect(server.chats().length).toBe(asked + 1);
    expect(readdirSync(cacheDir).filter((f) => /^[0-9a-f]{64}\.json$/.test(f))).toHaveLength(1);

    const second = await scan('py-fastmcp-param-egress');
    const stats = await addSecondOpinions(second, model, { cacheDir, cwd: cases });
    expect(server.chats().length).toBe(asked + 1); // no request
    expect(stats).toMatchObject({ asked: 0, fromCache: 1 });
    const f = second.findings.find((x) => x.rule === 'llm-second-opinion');
    expect(f).toMatchObject({ severity: 'low', message: expect.stringContaining('does not account for') });

    // Another model (or another digest) is another question.
    const other = await connectSecondOpinion(`openai:${server.url}/v1#qwen2.5-coder:7b`);
    await addSecondOpinions(await scan('py-fastmcp-param-egress'), other, { cacheDir, cwd: cases });
    expect(server.chats().length).toBe(asked + 2);
    expect(server.chats().at(-1)!.body).toMatchObject({ response_format: { type: 'json_schema' } });
  });

  it('an unusable answer is a note, not a finding; a consistent one is info', async () => {
    const model = await connectSecondOpinion('ollama:qwen2.5-coder:7b', { baseUrl: server.url });
    const result = await scan('py-fastmcp-param-egress');
    server.script({ content: '{"verdict":"probably fine","confidence":2,"reasons":[]}' });
    const stats = await addSecondOpinions(result, model, { cacheDir: false, cwd: cases });
    expect(stats).toMatchObject({ asked: 1, failed: 1 });
    expect(result.findings.some((f) => f.rule === 'llm-second-opinion')).toBe(false);
    expect(result.coverage.notes.at(-1)!.message).toMatch(
      /^no second opinion on sanitize_input: the verdict must be one of/,
    );

    const again = await scan('py-fastmcp-param-egress');
    server.script({ content: '```json\n{"verdict":"consistent","confidence":0.3,"reasons":[]}\n```' });
    await addSecondOpinions(again, model, { cacheDir: false, cwd: cases });
    expect(again.findings.find((f) => f.rule === 'llm-second-opinion')?.severity).toBe('info');
  });

  it('asks nothing about honest tools whose effects their text accounts for', async () => {
    const model = await connectSecondOpinion('ollama:qwen2.5-coder:7b', { baseUrl: server.url });
    const result = await scan('py-honest-tools');
    const asked = server.chats().length;
    server.otherwise({ content: '{"verdict":"consistent","confidence":0.9,"reasons":[]}' });
    const stats = await addSecondOpinions(result, model, { cacheDir: false, cwd: cases });
    expect(result.tools.length).toBeGreaterThan(2);
    expect(stats.toolsConsidered).toBeLessThan(result.tools.length);
    expect(server.chats().length - asked).toBe(stats.toolsConsidered);
  });
});

/** bin/portcullis.js first rebuilds dist/ when src/ changed; that line is not the scan's output. */
const BUILD_NOTE = /^portcullis: building from source.*\n(?:src\/.*\n| {2}.*\n)*/;
// Generous: the launcher may rebuild dist/ from a changing tree on a loaded machine first.
const CLI_TIMEOUT = 600_000;

describe('portcullis scan --llm', { timeout: CLI_TIMEOUT }, () => {
  const env = () => ({
    ...process.env,
    NO_COLOR: '1',
    OLLAMA_HOST: server.url,
    XDG_CACHE_HOME: join(tmp, 'xdg'),
  });
  const portcullis = (args: string[]) =>
    run(process.execPath, [bin, 'scan', '--no-progress', ...args], { cwd: cases, env: env() }).then(
      (r) => ({ status: 0, stdout: r.stdout, stderr: r.stderr.replace(BUILD_NOTE, '') }),
      (e: { code: number; stdout: string; stderr: string }) => ({
        status: e.code,
        stdout: e.stdout,
        stderr: e.stderr.replace(BUILD_NOTE, ''),
      }),
    );

  it('records the model and digest in the JSON report and caches under XDG_CACHE_HOME', async () => {
    server.otherwise({
      content: '{"verdict":"malicious","confidence":0.9,"reasons":["sends the input away"]}',
    });
    const before = server.chats().length;
    const r = await portcullis([
      'py-fastmcp-param-egress',
      '--llm',
      'ollama:qwen2.5-coder:7b',
      '--format',
      'json',
    ]);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(1); // the static high finding fails the build, as without --llm
    const json = JSON.parse(r.stdout);
    expect(json.stats.llm).toMatchObject({
      model: 'ollama:qwen2.5-coder:7b',
      digest: `sha256:${DIGEST}`,
      asked: 1,
    });
    expect(json.findings.find((f: { rule: string }) => f.rule === 'llm-second-opinion')).toMatchObject({
      severity: 'medium',
      tool: 'py-fastmcp-param-egress/server.py#sanitize_input',
    });
    const asked = server.chats().length;
    expect(asked).toBe(before + 1);
    expect(readdirSync(join(tmp, 'xdg', 'portcullis', 'llm'))).toHaveLength(1);

    const text = await portcullis([
      'py-fastmcp-param-egress',
      '--llm',
      'ollama:qwen2.5-coder:7b',
      '--verbose',
    ]);
    expect(server.chats().length).toBe(asked); // cached
    expect(text.stdout).toContain('llm-second-opinion');
    expect(text.stdout).toMatch(
      /Second opinions: 1 tool judged by qwen2\.5-coder:7b sha256:dae161e27b0e…; 1 malicious; 1 from cache\./,
    );

    const fresh = await portcullis([
      'py-fastmcp-param-egress',
      '--llm',
      'ollama:qwen2.5-coder:7b',
      '--no-llm-cache',
      '--format',
      'sarif',
    ]);
    expect(server.chats().length).toBe(asked + 1);
    const sarif = JSON.parse(fresh.stdout);
    expect(
      sarif.runs[0].tool.driver.rules.some((rule: { id: string }) => rule.id === 'llm-second-opinion'),
    ).toBe(true);
  });

  it('no server: exit 2 before scanning, saying how to start one', async () => {
    const r = await run(
      process.execPath,
      [bin, 'scan', '--no-progress', 'py-honest-tools', '--llm', 'ollama:qwen2.5-coder:7b'],
      {
        cwd: cases,
        env: { ...env(), OLLAMA_HOST: 'http://127.0.0.1:1' },
      },
    ).then(
      () => ({ status: 0, stderr: '' }),
      (e: { code: number; stderr: string }) => ({ status: e.code, stderr: e.stderr }),
    );
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('no model server answers at http://127.0.0.1:1');
    expect(r.stderr).toContain('ollama serve');
  });

  it('documents the rule the way every rule page is checked (title, severity, description, sections, messages)', () => {
    const page = readFileSync(new URL(`../../${SECOND_OPINION_RULE.meta.docs}`, import.meta.url), 'utf8');
    const lines = page.split('\n');
    expect(lines[0]).toBe(`# ${SECOND_OPINION_RULE.id}`);
    expect(lines.find((l) => l.startsWith('**Severity:**'))).toMatch(
      new RegExp(`^\\*\\*Severity:\\*\\* ${SECOND_OPINION_RULE.meta.severity} `),
    );
    expect(lines).toContain(`> ${SECOND_OPINION_RULE.meta.description}`);
    for (const section of [
      '## What it finds',
      '## Why it matters',
      '## Examples',
      '## How to fix',
      '## How to suppress',
      '## Messages',
    ])
      expect(page).toContain(`\n${section}\n`);
    const listed = [...page.slice(page.indexOf('## Messages')).matchAll(/^- `([A-Za-z]+)`/gm)].map(
      (m) => m[1],
    );
    expect(listed.sort()).toEqual(Object.keys(SECOND_OPINION_RULE.meta.messages).sort());
    expect(page.match(/```python/g)?.length ?? 0).toBeGreaterThanOrEqual(2);
    expect(page.match(/```ts/g)?.length ?? 0).toBeGreaterThanOrEqual(2);
    expect(page).toMatch(/portcullis-ignore llm-second-opinion -- \S/);
  });
});
