// The chat clients over real HTTP against a local server speaking Ollama's and the OpenAI-compatible
// wire formats: tool-call round trips, argument shapes, structured output, model digests, and every
// way a server can fail (absent, slow, oversized, malformed).
import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PortcullisError } from '../../src/core/errors.js';
import { type ChatTool, createChatClient } from '../../src/llm/index.js';
import { type FakeLlmServer, startFakeLlmServer } from '../helpers/fake-llm-server.js';

let server: FakeLlmServer;
beforeAll(async () => {
  server = await startFakeLlmServer();
});
afterAll(() => server.close());

const TOOLS: ChatTool[] = [
  {
    name: 'files__read_file',
    description: 'Read a file from the workspace.',
    parameters: { type: 'object', properties: { path: { type: 'string' } }, required: ['path'] },
  },
];

const ollama = () => createChatClient('ollama:qwen2.5-coder:7b', { baseUrl: server.url });
const openai = () => createChatClient(`openai:${server.url}/v1#qwen2.5-coder:7b`);

/** A port nothing listens on: bind one, note it, release it. */
async function closedPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const { port } = s.address() as { port: number };
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

async function rejection(p: Promise<unknown>): Promise<PortcullisError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(PortcullisError);
  return err as PortcullisError;
}

describe('Ollama native API', () => {
  it('round-trips a tool call: tools, options and history in the wire shapes Ollama reads', async () => {
    const client = ollama();
    expect(client.id).toBe('ollama:qwen2.5-coder:7b');
    server.script({ toolCalls: [{ name: 'files__read_file', arguments: { path: 'notes.txt' } }] });
    const first = await client.chat({
      messages: [
        { role: 'system', content: 'You help.' },
        { role: 'user', content: 'Read notes.txt' },
      ],
      tools: TOOLS,
      seed: 7,
      contextLength: 16384,
    });
    expect(first.message.toolCalls).toEqual([
      { id: 'call_1', name: 'files__read_file', arguments: { path: 'notes.txt' } },
    ]);
    expect(first.model).toBe('qwen2.5-coder:7b');
    expect(first.usage).toEqual({ promptTokens: 42, completionTokens: 7 });
    const sent = server.chats().at(-1)!;
    expect(sent.path).toBe('/api/chat');
    expect(sent.body).toMatchObject({
      model: 'qwen2.5-coder:7b',
      stream: false,
      options: { temperature: 0, seed: 7, num_ctx: 16384 },
      tools: [{ type: 'function', function: { name: 'files__read_file', parameters: TOOLS[0]!.parameters } }],
    });

    server.script({ content: 'The notes say hello.' });
    const call = first.message.toolCalls[0]!;
    const second = await client.chat({
      messages: [
        { role: 'user', content: 'Read notes.txt' },
        { role: 'assistant', content: '', toolCalls: [call] },
        { role: 'tool', content: 'hello', toolCallId: call.id, name: call.name },
      ],
      tools: TOOLS,
    });
    expect(second.message).toEqual({ role: 'assistant', content: 'The notes say hello.', toolCalls: [] });
    const history = (server.chats().at(-1)!.body as { messages: unknown[] }).messages;
    expect(history[1]).toEqual({
      role: 'assistant',
      content: '',
      tool_calls: [
        { id: 'call_1', function: { name: 'files__read_file', arguments: { path: 'notes.txt' } } },
      ],
    });
    expect(history[2]).toEqual({
      role: 'tool',
      content: 'hello',
      tool_name: 'files__read_file',
      tool_call_id: 'call_1',
    });
  });

  it('sends a JSON Schema as `format` for structured output', async () => {
    const schema = { type: 'object', properties: { verdict: { type: 'string' } }, required: ['verdict'] };
    server.script({ content: '{"verdict":"consistent"}' });
    const r = await ollama().chat({ messages: [{ role: 'user', content: 'judge' }], format: schema });
    expect(JSON.parse(r.message.content)).toEqual({ verdict: 'consistent' });
    expect(server.chats().at(-1)!.body).toMatchObject({ format: schema, options: { temperature: 0 } });
  });

  it('reads string-encoded, double-encoded and broken arguments without guessing', async () => {
    server.script({
      toolCalls: [
        { name: 'a', wireArguments: '{"path":"x"}' },
        { name: 'b', wireArguments: JSON.stringify(JSON.stringify({ n: 1 })) },
        { name: 'c', wireArguments: '{"path": "x"' },
        { name: 'd', wireArguments: [1, 2] },
        { name: '', arguments: {} },
        { name: 'f', wireArguments: null },
      ],
    });
    const calls = (await ollama().chat({ messages: [{ role: 'user', content: 'go' }], tools: TOOLS })).message
      .toolCalls;
    expect(calls.map((c) => [c.name, c.arguments, c.error !== undefined])).toEqual([
      ['a', { path: 'x' }, false],
      ['b', { n: 1 }, false],
      ['c', {}, true],
      ['d', {}, true],
      ['', {}, true],
      ['f', {}, false],
    ]);
    expect(calls[2]!.error).toMatch(/not valid JSON/);
    expect(calls[3]!.error).toMatch(/an array/);
    expect(calls[4]!.error).toMatch(/without a function name/);
  });

  it('describes the model with its digest, server version and capabilities', async () => {
    const info = await ollama().describe();
    expect(info).toEqual({
      name: 'qwen2.5-coder:7b',
      digest: 'sha256:dae161e27b0e90dd1856c8bb3209201fd6736d8eb66298e75ed87571486f4364',
      server: 'ollama 0.6.5',
      capabilities: ['completion', 'tools', 'insert'],
    });
    expect(server.requests.some((r) => r.path === '/api/tags')).toBe(true);
  });

  it('says how to pull a model the server does not have, from describe and from chat', async () => {
    const client = createChatClient('ollama:llama3.1:8b', { baseUrl: server.url });
    const err = await rejection(client.describe());
    expect(err.code).toBe('USAGE');
    expect(err.message).toContain('ollama pull llama3.1:8b');
    expect(err.message).toContain('qwen2.5-coder:7b'); // what it does have
    const chatErr = await rejection(client.chat({ messages: [{ role: 'user', content: 'hi' }] }));
    expect(chatErr.message).toContain('ollama pull llama3.1:8b');
  });

  it('finds OLLAMA_HOST in the forms Ollama accepts', async () => {
    const port = new URL(server.url).port;
    for (const host of [`127.0.0.1:${port}`, `http://127.0.0.1:${port}`, `0.0.0.0:${port}`]) {
      const info = await createChatClient('ollama:qwen2.5-coder:7b', {
        env: { OLLAMA_HOST: host },
      }).describe();
      expect(info.digest).toMatch(/^sha256:dae161e2/);
    }
    // A bare name means `:latest`, which this server does not have.
    const err = await rejection(createChatClient('ollama:qwen2.5-coder', { baseUrl: server.url }).describe());
    expect(err.message).toContain('ollama pull qwen2.5-coder');
  });
});

describe('OpenAI-compatible API', () => {
  it('round-trips a tool call with string-encoded arguments both ways', async () => {
    const client = openai();
    expect(client.id).toBe(`openai:${server.url}/v1#qwen2.5-coder:7b`);
    server.script({ toolCalls: [{ id: 'call_abc', name: 'files__read_file', arguments: { path: 'a.md' } }] });
    const first = await client.chat({
      messages: [{ role: 'user', content: 'read a.md' }],
      tools: TOOLS,
      seed: 3,
    });
    expect(first.message.toolCalls).toEqual([
      { id: 'call_abc', name: 'files__read_file', arguments: { path: 'a.md' } },
    ]);
    expect(first.message.content).toBe('');
    expect(server.chats().at(-1)).toMatchObject({
      path: '/v1/chat/completions',
      body: {
        model: 'qwen2.5-coder:7b',
        temperature: 0,
        seed: 3,
        stream: false,
        tools: [{ type: 'function' }],
      },
    });

    server.script({ content: 'Done.' });
    const call = first.message.toolCalls[0]!;
    await client.chat({
      messages: [
        { role: 'user', content: 'read a.md' },
        { role: 'assistant', content: '', toolCalls: [call] },
        { role: 'tool', content: '# A', toolCallId: 'call_abc', name: call.name },
      ],
    });
    const history = (server.chats().at(-1)!.body as { messages: unknown[] }).messages;
    expect(history[1]).toEqual({
      role: 'assistant',
      content: '',
      tool_calls: [
        {
          id: 'call_abc',
          type: 'function',
          function: { name: 'files__read_file', arguments: '{"path":"a.md"}' },
        },
      ],
    });
    expect(history[2]).toEqual({ role: 'tool', tool_call_id: 'call_abc', content: '# A' });
  });

  it('accepts object arguments from servers that send them, and flags malformed strings', async () => {
    server.script({
      toolCalls: [
        { name: 'x', wireArguments: { q: 'obj' } },
        { name: 'y', wireArguments: 'not json at all' },
        { name: 'z', wireArguments: '' },
      ],
    });
    const calls = (await openai().chat({ messages: [{ role: 'user', content: 'go' }], tools: TOOLS })).message
      .toolCalls;
    expect(calls[0]).toMatchObject({ name: 'x', arguments: { q: 'obj' } });
    expect(calls[0]!.error).toBeUndefined();
    expect(calls[1]).toMatchObject({ name: 'y', arguments: {} });
    expect(calls[1]!.error).toMatch(/not valid JSON/);
    expect(calls[2]).toEqual({ id: 'call_fake_2', name: 'z', arguments: {} });
  });

  it('asks for structured output with response_format json_schema', async () => {
    const schema = { type: 'object', properties: { ok: { type: 'boolean' } }, required: ['ok'] };
    server.script({ content: '{"ok":true}' });
    await openai().chat({ messages: [{ role: 'user', content: 'ok?' }], format: schema });
    expect(server.chats().at(-1)!.body).toMatchObject({
      response_format: { type: 'json_schema', json_schema: { name: 'answer', strict: true, schema } },
    });
  });

  it('takes the first listed model when none is named, from a bare URL', async () => {
    const client = createChatClient(server.url);
    expect(await client.describe()).toEqual({ name: 'qwen2.5-coder:7b' });
    expect(client.id).toBe(`openai:${server.url}/v1#qwen2.5-coder:7b`);
    expect(server.requests.at(-1)).toMatchObject({ method: 'GET', path: '/v1/models' });
  });

  it('sends PORTCULLIS_LLM_API_KEY to the named server only as a bearer token', async () => {
    const client = createChatClient(`${server.url}/v1#qwen2.5-coder:7b`, {
      env: { PORTCULLIS_LLM_API_KEY: 'k-123' },
    });
    server.script({ content: 'hi' });
    await client.chat({ messages: [{ role: 'user', content: 'hi' }] });
    expect(server.chats().at(-1)!.headers.authorization).toBe('Bearer k-123');
  });

  it('reports the server’s own error message', async () => {
    server.script({ errorStatus: 400, errorMessage: 'tools are not supported by this template' });
    const err = await rejection(openai().chat({ messages: [{ role: 'user', content: 'x' }] }));
    expect(err.code).toBe('INPUT_INVALID');
    expect(err.message).toContain('tools are not supported by this template');
  });
});

describe('failures', () => {
  it('no server: a clear error saying how to start one', async () => {
    const port = await closedPort();
    const err = await rejection(
      createChatClient('ollama:qwen2.5-coder:7b', { baseUrl: `http://127.0.0.1:${port}` }).describe(),
    );
    expect(err.code).toBe('USAGE');
    expect(err.message).toContain(`no model server answers at http://127.0.0.1:${port}`);
    expect(err.message).toContain('ollama serve');
    expect(err.message).toContain('ollama pull qwen2.5-coder:7b');
    const err2 = await rejection(
      createChatClient(`openai:http://127.0.0.1:${port}/v1#m`).chat({
        messages: [{ role: 'user', content: 'x' }],
      }),
    );
    expect(err2.message).toContain('llama-server');
  });

  it('an answer that is not JSON, or has no message, is an input error naming the endpoint', async () => {
    server.script({ raw: '<html>proxy error</html>' });
    const err = await rejection(ollama().chat({ messages: [{ role: 'user', content: 'x' }] }));
    expect(err.code).toBe('INPUT_INVALID');
    expect(err.format()).toContain('/api/chat');
    server.script({ raw: '{"choices": []}' });
    const err2 = await rejection(openai().chat({ messages: [{ role: 'user', content: 'x' }] }));
    expect(err2.message).toContain('without a choice');
  });

  it('refuses an oversized answer without reading it all', async () => {
    server.script({ hugeBytes: 200_000 });
    const client = createChatClient('ollama:qwen2.5-coder:7b', {
      baseUrl: server.url,
      maxResponseBytes: 50_000,
    });
    const err = await rejection(client.chat({ messages: [{ role: 'user', content: 'x' }] }));
    expect(err.message).toContain('larger than 50000 bytes');
  });

  it('stops reading a streamed body at the cap, and a trickling one at the deadline', async () => {
    server.script({ streamBytes: 2_000_000 });
    const client = createChatClient('ollama:qwen2.5-coder:7b', {
      baseUrl: server.url,
      maxResponseBytes: 100_000,
    });
    const err = await rejection(client.chat({ messages: [{ role: 'user', content: 'x' }] }));
    expect(err.message).toContain('larger than 100000 bytes');
    server.script({ trickle: true });
    const started = Date.now();
    const slow = await rejection(client.chat({ messages: [{ role: 'user', content: 'x' }], timeoutMs: 400 }));
    expect(slow.message).toMatch(/did not answer within/);
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('gives up at the deadline when the server never answers', async () => {
    server.script({ hang: true });
    const started = Date.now();
    const err = await rejection(
      openai().chat({ messages: [{ role: 'user', content: 'x' }], timeoutMs: 300 }),
    );
    expect(err.message).toMatch(/did not answer within/);
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('rejects specs it cannot use before contacting anything', () => {
    const before = server.requests.length;
    for (const bad of [
      'gpt-4',
      'ollama:',
      'openai:ftp://h/v1#m',
      'http://user:pw@127.0.0.1:1/v1#m',
      'ollama:a b',
    ])
      expect(() => createChatClient(bad)).toThrow(PortcullisError);
    expect(server.requests.length).toBe(before);
  });
});
