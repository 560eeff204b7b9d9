// Local-model clients: `createChatClient('ollama:qwen2.5-coder:7b')` or an OpenAI-compatible URL.
// Only the URL the user gives (or Ollama's local default) is ever contacted.
import { OllamaClient } from './ollama.js';
import { OpenAiCompatibleClient } from './openai.js';
import { parseModelSpec } from './spec.js';
import type { ChatClient, ClientOptions } from './types.js';

export { OLLAMA_START_HINT, OllamaClient } from './ollama.js';
export { OPENAI_START_HINT, OpenAiCompatibleClient } from './openai.js';
export { type ModelSpec, OLLAMA_DEFAULT_URL, ollamaBaseUrl, parseModelSpec, specId } from './spec.js';
export { normaliseArguments, normaliseToolCall, normaliseToolCalls } from './tool-calls.js';
export type * from './types.js';

export interface CreateChatClientOptions extends ClientOptions {
  /** Overrides the URL in the spec (or OLLAMA_HOST for `ollama:`). */
  baseUrl?: string;
  /** Environment for OLLAMA_HOST and PORTCULLIS_LLM_API_KEY (default process.env). */
  env?: NodeJS.ProcessEnv;
}

/**
 * `ollama:MODEL` → Ollama's native API at OLLAMA_HOST (default http://127.0.0.1:11434);
 * `openai:URL#MODEL` or a bare `http(s)://…#MODEL` → an OpenAI-compatible server. Throws a
 * PortcullisError (USAGE) on a malformed spec; nothing is contacted until the first call.
 */
export function createChatClient(spec: string, options: CreateChatClientOptions = {}): ChatClient {
  const env = options.env ?? process.env;
  const parsed = parseModelSpec(spec, { ...(options.baseUrl ? { baseUrl: options.baseUrl } : {}), env });
  const clientOptions: ClientOptions = {};
  if (options.timeoutMs !== undefined) clientOptions.timeoutMs = options.timeoutMs;
  if (options.maxResponseBytes !== undefined) clientOptions.maxResponseBytes = options.maxResponseBytes;
  if (parsed.kind === 'ollama') return new OllamaClient(parsed, clientOptions);
  const apiKey = options.apiKey ?? env.PORTCULLIS_LLM_API_KEY;
  if (apiKey) clientOptions.apiKey = apiKey;
  return new OpenAiCompatibleClient(parsed, clientOptions);
}
