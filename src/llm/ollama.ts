// Ollama's native API: POST /api/chat (tools, `format` JSON Schema, options.temperature/seed/num_ctx,
// stream false), GET /api/tags (the model's digest), POST /api/show (capabilities), GET /api/version.
import { PortcullisError } from '../core/errors.js';
import { asObject, functionTools, ModelServer } from './server.js';
import { specId } from './spec.js';
import { normaliseToolCalls } from './tool-calls.js';
import type {
  ChatClient,
  ChatMessage,
  ChatRequest,
  ChatResponse,
  ClientOptions,
  ModelInfo,
} from './types.js';

export const OLLAMA_START_HINT =
  'Start one with `ollama serve`, fetch a model with `ollama pull qwen2.5-coder:7b`, or set OLLAMA_HOST ' +
  'to where Ollama listens (for llama.cpp, run `llama-server -m MODEL.gguf --jinja` and use openai:URL#MODEL).';

function toOllamaMessage(m: ChatMessage): Record<string, unknown> {
  if (m.role === 'assistant') {
    const out: Record<string, unknown> = { role: 'assistant', content: m.content };
    if (m.toolCalls?.length)
      out.tool_calls = m.toolCalls.map((c) => ({
        id: c.id,
        function: { name: c.name, arguments: c.arguments },
      }));
    return out;
  }
  if (m.role === 'tool')
    return { role: 'tool', content: m.content, tool_name: m.name, tool_call_id: m.toolCallId };
  return { role: m.role, content: m.content };
}

/** A digest as Ollama lists it (bare hex) in the `sha256:` form its manifests use. */
function normaliseDigest(d: unknown): string | undefined {
  if (typeof d !== 'string' || !/^(sha256:)?[0-9a-f]{12,128}$/i.test(d)) return undefined;
  return d.startsWith('sha256:') ? d.toLowerCase() : `sha256:${d.toLowerCase()}`;
}

/** Ollama names `qwen2.5-coder` and `qwen2.5-coder:latest` the same model. */
function sameModel(a: string, b: string): boolean {
  const full = (n: string) => (n.includes(':') ? n : `${n}:latest`);
  return full(a) === full(b);
}

export class OllamaClient implements ChatClient {
  readonly id: string;
  private readonly model: string;
  private readonly server: ModelServer;
  private callCounter = 0;

  constructor(spec: { model: string; baseUrl: URL }, options: ClientOptions = {}) {
    this.model = spec.model;
    this.server = new ModelServer(spec.baseUrl, options, OLLAMA_START_HINT);
    this.id = specId({ kind: 'ollama', ...spec });
  }

  private failure(status: number, body: unknown, path: string): PortcullisError {
    const { said, where } = this.server.refusal(status, body, path);
    if (status === 404 && /not found|pull/i.test(said))
      return new PortcullisError(
        'USAGE',
        `Ollama does not have the model "${this.model}" (${said}); fetch it with \`ollama pull ${this.model}\``,
        where,
      );
    return new PortcullisError('INPUT_INVALID', `Ollama refused the request: ${said}`, where);
  }

  async chat(request: ChatRequest): Promise<ChatResponse> {
    const options: Record<string, unknown> = { temperature: request.temperature ?? 0 };
    if (request.seed !== undefined) options.seed = request.seed;
    if (request.contextLength !== undefined) options.num_ctx = request.contextLength;
    const body: Record<string, unknown> = {
      model: this.model,
      messages: request.messages.map(toOllamaMessage),
      stream: false,
      options,
    };
    if (request.tools?.length) body.tools = functionTools(request.tools);
    if (request.format !== undefined) body.format = request.format;
    const res = await this.server.request('POST', '/api/chat', body, this.server.chatTimeout(request));
    if (res.status !== 200) throw this.failure(res.status, res.body, '/api/chat');
    const answer = asObject(res.body);
    const message = asObject(answer?.message);
    if (!answer || !message)
      throw new PortcullisError('INPUT_INVALID', 'Ollama answered without a message', {
        file: this.server.url('/api/chat').href,
        field: 'message',
      });
    const content = typeof message.content === 'string' ? message.content : '';
    const toolCalls = normaliseToolCalls(message.tool_calls, () => `call_${++this.callCounter}`);
    const response: ChatResponse = {
      message: { role: 'assistant', content, toolCalls },
      model: typeof answer.model === 'string' ? answer.model : this.model,
    };
    const usage: NonNullable<ChatResponse['usage']> = {};
    if (typeof answer.prompt_eval_count === 'number') usage.promptTokens = answer.prompt_eval_count;
    if (typeof answer.eval_count === 'number') usage.completionTokens = answer.eval_count;
    if (Object.keys(usage).length) response.usage = usage;
    return response;
  }

  async describe(): Promise<ModelInfo> {
    const timeout = this.server.describeTimeout();
    const tags = await this.server.request('GET', '/api/tags', undefined, timeout);
    if (tags.status !== 200) throw this.failure(tags.status, tags.body, '/api/tags');
    const models = asObject(tags.body)?.models;
    if (!Array.isArray(models))
      throw new PortcullisError(
        'INPUT_INVALID',
        'the server at this address does not list models like Ollama',
        {
          file: this.server.url('/api/tags').href,
          field: 'models',
        },
      );
    const entry = models
      .map(asObject)
      .find(
        (m) =>
          (typeof m?.name === 'string' && sameModel(m.name, this.model)) ||
          (typeof m?.model === 'string' && sameModel(m.model, this.model)),
      );
    if (!entry) {
      const have = models
        .map((m) => asObject(m)?.name)
        .filter((n): n is string => typeof n === 'string')
        .slice(0, 10);
      throw new PortcullisError(
        'USAGE',
        `Ollama does not have the model "${this.model}"${have.length ? ` (it has ${have.join(', ')})` : ''}; ` +
          `fetch it with \`ollama pull ${this.model}\``,
      );
    }
    const info: ModelInfo = { name: this.model };
    const digest = normaliseDigest(entry.digest);
    if (digest) info.digest = digest;
    // Version and capabilities are context for the report; an older server without them is fine.
    const version = await this.server
      .request('GET', '/api/version', undefined, timeout)
      .catch(() => undefined);
    const v = asObject(version?.body)?.version;
    if (typeof v === 'string') info.server = `ollama ${v.slice(0, 40)}`;
    const show = await this.server
      .request('POST', '/api/show', { model: this.model }, timeout)
      .catch(() => undefined);
    const caps = asObject(show?.body)?.capabilities;
    if (show?.status === 200 && Array.isArray(caps))
      info.capabilities = caps.filter((c): c is string => typeof c === 'string').slice(0, 20);
    return info;
  }
}
