// The local-model client contract: Ollama's native API and OpenAI-compatible servers (llama.cpp,
// vLLM) behind one interface. Everything stays on the user's machine: base URLs are local by
// default and nothing else is contacted.

export interface ChatTool {
  name: string;
  description: string;
  /** JSON Schema of the arguments. */
  parameters: unknown;
}

export interface ChatToolCall {
  /** Provider's id when it gives one, else generated. */
  id: string;
  name: string;
  /** Always an object: string-encoded JSON arguments are parsed, bad ones become `{}` with `error`. */
  arguments: Record<string, unknown>;
  error?: string;
}

export type ChatMessage =
  | { role: 'system' | 'user'; content: string }
  | { role: 'assistant'; content: string; toolCalls?: ChatToolCall[] }
  | { role: 'tool'; content: string; toolCallId: string; name: string };

export interface ChatRequest {
  messages: ChatMessage[];
  tools?: ChatTool[];
  /** JSON Schema the answer must match (structured output), for second opinions. */
  format?: unknown;
  temperature?: number;
  seed?: number;
  /** Abort after this long, ms. */
  timeoutMs?: number;
  /**
   * Context window to ask for, in tokens (Ollama `options.num_ctx`; OpenAI-compatible servers fix
   * it at load time and ignore this). Ollama's small default silently truncates long tool lists.
   */
  contextLength?: number;
}

/** Token counts as the server reports them, when it does. */
export interface ChatUsage {
  promptTokens?: number;
  completionTokens?: number;
}

export interface ChatResponse {
  message: { role: 'assistant'; content: string; toolCalls: ChatToolCall[] };
  /** The model as the server named it. */
  model: string;
  usage?: ChatUsage;
}

export interface ModelInfo {
  /** The model name as given (`qwen2.5-coder:7b`). */
  name: string;
  /** Content digest the server reports (Ollama: sha256 of the manifest), when it has one. */
  digest?: string;
  /** The server software and version when it says (`ollama 0.6.2`), for reports. */
  server?: string;
  /** What the server says the model can do (Ollama: `completion`, `tools`, …), when it says. */
  capabilities?: string[];
}

export interface ChatClient {
  /** `ollama:MODEL` or `openai:URL#MODEL`, for reports. */
  readonly id: string;
  chat(request: ChatRequest): Promise<ChatResponse>;
  /** Asks the server which model it is serving; fails with a clear error when nothing answers. */
  describe(): Promise<ModelInfo>;
}

export interface ClientOptions {
  /** Default deadline of a chat request, ms (a request's own `timeoutMs` wins). */
  timeoutMs?: number;
  /** Refuse answers larger than this many bytes. */
  maxResponseBytes?: number;
  /** Bearer token for an OpenAI-compatible server started with an API key. Sent to that server only. */
  apiKey?: string;
}
