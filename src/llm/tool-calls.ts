// Tool calls arrive in more shapes than the specs admit: Ollama sends arguments as an object,
// OpenAI-compatible servers as a JSON string — and each sometimes sends the other's shape, an
// empty string, `null`, or text that is not JSON at all. Everything becomes a ChatToolCall whose
// `arguments` is always an object; what could not be read is said in `error`, never guessed.
import type { ChatToolCall } from './types.js';

/** A model's arguments are small; a megabyte of them is a runaway generation. */
const MAX_ARGUMENT_CHARS = 1_000_000;

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Arguments in any shape → an object, or `{}` with the reason it could not be read. */
export function normaliseArguments(raw: unknown): { arguments: Record<string, unknown>; error?: string } {
  if (raw === undefined || raw === null) return { arguments: {} };
  if (isPlainObject(raw)) return { arguments: raw };
  if (typeof raw !== 'string')
    return { arguments: {}, error: `arguments must be a JSON object, got ${describeType(raw)}` };
  const text = raw.trim();
  if (text === '') return { arguments: {} };
  if (text.length > MAX_ARGUMENT_CHARS)
    return { arguments: {}, error: `arguments are longer than ${MAX_ARGUMENT_CHARS} characters` };
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    return { arguments: {}, error: `arguments are not valid JSON: ${(err as Error).message}` };
  }
  // Some models double-encode: a JSON string whose content is the JSON object. (Terminates: the
  // content of a JSON string literal is always shorter than the literal.)
  if (typeof parsed === 'string') return normaliseArguments(parsed);
  if (isPlainObject(parsed)) return { arguments: parsed };
  return { arguments: {}, error: `arguments must be a JSON object, got ${describeType(parsed)}` };
}

function describeType(v: unknown): string {
  if (Array.isArray(v)) return 'an array';
  if (v === null) return 'null';
  return `a ${typeof v}`;
}

/**
 * One provider tool call (`{id?, function: {name, arguments}}`, both APIs) → ChatToolCall.
 * `fallbackId` names calls the provider did not number, deterministically.
 */
export function normaliseToolCall(raw: unknown, fallbackId: string): ChatToolCall {
  const call = isPlainObject(raw) ? raw : {};
  const fn = isPlainObject(call.function) ? call.function : call;
  const id = typeof call.id === 'string' && call.id !== '' ? call.id.slice(0, 200) : fallbackId;
  const name = typeof fn.name === 'string' ? fn.name.slice(0, 200) : '';
  const args = normaliseArguments(fn.arguments ?? fn.parameters);
  const out: ChatToolCall = { id, name, arguments: args.arguments };
  if (name === '') out.error = 'tool call without a function name';
  else if (args.error) out.error = args.error;
  return out;
}

/** A provider's `tool_calls` field (absent, null, or an array) → ChatToolCalls. */
export function normaliseToolCalls(raw: unknown, nextId: () => string): ChatToolCall[] {
  if (!Array.isArray(raw)) return [];
  // A runaway model can emit thousands of calls; an agent turn never needs more than a few dozen.
  return raw.slice(0, 64).map((c) => normaliseToolCall(c, nextId()));
}
