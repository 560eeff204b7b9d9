// OpenAI-compatible chat servers (llama.cpp's llama-server, vLLM, LM Studio, LocalAI): POST
// /chat/completions with tools and `response_format: json_schema`, GET /models. Tool call
// arguments travel as JSON strings both ways.
import { PortcullisError } from '../core/errors.js';
import { asObject, functionTools, ModelServer } from './server.js';
import { specId } from './spec.js';
import { normaliseToolCall, normaliseToolCalls } from './tool-calls.js';
import type {
  ChatClient,
  ChatMessage,
  ChatRequest,
  ChatResponse,
  ClientOptions,
  ModelInfo,
} from './types.js';

export const OPENAI_START_HINT =
  'Start an OpenAI-compatible server there, e.g. llama.cpp: `llama-server -m MODEL.gguf --port 8080 --jinja` ' +
  '(then use openai:http://127.0.0.1:8080/v1#MODEL), or vLLM: `vllm serve MODEL --enable-auto-tool-choice`; ' +
  'or use Ollama: `ollama serve`, `ollama pull qwen2.5-coder:7b`, then ollama:qwen2.5-coder:7b.';

function toOpenAiMessage(m: ChatMessage): Record<string, unknown> {
  if (m.role === 'assistant') {
    const out: Record<string, unknown> = { role: 'assistant', content: m.content };
    if (m.toolCalls?.length)
      out.tool_calls = m.toolCalls.map((c) => ({
        id: c.id,
        type: 'function',
        function: { name: c.name, arguments: JSON.stringify(c.arguments) },
      }));
    return out;
  }
  if (m.role === 'tool') return { role: 'tool', tool_call_id: m.toolCallId, content: m.content };
  return { role: m.role, content: m.content };
}

export class OpenAiCompatibleClient implements ChatClient {
  private readonly server: ModelServer;
  /** As given, or the first model the server lists (resolved once). */
  private model: string | undefined;
  private callCounter = 0;

  constructor(spec: { baseUrl: URL; model?: string }, options: ClientOptions = {}) {
    this.model = spec.model;
    const key = options.apiKey;
    const headers = key ? { authorization: `Bearer ${key}` } : undefined;
    this.server = new ModelServer(spec.baseUrl, options, OPENAI_START_HINT, headers);
  }

  get id(): string {
    return specId({ kind: 'openai', baseUrl: this.server.baseUrl }, this.model);
  }

  private failure(status: number, body: unknown, path: string): PortcullisError {
    const { said, where } = this.server.refusal(status, body, path);
    if (status === 401 || status === 403)
      return new PortcullisError(
        'USAGE',
        `the model server wants an API key (${said}); set PORTCULLIS_LLM_API_KEY`,
        where,
      );
    if (status === 404 && path === '/chat/completions')
      return new PortcullisError(
        'USAGE',
        `the server has no model "${this.model}" or no OpenAI-compatible API at this URL (${said})`,
        where,
      );
    return new PortcullisError('INPUT_INVALID', `the model server refused the request: ${said}`, where);
  }

  private async listModels(): Promise<{ status: number; ids: string[] }> {
    const res = await this.server.request('GET', '/models', undefined, this.server.describeTimeout());
    if (res.status === 401 || res.status === 403) throw this.failure(res.status, res.body, '/models');
    const data = asObject(res.body)?.data;
    const ids = Array.isArray(data)
      ? data.map((m) => asObject(m)?.id).filter((id): id is string => typeof id === 'string')
      : [];
    return { status: res.status, ids };
  }

  private noModelListed(): PortcullisError {
    return new PortcullisError(
      'USAGE',
      'the model server lists no model; name one after the URL: openai:URL#MODEL',
      { file: this.server.url('/models').href },
    );
  }

  private async resolveModel(): Promise<string> {
    if (this.model) return this.model;
    const { ids } = await this.listModels();
    const first = ids[0];
    if (!first) throw this.noModelListed();
    this.model = first.slice(0, 200);
    return this.model;
  }

  async chat(request: ChatRequest): Promise<ChatResponse> {
    const model = await this.resolveModel();
    const body: Record<string, unknown> = {
      model,
      messages: request.messages.map(toOpenAiMessage),
      temperature: request.temperature ?? 0,
      stream: false,
    };
    if (request.seed !== undefined) body.seed = request.seed;
    if (request.tools?.length) body.tools = functionTools(request.tools);
    if (request.format !== undefined)
      body.response_format = {
        type: 'json_schema',
        json_schema: { name: 'answer', strict: true, schema: request.format },
      };
    const res = await this.server.request(
      'POST',
      '/chat/completions',
      body,
      this.server.chatTimeout(request),
    );
    if (res.status !== 200) throw this.failure(res.status, res.body, '/chat/completions');
    const answer = asObject(res.body);
    const choices = answer?.choices;
    const message = asObject(Array.isArray(choices) ? asObject(choices[0])?.message : undefined);
    if (!answer || !message)
      throw new PortcullisError('INPUT_INVALID', 'the model server answered without a choice', {
        file: this.server.url('/chat/completions').href,
        field: 'choices[0].message',
      });
    const nextId = () => `call_${++this.callCounter}`;
    let toolCalls = normaliseToolCalls(message.tool_calls, nextId);
    // Servers predating tools (and some that imitate them) still use the single `function_call`.
    if (toolCalls.length === 0 && asObject(message.function_call))
      toolCalls = [normaliseToolCall({ function: message.function_call }, nextId())];
    const response: ChatResponse = {
      message: {
        role: 'assistant',
        content: typeof message.content === 'string' ? message.content : '',
        toolCalls,
      },
      model: typeof answer.model === 'string' ? answer.model.slice(0, 200) : model,
    };
    const usage = asObject(answer.usage);
    if (usage) {
      response.usage = {};
      if (typeof usage.prompt_tokens === 'number') response.usage.promptTokens = usage.prompt_tokens;
      if (typeof usage.completion_tokens === 'number')
        response.usage.completionTokens = usage.completion_tokens;
    }
    return response;
  }

  /**
   * OpenAI-compatible servers report no content digest; the name is what there is. A server that
   * does not list models (some don't implement /models) is fine when the model was named.
   */
  async describe(): Promise<ModelInfo> {
    const { status, ids } = await this.listModels();
    if (!this.model) {
      if (status !== 200 || ids.length === 0) throw this.noModelListed();
      this.model = ids[0]!.slice(0, 200);
    }
    return { name: this.model };
  }
}
