// Newline-delimited JSON-RPC framing for stdio, hostile-input safe: a line longer than the cap is
// discarded as it streams (never buffered whole), and every line is classified as a message, a
// parse error or an invalid request, so the caller can answer instead of dropping silently.

export const DEFAULT_MAX_MESSAGE_BYTES = 16 * 1024 * 1024;

export type JsonRpcId = string | number;

export type Frame =
  | { kind: 'message'; message: Record<string, unknown> }
  /** Not JSON, or JSON that is not a JSON-RPC 2.0 message. `id` when one could be recovered. */
  | { kind: 'malformed'; code: number; reason: string; id: JsonRpcId | null }
  | { kind: 'oversize'; bytes: number };

export const PARSE_ERROR = -32700;
export const INVALID_REQUEST = -32600;

function isId(v: unknown): v is JsonRpcId {
  return (typeof v === 'string' && v.length <= 1024) || (typeof v === 'number' && Number.isFinite(v));
}

/** Classifies one decoded JSON value; the SDK's own schemas check params after this. */
export function classifyJson(value: unknown): Frame {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    // JSON-RPC batches were removed from MCP; an array is refused like any other non-object.
    return {
      kind: 'malformed',
      code: INVALID_REQUEST,
      reason: Array.isArray(value) ? 'batches are not supported' : 'not a JSON object',
      id: null,
    };
  }
  const msg = value as Record<string, unknown>;
  const id = isId(msg.id) ? msg.id : null;
  const bad = (reason: string): Frame => ({ kind: 'malformed', code: INVALID_REQUEST, reason, id });
  if (msg.jsonrpc !== '2.0') return bad('"jsonrpc" must be "2.0"');
  if ('method' in msg) {
    if (typeof msg.method !== 'string' || msg.method.length === 0 || msg.method.length > 256)
      return bad('"method" must be a non-empty string');
    if ('id' in msg && !isId(msg.id)) return bad('"id" must be a string or a finite number');
    if (
      'params' in msg &&
      (typeof msg.params !== 'object' || msg.params === null || Array.isArray(msg.params))
    )
      return bad('"params" must be an object');
    return { kind: 'message', message: msg };
  }
  if (!('id' in msg)) return bad('neither a request, a notification nor a response');
  const hasResult = 'result' in msg;
  const hasError = 'error' in msg;
  if (hasResult === hasError) return bad('a response carries exactly one of "result" and "error"');
  if (hasError) {
    const e = msg.error as Record<string, unknown> | null;
    if (typeof e !== 'object' || e === null || typeof e.code !== 'number' || typeof e.message !== 'string')
      return bad('"error" must have a numeric code and a message');
  } else if (typeof msg.result !== 'object' || msg.result === null || Array.isArray(msg.result)) {
    return bad('"result" must be an object');
  }
  // Responses to ids we never issued are the protocol layer's to refuse; null ids are only for errors.
  if (!isId(msg.id) && !(hasError && msg.id === null)) return bad('"id" must be a string or a finite number');
  return { kind: 'message', message: msg };
}

export function parseLine(line: string): Frame {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch (e) {
    return { kind: 'malformed', code: PARSE_ERROR, reason: `parse error: ${(e as Error).message}`, id: null };
  }
  return classifyJson(value);
}

/**
 * Splits a byte stream into lines and classifies each. Bytes of an oversize line are dropped as
 * they arrive; memory stays bounded by the cap whatever the input.
 */
export class LineFramer {
  private parts: Buffer[] = [];
  private size = 0;
  /** Bytes seen of a line already over the cap (0 when not discarding). */
  private discarding = 0;

  constructor(
    private readonly maxBytes: number,
    private readonly emit: (frame: Frame) => void,
  ) {}

  push(chunk: Buffer): void {
    let start = 0;
    while (start < chunk.length) {
      const nl = chunk.indexOf(10, start);
      const end = nl === -1 ? chunk.length : nl;
      const piece = chunk.subarray(start, end);
      if (this.discarding > 0) {
        this.discarding += piece.length;
      } else if (this.size + piece.length > this.maxBytes) {
        this.discarding = this.size + piece.length;
        this.parts = [];
        this.size = 0;
      } else if (piece.length > 0) {
        // Copy: the chunk's memory belongs to the stream.
        this.parts.push(Buffer.from(piece));
        this.size += piece.length;
      }
      if (nl === -1) break;
      this.endLine();
      start = nl + 1;
    }
  }

  /** Called at end of input: a last line without a newline is still a line. */
  end(): void {
    if (this.discarding > 0 || this.size > 0) this.endLine();
  }

  private endLine(): void {
    if (this.discarding > 0) {
      const bytes = this.discarding;
      this.discarding = 0;
      this.emit({ kind: 'oversize', bytes });
      return;
    }
    const buf = this.parts.length === 1 ? (this.parts[0] as Buffer) : Buffer.concat(this.parts, this.size);
    this.parts = [];
    this.size = 0;
    let text = buf.toString('utf8');
    if (text.endsWith('\r')) text = text.slice(0, -1);
    if (text.trim().length === 0) return; // blank lines are keep-alives, not messages
    this.emit(parseLine(text));
  }
}
