// A real local HTTP server that speaks Ollama's native API (/api/chat, /api/tags, /api/show,
// /api/version) and the OpenAI-compatible one (/v1/chat/completions, /v1/models) with the wire
// shapes those servers use, replaying scripted answers and recording every request. Tests drive
// the real client code against it over real HTTP; no model is needed.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ScriptedToolCall {
  name: string;
  /** Encoded the way the API does by default: an object for Ollama, a JSON string for OpenAI. */
  arguments?: Record<string, unknown>;
  /** Sent verbatim instead of `arguments` (a string to Ollama, an object to OpenAI, garbage). */
  wireArguments?: unknown;
  id?: string;
}

export interface ScriptedReply {
  content?: string;
  toolCalls?: ScriptedToolCall[];
  /** Answer with this status and `{"error": …}` (Ollama) / `{"error": {"message": …}}` (OpenAI). */
  errorStatus?: number;
  errorMessage?: string;
  /** Answer with this body text verbatim (malformed answers). */
  raw?: string;
  /** Answer with a JSON body this many bytes long (oversized answers). */
  hugeBytes?: number;
  /** Stream a body this many bytes long in chunks, without a content-length (oversized, streamed). */
  streamBytes?: number;
  /** Send headers, then one byte every 50 ms forever (a trickling body; deadlines). */
  trickle?: boolean;
  /** Never answer (deadlines). */
  hang?: boolean;
}

export type Api = 'ollama' | 'openai';
export interface RecordedRequest {
  api: Api;
  method: string;
  path: string;
  body: unknown;
  headers: IncomingMessage['headers'];
}
/** A reply, or how to compute one from the request body (to react to tool results). */
export type Step = ScriptedReply | ((body: Record<string, unknown>, api: Api) => ScriptedReply);

export interface FakeModel {
  name: string;
  /** Bare hex, as /api/tags lists it. */
  digest: string;
  capabilities?: string[];
}

export interface FakeLlmServer {
  /** `http://127.0.0.1:PORT` (the OpenAI face is under /v1). */
  url: string;
  requests: RecordedRequest[];
  /** Chat requests only. */
  chats(): RecordedRequest[];
  /** Queue replies for the next chat requests (either API), in order. */
  script(...steps: Step[]): void;
  /** Replies queued and not yet consumed. */
  pending(): number;
  /** The reply when the queue is empty (default: a 500 saying the script ran out). */
  otherwise(step: Step | undefined): void;
  close(): Promise<void>;
}

export const DEFAULT_MODELS: FakeModel[] = [
  {
    name: 'qwen2.5-coder:7b',
    digest: 'dae161e27b0e90dd1856c8bb3209201fd6736d8eb66298e75ed87571486f4364',
    capabilities: ['completion', 'tools', 'insert'],
  },
];

const MAX_BODY = 4 * 1024 * 1024;

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) reject(new Error('request body too large'));
      else chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(text);
}

function ollamaToolCall(c: ScriptedToolCall, i: number) {
  return {
    ...(c.id ? { id: c.id } : {}),
    function: {
      index: i,
      name: c.name,
      arguments: 'wireArguments' in c ? c.wireArguments : (c.arguments ?? {}),
    },
  };
}

function openAiToolCall(c: ScriptedToolCall, i: number) {
  return {
    id: c.id ?? `call_fake_${i}`,
    type: 'function',
    function: {
      name: c.name,
      arguments: 'wireArguments' in c ? c.wireArguments : JSON.stringify(c.arguments ?? {}),
    },
  };
}

export async function startFakeLlmServer(
  options: { models?: FakeModel[]; version?: string } = {},
): Promise<FakeLlmServer> {
  const models = options.models ?? DEFAULT_MODELS;
  const requests: RecordedRequest[] = [];
  const queue: Step[] = [];
  let fallback: Step | undefined;
  const hanging = new Set<ServerResponse>();
  const find = (name: unknown) =>
    models.find((m) => m.name === name || (typeof name === 'string' && m.name === `${name}:latest`));

  const chat = (api: Api, body: Record<string, unknown>, res: ServerResponse) => {
    const model = find(body.model);
    if (api === 'ollama' && !model)
      return send(res, 404, { error: `model "${String(body.model)}" not found, try pulling it first` });
    const step = queue.shift() ?? fallback;
    if (!step) return send(res, 500, { error: 'fake server: no scripted reply left' });
    const reply = typeof step === 'function' ? step(body, api) : step;
    if (reply.hang) {
      hanging.add(res);
      return;
    }
    if (reply.raw !== undefined) return send(res, 200, reply.raw);
    if (reply.streamBytes !== undefined || reply.trickle) {
      hanging.add(res);
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"padding":"');
      let left = reply.streamBytes ?? Number.POSITIVE_INFINITY;
      const chunk = reply.trickle ? 'x' : 'x'.repeat(64 * 1024);
      const timer = setInterval(
        () => {
          if (res.destroyed || left <= 0) {
            clearInterval(timer);
            if (!res.destroyed) res.end('"}');
            return;
          }
          left -= chunk.length;
          res.write(chunk);
        },
        reply.trickle ? 50 : 1,
      );
      res.on('close', () => clearInterval(timer));
      return;
    }
    if (reply.hugeBytes !== undefined) return send(res, 200, `{"padding":"${'x'.repeat(reply.hugeBytes)}"}`);
    if (reply.errorStatus !== undefined) {
      const message = reply.errorMessage ?? 'scripted failure';
      return send(res, reply.errorStatus, api === 'ollama' ? { error: message } : { error: { message } });
    }
    const calls = reply.toolCalls ?? [];
    if (api === 'ollama')
      return send(res, 200, {
        model: body.model,
        created_at: new Date(0).toISOString(),
        message: {
          role: 'assistant',
          content: reply.content ?? '',
          ...(calls.length ? { tool_calls: calls.map(ollamaToolCall) } : {}),
        },
        done_reason: 'stop',
        done: true,
        total_duration: 1000,
        prompt_eval_count: 42,
        eval_count: 7,
      });
    return send(res, 200, {
      id: `chatcmpl-${requests.length}`,
      object: 'chat.completion',
      created: 0,
      model: body.model,
      choices: [
        {
          index: 0,
          message: {
            role: 'assistant',
            content: reply.content ?? null,
            ...(calls.length ? { tool_calls: calls.map(openAiToolCall) } : {}),
          },
          finish_reason: calls.length ? 'tool_calls' : 'stop',
        },
      ],
      usage: { prompt_tokens: 42, completion_tokens: 7, total_tokens: 49 },
    });
  };

  const server: Server = createServer((req, res) => {
    readBody(req)
      .then((text) => {
        const path = (req.url ?? '/').split('?')[0]!;
        const api: Api = path.startsWith('/v1/') ? 'openai' : 'ollama';
        let body: unknown;
        try {
          body = text ? JSON.parse(text) : undefined;
        } catch {
          return send(res, 400, { error: 'invalid JSON' });
        }
        requests.push({ api, method: req.method ?? '', path, body, headers: req.headers });
        const obj = (body ?? {}) as Record<string, unknown>;
        if (req.method === 'GET' && path === '/api/version')
          return send(res, 200, { version: options.version ?? '0.6.5' });
        if (req.method === 'GET' && path === '/api/tags')
          return send(res, 200, {
            models: models.map((m) => ({
              name: m.name,
              model: m.name,
              modified_at: '2025-01-01T00:00:00Z',
              size: 4683087332,
              digest: m.digest,
              details: {
                format: 'gguf',
                family: 'qwen2',
                parameter_size: '7.6B',
                quantization_level: 'Q4_K_M',
              },
            })),
          });
        if (req.method === 'POST' && path === '/api/show') {
          const m = find(obj.model);
          if (!m) return send(res, 404, { error: `model '${String(obj.model)}' not found` });
          return send(res, 200, {
            modelfile: '# fake',
            parameters: '',
            template: '{{ .Prompt }}',
            details: { format: 'gguf', family: 'qwen2' },
            model_info: {},
            capabilities: m.capabilities ?? ['completion'],
          });
        }
        if (req.method === 'POST' && path === '/api/chat') return chat('ollama', obj, res);
        if (req.method === 'GET' && path === '/v1/models')
          return send(res, 200, {
            object: 'list',
            data: models.map((m) => ({ id: m.name, object: 'model', created: 0, owned_by: 'fake' })),
          });
        if (req.method === 'POST' && path === '/v1/chat/completions') return chat('openai', obj, res);
        return send(res, 404, '404 page not found');
      })
      .catch((err: Error) => send(res, 500, { error: err.message }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    chats: () => requests.filter((r) => r.path === '/api/chat' || r.path === '/v1/chat/completions'),
    script: (...steps) => {
      queue.push(...steps);
    },
    pending: () => queue.length,
    otherwise: (step) => {
      fallback = step;
    },
    close: async () => {
      for (const res of hanging) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
