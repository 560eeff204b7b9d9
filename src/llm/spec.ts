// Model specs as users type them: `ollama:qwen2.5-coder:7b`, `openai:http://127.0.0.1:8080/v1#model`,
// or a bare OpenAI-compatible URL. Parsed once, up front, so a typo fails before any work starts.
import { PortcullisError } from '../core/errors.js';
import { parseBaseUrl } from './http.js';

export const OLLAMA_DEFAULT_URL = 'http://127.0.0.1:11434';

export type ModelSpec =
  | { kind: 'ollama'; model: string; baseUrl: URL }
  | { kind: 'openai'; baseUrl: URL /** Absent: the first model the server lists. */; model?: string };

const FORMS = 'ollama:MODEL, openai:URL#MODEL or an OpenAI-compatible URL (http://127.0.0.1:8080/v1#MODEL)';

/**
 * Where Ollama listens, as its own CLI reads `OLLAMA_HOST`: `host`, `host:port` or a URL; scheme
 * http and port 11434 unless given. `0.0.0.0` is a listen address, so a client dials loopback.
 */
export function ollamaBaseUrl(env: NodeJS.ProcessEnv = process.env): URL {
  const raw = env.OLLAMA_HOST?.trim();
  if (!raw) return new URL(OLLAMA_DEFAULT_URL);
  const hasScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(raw);
  let url: URL;
  try {
    url = new URL(hasScheme ? raw : `http://${raw.startsWith(':') ? `127.0.0.1${raw}` : raw}`);
  } catch {
    throw new PortcullisError('USAGE', `OLLAMA_HOST is not a host or URL: ${JSON.stringify(raw)}`);
  }
  if (!hasScheme && url.port === '') url.port = '11434';
  if (url.hostname === '0.0.0.0') url.hostname = '127.0.0.1';
  if (url.hostname === '[::]') url.hostname = '[::1]';
  return parseBaseUrl(url.href, 'OLLAMA_HOST');
}

export function parseModelSpec(
  spec: string,
  options: { baseUrl?: string; env?: NodeJS.ProcessEnv } = {},
): ModelSpec {
  const text = spec.trim();
  if (text.startsWith('ollama:')) {
    const model = text.slice('ollama:'.length).trim();
    if (!model) throw new PortcullisError('USAGE', `no model named in "${spec}"; expected ${FORMS}`);
    if (/[\s\x00-\x1f]/.test(model) || model.length > 200)
      throw new PortcullisError('USAGE', `"${model}" is not an Ollama model name`);
    const baseUrl = options.baseUrl
      ? parseBaseUrl(options.baseUrl, 'the Ollama base URL')
      : ollamaBaseUrl(options.env);
    return { kind: 'ollama', model, baseUrl };
  }
  const rest = text.startsWith('openai:') ? text.slice('openai:'.length) : text;
  if (/^https?:\/\//i.test(rest)) {
    const hash = rest.indexOf('#');
    const urlText = hash === -1 ? rest : rest.slice(0, hash);
    const model = hash === -1 ? '' : decodeURIComponent(rest.slice(hash + 1)).trim();
    const baseUrl = parseBaseUrl(options.baseUrl ?? urlText, 'the model server URL');
    // `http://host:8080` means the server root; its OpenAI face lives under /v1.
    if (baseUrl.pathname === '/' || baseUrl.pathname === '') baseUrl.pathname = '/v1';
    return model ? { kind: 'openai', baseUrl, model } : { kind: 'openai', baseUrl };
  }
  throw new PortcullisError('USAGE', `unknown model "${spec}"; expected ${FORMS}`);
}

/** The spec in its canonical form, for reports: `ollama:MODEL` or `openai:URL#MODEL`. */
export function specId(spec: ModelSpec, model?: string): string {
  if (spec.kind === 'ollama') return `ollama:${spec.model}`;
  const m = model ?? spec.model;
  return `openai:${spec.baseUrl.href.replace(/\/$/, '')}${m ? `#${m}` : ''}`;
}
