// A tolerant JSON-with-comments reader for editor settings (VS Code and Zed allow `//` and `/* */`
// comments and trailing commas). It remembers the line of every object member and array element so
// a finding can point at the server entry or the field that caused it.
//
// Deliberate choices:
// - duplicate keys: the last one wins (what VS Code, Zed and JSON.parse do), and each duplicate is
//   recorded so the caller can mention it — a config whose meaning depends on the parser is worth a note;
// - nesting is capped, input size is capped by the caller; the scanner is a single linear pass;
// - `__proto__` is an ordinary own key, never a prototype change.

import { PortcullisError } from '../../core/errors.js';

export interface JsoncPosition {
  line: number;
  column: number;
}

export type JsoncPath = readonly (string | number)[];

export interface ParsedJsonc {
  value: unknown;
  /** Position of the deepest existing part of `path` (the key, for object members). */
  locate(path: JsoncPath): JsoncPosition;
  duplicates: { key: string; line: number; column: number }[];
}

export const MAX_JSONC_DEPTH = 64;

interface Members {
  self: JsoncPosition;
  members: Map<string, JsoncPosition>;
}

export function parseJsonc(text: string, file: string, maxDepth = MAX_JSONC_DEPTH): ParsedJsonc {
  const reader = new JsoncReader(text, file, maxDepth);
  const value = reader.document();
  const positions = reader.positions;
  return {
    value,
    duplicates: reader.duplicates,
    locate(path) {
      let current: unknown = value;
      let best = (current !== null && typeof current === 'object' && positions.get(current)?.self) || {
        line: 1,
        column: 1,
      };
      for (const part of path) {
        if (current === null || typeof current !== 'object') break;
        const pos = positions.get(current)?.members.get(String(part));
        if (!pos) break;
        best = pos;
        current = (current as Record<string, unknown>)[part as string];
      }
      return best;
    },
  };
}

const ESCAPES: Record<string, string> = {
  '"': '"',
  '\\': '\\',
  '/': '/',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
};

class JsoncReader {
  readonly positions = new WeakMap<object, Members>();
  readonly duplicates: ParsedJsonc['duplicates'] = [];
  private i = 0;
  private line = 1;
  private lineStart = 0;

  constructor(
    private readonly text: string,
    private readonly file: string,
    private readonly maxDepth: number,
  ) {}

  document(): unknown {
    if (this.text.charCodeAt(0) === 0xfeff) this.i = this.lineStart = 1;
    this.skip();
    if (this.i >= this.text.length) this.fail('empty document: expected a JSON value');
    const value = this.value(0);
    this.skip();
    if (this.i < this.text.length) this.fail(`unexpected ${this.describe()} after the JSON value`);
    return value;
  }

  private pos(): JsoncPosition {
    return { line: this.line, column: this.i - this.lineStart + 1 };
  }

  private fail(message: string, at: JsoncPosition = this.pos()): never {
    throw new PortcullisError('INPUT_INVALID', `invalid JSON: ${message}`, { file: this.file, ...at });
  }

  private describe(): string {
    if (this.i >= this.text.length) return 'end of input';
    const c = this.text.codePointAt(this.i)!;
    if (c >= 0x21 && c <= 0x7e) return `character '${String.fromCharCode(c)}'`;
    return `character U+${c.toString(16).toUpperCase().padStart(4, '0')}`;
  }

  private newline(): void {
    this.line++;
    this.lineStart = this.i;
  }

  /** Whitespace and comments. */
  private skip(): void {
    const t = this.text;
    while (this.i < t.length) {
      const c = t.charCodeAt(this.i);
      if (c === 0x20 || c === 0x09 || c === 0x0d) this.i++;
      else if (c === 0x0a) {
        this.i++;
        this.newline();
      } else if (c === 0x2f && t.charCodeAt(this.i + 1) === 0x2f) {
        while (this.i < t.length && t.charCodeAt(this.i) !== 0x0a) this.i++;
      } else if (c === 0x2f && t.charCodeAt(this.i + 1) === 0x2a) {
        const start = this.pos();
        this.i += 2;
        for (;;) {
          if (this.i >= t.length) this.fail('unterminated /* comment', start);
          const d = t.charCodeAt(this.i);
          if (d === 0x2a && t.charCodeAt(this.i + 1) === 0x2f) {
            this.i += 2;
            break;
          }
          this.i++;
          if (d === 0x0a) this.newline();
        }
      } else break;
    }
  }

  private value(depth: number): unknown {
    const c = this.text.charCodeAt(this.i);
    if (c === 0x7b || c === 0x5b) {
      if (depth >= this.maxDepth) this.fail(`nesting deeper than ${this.maxDepth} levels`);
      return c === 0x7b ? this.object(depth + 1) : this.array(depth + 1);
    }
    if (c === 0x22) return this.string();
    if (c === 0x2d || (c >= 0x30 && c <= 0x39)) return this.number();
    for (const [word, v] of [
      ['true', true],
      ['false', false],
      ['null', null],
    ] as const) {
      if (this.text.startsWith(word, this.i)) {
        this.i += word.length;
        return v;
      }
    }
    return this.fail(`unexpected ${this.describe()}, expected a JSON value`);
  }

  private object(depth: number): Record<string, unknown> {
    const obj: Record<string, unknown> = {};
    const entry: Members = { self: this.pos(), members: new Map() };
    this.positions.set(obj, entry);
    this.i++;
    for (;;) {
      this.skip();
      const c = this.text.charCodeAt(this.i);
      if (c === 0x7d) {
        this.i++;
        return obj;
      }
      if (c !== 0x22) this.fail(`unexpected ${this.describe()}, expected a key or '}'`);
      const keyPos = this.pos();
      const key = this.string();
      if (entry.members.has(key)) this.duplicates.push({ key, ...keyPos });
      this.skip();
      if (this.text.charCodeAt(this.i) !== 0x3a) this.fail(`unexpected ${this.describe()}, expected ':'`);
      this.i++;
      this.skip();
      const value = this.value(depth);
      Object.defineProperty(obj, key, { value, writable: true, enumerable: true, configurable: true });
      entry.members.set(key, keyPos);
      this.skip();
      const d = this.text.charCodeAt(this.i);
      if (d === 0x2c) this.i++;
      else if (d !== 0x7d) this.fail(`unexpected ${this.describe()}, expected ',' or '}'`);
    }
  }

  private array(depth: number): unknown[] {
    const arr: unknown[] = [];
    const entry: Members = { self: this.pos(), members: new Map() };
    this.positions.set(arr, entry);
    this.i++;
    for (;;) {
      this.skip();
      if (this.text.charCodeAt(this.i) === 0x5d) {
        this.i++;
        return arr;
      }
      entry.members.set(String(arr.length), this.pos());
      arr.push(this.value(depth));
      this.skip();
      const d = this.text.charCodeAt(this.i);
      if (d === 0x2c) this.i++;
      else if (d !== 0x5d) this.fail(`unexpected ${this.describe()}, expected ',' or ']'`);
    }
  }

  private string(): string {
    const t = this.text;
    const start = this.pos();
    this.i++;
    let out = '';
    let run = this.i;
    for (;;) {
      if (this.i >= t.length) this.fail('unterminated string', start);
      const c = t.charCodeAt(this.i);
      if (c === 0x22) {
        out += t.slice(run, this.i);
        this.i++;
        return out;
      }
      if (c < 0x20) this.fail('control character in string (newlines must be escaped)');
      if (c !== 0x5c) {
        this.i++;
        continue;
      }
      out += t.slice(run, this.i);
      const e = t[this.i + 1];
      if (e === 'u') {
        const hex = t.slice(this.i + 2, this.i + 6);
        if (!/^[0-9a-fA-F]{4}$/.test(hex)) this.fail('invalid \\u escape');
        out += String.fromCharCode(Number.parseInt(hex, 16));
        this.i += 6;
      } else if (e !== undefined && ESCAPES[e] !== undefined) {
        out += ESCAPES[e];
        this.i += 2;
      } else this.fail('invalid escape in string');
      run = this.i;
    }
  }

  private number(): number {
    const t = this.text;
    const start = this.i;
    if (t[this.i] === '-') this.i++;
    const digits = (): number => {
      const from = this.i;
      while (this.i < t.length && t.charCodeAt(this.i) >= 0x30 && t.charCodeAt(this.i) <= 0x39) this.i++;
      return this.i - from;
    };
    if (digits() === 0) this.fail('invalid number');
    if (t[this.i] === '.') {
      this.i++;
      if (digits() === 0) this.fail('invalid number');
    }
    if (t[this.i] === 'e' || t[this.i] === 'E') {
      this.i++;
      if (t[this.i] === '+' || t[this.i] === '-') this.i++;
      if (digits() === 0) this.fail('invalid number');
    }
    return Number(t.slice(start, this.i));
  }
}
