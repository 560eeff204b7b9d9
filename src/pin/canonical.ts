// RFC 8785 JSON Canonicalization Scheme (JCS): one byte sequence per JSON value, so a hash of it
// identifies the value regardless of key order, whitespace or escaping in the original text.
//
// - Object members are sorted by their keys as arrays of UTF-16 code units (RFC 8785 §3.2.3).
// - Numbers use the ECMAScript Number-to-String algorithm (§3.2.2.3); in JavaScript that is
//   exactly what String(number) does, with -0 written as 0. NaN and ±Infinity are not JSON: rejected.
// - Strings are written as in ECMAScript JSON.stringify (§3.2.2.2) — `\"`, `\\`, `\b \f \n \r \t`,
//   other controls below U+0020 as `\u00xx` (lowercase hex), everything else literally — except
//   that lone surrogates are rejected, as the RFC requires (the data would not be valid I-JSON).
// - Only JSON data is accepted: null, booleans, finite numbers, strings, arrays and plain objects.

export const MAX_CANONICAL_DEPTH = 256;

export class CanonicalizationError extends Error {
  /** Where in the value the problem is, as a list of keys and indexes. */
  readonly path: (string | number)[];

  constructor(message: string, path: (string | number)[]) {
    super(message);
    this.name = 'CanonicalizationError';
    this.path = path;
  }
}

/** The RFC 8785 canonical text of `value`. Throws CanonicalizationError for non-JSON input. */
export function canonicalize(value: unknown): string {
  const out: string[] = [];
  write(value, out, [], 0);
  return out.join('');
}

/** The canonical form as UTF-8 bytes — what gets hashed. */
export function canonicalBytes(value: unknown): Uint8Array {
  return new TextEncoder().encode(canonicalize(value));
}

/** UTF-16 code-unit order, which is what `<` on JavaScript strings already compares. */
function compareCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function write(value: unknown, out: string[], path: (string | number)[], depth: number): void {
  if (depth > MAX_CANONICAL_DEPTH) {
    throw new CanonicalizationError(`nesting deeper than ${MAX_CANONICAL_DEPTH} levels`, path);
  }
  switch (typeof value) {
    case 'string':
      out.push(quote(value, path));
      return;
    case 'number':
      out.push(serializeNumber(value, path));
      return;
    case 'boolean':
      out.push(value ? 'true' : 'false');
      return;
    case 'object':
      break;
    default:
      throw new CanonicalizationError(`${typeof value} is not a JSON value`, path);
  }
  if (value === null) {
    out.push('null');
    return;
  }
  if (Array.isArray(value)) {
    out.push('[');
    for (let i = 0; i < value.length; i++) {
      if (i > 0) out.push(',');
      path.push(i);
      write(value[i], out, path, depth + 1);
      path.pop();
    }
    out.push(']');
    return;
  }
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) {
    throw new CanonicalizationError('only plain objects are JSON objects', path);
  }
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record).sort(compareCodeUnits);
  out.push('{');
  keys.forEach((key, index) => {
    if (index > 0) out.push(',');
    path.push(key);
    out.push(quote(key, path), ':');
    write(record[key], out, path, depth + 1);
    path.pop();
  });
  out.push('}');
}

/** ECMAScript Number::toString, with the RFC's restrictions. */
export function serializeNumber(n: number, path: (string | number)[] = []): string {
  if (!Number.isFinite(n)) throw new CanonicalizationError(`${n} is not a JSON number`, path);
  if (Object.is(n, -0)) return '0';
  return String(n);
}

const SHORT_ESCAPES: Record<number, string> = {
  8: '\\b',
  9: '\\t',
  10: '\\n',
  12: '\\f',
  13: '\\r',
  34: '\\"',
  92: '\\\\',
};

function quote(s: string, path: (string | number)[]): string {
  let out = '"';
  let runStart = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdfff) {
      const next = s.charCodeAt(i + 1);
      if (c <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
        i++; // a valid pair is written literally
        continue;
      }
      throw new CanonicalizationError(
        `lone surrogate U+${c.toString(16).toUpperCase()} at offset ${i} in a string`,
        path,
      );
    }
    if (c >= 0x20 && c !== 0x22 && c !== 0x5c) continue;
    out += s.slice(runStart, i);
    out += SHORT_ESCAPES[c] ?? `\\u${c.toString(16).padStart(4, '0')}`;
    runStart = i + 1;
  }
  return `${out}${s.slice(runStart)}"`;
}
