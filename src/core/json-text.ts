// A JSON reader that remembers where every value came from, so errors about a lockfile, a manifest
// or a client config can name the line of the offending field. JSON.parse gives neither lines nor
// limits. One reader serves two dialects: strict JSON (lockfiles, manifests) and, with `jsonc`, the
// JSON-with-comments of editor settings (VS Code, Zed: `//` and `/* */` comments, trailing commas).
//
// Differences from JSON.parse, all deliberate:
// - duplicate keys: in strict JSON an error, since two parsers that disagree on which duplicate wins
//   (first or last) would see two different tool definitions in the same file; in JSONC the last one
//   wins (what VS Code, Zed and JSON.parse do) and each duplicate is recorded so the caller can
//   mention it — a config whose meaning depends on the parser is worth a note;
// - nesting is capped (default 64) so hostile input cannot exhaust the stack; one linear pass;
// - `__proto__` is an ordinary key (defined as an own property, never a prototype change).

import { readFileSync, statSync } from 'node:fs';
import { type ErrorCode, PortcullisError } from './errors.js';

export interface JsonPosition {
  line: number;
  column: number;
}

export type JsonPath = readonly (string | number)[];

export interface ParsedJson {
  value: unknown;
  /** The position of the deepest part of `path` that exists (the key for object members). */
  locate(path: JsonPath): JsonPosition;
  /** Keys given twice in one object (JSONC only: strict JSON refuses them); the last one is used. */
  duplicates: { key: string; line: number; column: number }[];
}

export interface JsonParseOptions {
  file: string;
  /** Error code for syntax and limit errors. */
  code?: ErrorCode;
  maxDepth?: number;
  /** Accept line and block comments and trailing commas; duplicate keys are recorded, not refused. */
  jsonc?: boolean;
}

export const DEFAULT_MAX_DEPTH = 64;

interface ContainerPositions {
  self: JsonPosition;
  members: Map<string, JsonPosition>;
}

/** `tools[3].inputSchema.properties["a b"]` — the form field paths take in error messages. */
export function formatJsonPath(path: JsonPath): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else if (/^[A-Za-z_$][A-Za-z0-9_$]*$/.test(part)) out += out === '' ? part : `.${part}`;
    else out += `[${JSON.stringify(part)}]`;
  }
  return out === '' ? '(root)' : out;
}

/**
 * Decodes file bytes as UTF-8 text, refusing binary content (NUL bytes or invalid UTF-8) with a
 * clear error instead of parsing garbage. A leading byte order mark is dropped.
 */
export function decodeJsonBytes(bytes: Uint8Array, file: string, code: ErrorCode = 'INPUT_INVALID'): string {
  if (bytes.includes(0)) throw new PortcullisError(code, 'not a text file (contains NUL bytes)', { file });
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new PortcullisError(code, 'not a UTF-8 text file', { file });
  }
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

export interface JsonFileLimits {
  /** What the file is, for messages: "lockfile", "manifest". */
  what: string;
  maxBytes: number;
  /** Error code for a file over `maxBytes`. */
  tooLargeCode: ErrorCode;
  /** Added to the "not found" message: how to create the file. */
  missingHint?: string;
}

/** A JSON input file's exact bytes: a regular file, refused above its size cap before it is read. */
export function readJsonFileBytes(path: string, limits: JsonFileLimits): Uint8Array {
  let size: number;
  try {
    const st = statSync(path);
    if (!st.isFile()) throw new PortcullisError('INPUT_INVALID', 'not a regular file', { file: path });
    size = st.size;
  } catch (err) {
    if (err instanceof PortcullisError) throw err;
    const missing = (err as NodeJS.ErrnoException).code === 'ENOENT';
    throw new PortcullisError(
      missing ? 'INPUT_NOT_FOUND' : 'INPUT_INVALID',
      missing
        ? `${limits.what} not found${limits.missingHint ?? ''}`
        : `cannot read the ${limits.what}: ${(err as Error).message}`,
      { file: path },
    );
  }
  if (size > limits.maxBytes) {
    throw new PortcullisError(limits.tooLargeCode, `${limits.what} is larger than ${limits.maxBytes} bytes`, {
      file: path,
    });
  }
  return readFileSync(path);
}

export function parseJsonText(text: string, options: JsonParseOptions): ParsedJson {
  const parser = new Parser(text, options);
  const value = parser.parseDocument();
  const positions = parser.positions;
  return {
    value,
    duplicates: parser.duplicates,
    locate(path) {
      let current: unknown = value;
      let best: JsonPosition = positions.get(value as object)?.self ?? { line: 1, column: 1 };
      for (const part of path) {
        if (current === null || typeof current !== 'object') break;
        const entry = positions.get(current);
        const pos = entry?.members.get(String(part));
        if (!pos) break;
        best = pos;
        current = (current as Record<string, unknown>)[part as string];
      }
      return best;
    },
  };
}

/** Editor settings (JSON with comments and trailing commas); errors are `INPUT_INVALID`. */
export function parseJsonc(text: string, file: string, maxDepth = DEFAULT_MAX_DEPTH): ParsedJson {
  return parseJsonText(text, { file, maxDepth, jsonc: true });
}

class Parser {
  readonly positions = new WeakMap<object, ContainerPositions>();
  readonly duplicates: ParsedJson['duplicates'] = [];
  private i = 0;
  private line = 1;
  private lineStart = 0;
  private readonly file: string;
  private readonly code: ErrorCode;
  private readonly maxDepth: number;
  private readonly jsonc: boolean;

  constructor(
    private readonly text: string,
    options: JsonParseOptions,
  ) {
    this.file = options.file;
    this.code = options.code ?? 'INPUT_INVALID';
    this.maxDepth = options.maxDepth ?? DEFAULT_MAX_DEPTH;
    this.jsonc = options.jsonc ?? false;
  }

  parseDocument(): unknown {
    if (this.text.charCodeAt(0) === 0xfeff) this.i = this.lineStart = 1; // byte order mark
    this.skipWhitespace();
    if (this.i >= this.text.length) this.fail('empty document: expected a JSON value');
    const value = this.parseValue(0);
    this.skipWhitespace();
    if (this.i < this.text.length) this.fail(`unexpected ${this.describeChar()} after the JSON value`);
    return value;
  }

  private position(): JsonPosition {
    return { line: this.line, column: this.i - this.lineStart + 1 };
  }

  private fail(message: string, at: JsonPosition = this.position()): never {
    throw new PortcullisError(this.code, `invalid JSON: ${message}`, { file: this.file, ...at });
  }

  private describeChar(): string {
    if (this.i >= this.text.length) return 'end of input';
    const c = this.text.codePointAt(this.i)!;
    if (c >= 0x21 && c <= 0x7e) return `character '${String.fromCharCode(c)}'`;
    return `character U+${c.toString(16).toUpperCase().padStart(4, '0')}`;
  }

  private newline(): void {
    this.line++;
    this.lineStart = this.i;
  }

  /** Whitespace and, in JSONC, comments. */
  private skipWhitespace(): void {
    const t = this.text;
    while (this.i < t.length) {
      const c = t.charCodeAt(this.i);
      if (c === 0x20 || c === 0x09 || c === 0x0d) this.i++;
      else if (c === 0x0a) {
        this.i++;
        this.newline();
      } else if (this.jsonc && c === 0x2f && t.charCodeAt(this.i + 1) === 0x2f) {
        while (this.i < t.length && t.charCodeAt(this.i) !== 0x0a) this.i++;
      } else if (this.jsonc && c === 0x2f && t.charCodeAt(this.i + 1) === 0x2a) {
        this.skipBlockComment();
      } else break;
    }
  }

  private skipBlockComment(): void {
    const t = this.text;
    const start = this.position();
    this.i += 2;
    for (;;) {
      if (this.i >= t.length) this.fail('unterminated /* comment', start);
      const c = t.charCodeAt(this.i);
      if (c === 0x2a && t.charCodeAt(this.i + 1) === 0x2f) {
        this.i += 2;
        return;
      }
      this.i++;
      if (c === 0x0a) this.newline();
    }
  }

  private parseValue(depth: number): unknown {
    const c = this.text.charCodeAt(this.i);
    if (c === 0x7b /* { */ || c === 0x5b /* [ */) {
      if (depth >= this.maxDepth) this.fail(`nesting deeper than ${this.maxDepth} levels`);
      return c === 0x7b ? this.parseObject(depth + 1) : this.parseArray(depth + 1);
    }
    if (c === 0x22 /* " */) return this.parseString();
    if (c === 0x2d /* - */ || (c >= 0x30 && c <= 0x39)) return this.parseNumber();
    if (this.text.startsWith('true', this.i)) return this.literal(4, true);
    if (this.text.startsWith('false', this.i)) return this.literal(5, false);
    if (this.text.startsWith('null', this.i)) return this.literal(4, null);
    return this.fail(`unexpected ${this.describeChar()}, expected a JSON value`);
  }

  private literal(length: number, value: boolean | null): boolean | null {
    this.i += length;
    return value;
  }

  private parseObject(depth: number): Record<string, unknown> {
    const obj: Record<string, unknown> = {};
    const entry: ContainerPositions = { self: this.position(), members: new Map() };
    this.positions.set(obj, entry);
    this.i++; // {
    this.skipWhitespace();
    if (this.text.charCodeAt(this.i) === 0x7d) {
      this.i++;
      return obj;
    }
    for (;;) {
      if (this.text.charCodeAt(this.i) !== 0x22)
        this.fail(`unexpected ${this.describeChar()}, expected a key${this.jsonc ? " or '}'" : ''}`);
      const keyPos = this.position();
      const key = this.parseString();
      if (entry.members.has(key)) {
        if (!this.jsonc) this.fail(`duplicate key ${JSON.stringify(key)}`, keyPos);
        this.duplicates.push({ key, ...keyPos });
      }
      this.skipWhitespace();
      if (this.text.charCodeAt(this.i) !== 0x3a) this.fail(`unexpected ${this.describeChar()}, expected ':'`);
      this.i++;
      this.skipWhitespace();
      const value = this.parseValue(depth);
      Object.defineProperty(obj, key, { value, writable: true, enumerable: true, configurable: true });
      entry.members.set(key, keyPos);
      this.skipWhitespace();
      const c = this.text.charCodeAt(this.i);
      if (c === 0x2c) {
        this.i++;
        this.skipWhitespace();
        if (this.trailingCommaBefore(0x7d)) return obj;
      } else if (c === 0x7d) {
        this.i++;
        return obj;
      } else this.fail(`unexpected ${this.describeChar()}, expected ',' or '}'`);
    }
  }

  /** JSONC allows a comma before the closing bracket; consumes the bracket when it is there. */
  private trailingCommaBefore(close: number): boolean {
    if (!this.jsonc || this.text.charCodeAt(this.i) !== close) return false;
    this.i++;
    return true;
  }

  private parseArray(depth: number): unknown[] {
    const arr: unknown[] = [];
    const entry: ContainerPositions = { self: this.position(), members: new Map() };
    this.positions.set(arr, entry);
    this.i++; // [
    this.skipWhitespace();
    if (this.text.charCodeAt(this.i) === 0x5d) {
      this.i++;
      return arr;
    }
    for (;;) {
      entry.members.set(String(arr.length), this.position());
      arr.push(this.parseValue(depth));
      this.skipWhitespace();
      const c = this.text.charCodeAt(this.i);
      if (c === 0x2c) {
        this.i++;
        this.skipWhitespace();
        if (this.trailingCommaBefore(0x5d)) return arr;
      } else if (c === 0x5d) {
        this.i++;
        return arr;
      } else this.fail(`unexpected ${this.describeChar()}, expected ',' or ']'`);
    }
  }

  private parseString(): string {
    const t = this.text;
    const start = this.position();
    this.i++; // opening quote
    let out = '';
    let runStart = this.i;
    for (;;) {
      if (this.i >= t.length) this.fail('unterminated string', start);
      const c = t.charCodeAt(this.i);
      if (c === 0x22) {
        out += t.slice(runStart, this.i);
        this.i++;
        return out;
      }
      if (c < 0x20) this.fail('control character in string (must be escaped)');
      if (c !== 0x5c) {
        this.i++;
        continue;
      }
      out += t.slice(runStart, this.i);
      const e = t.charCodeAt(this.i + 1);
      this.i += 2;
      switch (e) {
        case 0x22:
          out += '"';
          break;
        case 0x5c:
          out += '\\';
          break;
        case 0x2f:
          out += '/';
          break;
        case 0x62:
          out += '\b';
          break;
        case 0x66:
          out += '\f';
          break;
        case 0x6e:
          out += '\n';
          break;
        case 0x72:
          out += '\r';
          break;
        case 0x74:
          out += '\t';
          break;
        case 0x75: {
          const hex = t.slice(this.i, this.i + 4);
          if (!/^[0-9A-Fa-f]{4}$/.test(hex)) this.fail('invalid \\u escape');
          out += String.fromCharCode(Number.parseInt(hex, 16));
          this.i += 4;
          break;
        }
        default:
          this.i -= 1;
          this.fail(`invalid escape ${this.describeChar()}`);
      }
      runStart = this.i;
    }
  }

  private parseNumber(): number {
    const t = this.text;
    const start = this.i;
    const digits = (): number => {
      const from = this.i;
      while (this.i < t.length && t.charCodeAt(this.i) >= 0x30 && t.charCodeAt(this.i) <= 0x39) this.i++;
      return this.i - from;
    };
    if (t.charCodeAt(this.i) === 0x2d) this.i++;
    if (t.charCodeAt(this.i) === 0x30) this.i++;
    else if (digits() === 0) this.fail('invalid number');
    if (t.charCodeAt(this.i) === 0x2e) {
      this.i++;
      if (digits() === 0) this.fail('invalid number: digits expected after "."');
    }
    const e = t.charCodeAt(this.i);
    if (e === 0x65 || e === 0x45) {
      this.i++;
      const sign = t.charCodeAt(this.i);
      if (sign === 0x2b || sign === 0x2d) this.i++;
      if (digits() === 0) this.fail('invalid number: digits expected in exponent');
    }
    return Number(t.slice(start, this.i));
  }
}
