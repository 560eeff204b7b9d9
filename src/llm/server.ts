// What the Ollama and OpenAI-compatible clients share about talking to one model server: the base
// URL, the size cap and the "how to start one" hint fixed once, the two deadlines, the server's own
// words for a refusal, and the function-tool declaration both APIs take. What differs (paths, body
// shapes, which statuses mean what) stays in each client.
import {
  DEFAULT_CHAT_TIMEOUT_MS,
  DEFAULT_DESCRIBE_TIMEOUT_MS,
  DEFAULT_MAX_RESPONSE_BYTES,
  type JsonResponse,
  joinUrl,
  requestJson,
  serverErrorText,
} from './http.js';
import type { ChatRequest, ChatTool, ClientOptions } from './types.js';

/** A JSON object from an untrusted answer, or `undefined` for anything else (arrays included). */
export function asObject(v: unknown): Record<string, unknown> | undefined {
  return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
}

/** `tools` as both Ollama and OpenAI-compatible servers declare them. */
export function functionTools(tools: ChatTool[]): Record<string, unknown>[] {
  return tools.map((t) => ({
    type: 'function',
    function: { name: t.name, description: t.description, parameters: t.parameters },
  }));
}

export class ModelServer {
  constructor(
    readonly baseUrl: URL,
    private readonly options: ClientOptions,
    private readonly unreachableHint: string,
    private readonly headers?: Record<string, string>,
  ) {}

  url(path: string): URL {
    return joinUrl(this.baseUrl, path);
  }

  request(method: 'GET' | 'POST', path: string, body: unknown, timeoutMs: number): Promise<JsonResponse> {
    return requestJson({
      method,
      url: this.url(path),
      body,
      ...(this.headers ? { headers: this.headers } : {}),
      timeoutMs,
      maxBytes: this.options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES,
      unreachableHint: this.unreachableHint,
    });
  }

  /** A request's own deadline, else the client's, else the default for slow CPU answers. */
  chatTimeout(request: ChatRequest): number {
    return request.timeoutMs ?? this.options.timeoutMs ?? DEFAULT_CHAT_TIMEOUT_MS;
  }

  /** Listing models is quick on any healthy server: never wait longer than the describe default. */
  describeTimeout(): number {
    return Math.min(this.options.timeoutMs ?? DEFAULT_DESCRIBE_TIMEOUT_MS, DEFAULT_DESCRIBE_TIMEOUT_MS);
  }

  /** What the server said when it refused `path` (its error text, an error page, or the status). */
  refusal(status: number, body: unknown, path: string): { said: string; where: { file: string } } {
    const said = serverErrorText(body) ?? (typeof body === 'string' ? body : `HTTP ${status}`);
    return { said, where: { file: this.url(path).href } };
  }
}
