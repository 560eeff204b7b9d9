// Canonical JSON for audit records: RFC 8785 key order (UTF-16 code units) and ECMAScript number
// and string forms, over a sanitised copy of the value. The log must accept whatever a caller
// hands it (tool arguments come from a model), so instead of rejecting non-JSON input the way
// src/pin's canonicaliser does, this one turns it into JSON that says what it was: lone
// surrogates become U+FFFD, NaN/Infinity/bigint become strings, cycles and over-deep nesting become
// markers. A test checks the output equals src/pin's RFC 8785 form on JSON input.

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/** Nesting beyond this is replaced by a marker string: audit records are for people, not archives. */
export const MAX_JSON_DEPTH = 64;

export const DEPTH_MARKER = '[nested too deep]';
export const CIRCULAR_MARKER = '[circular]';

/** Replaces lone surrogates with U+FFFD so the text is valid UTF-8 and I-JSON. */
export function wellFormed(s: string): string {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0xd800 || c > 0xdfff) continue;
    const next = s.charCodeAt(i + 1);
    if (c <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
      i++;
      continue;
    }
    return repairSurrogates(s);
  }
  return s;
}

function repairSurrogates(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) {
      const next = s.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        out += s[i]! + s[i + 1]!;
        i++;
        continue;
      }
      out += '\ufffd';
    } else if (c >= 0xdc00 && c <= 0xdfff) out += '\ufffd';
    else out += s[i]!;
  }
  return out;
}

/**
 * A plain JSON copy of `value`: objects as fresh plain objects, `toJSON` honoured, undefined,
 * functions and symbols dropped from objects (null in arrays, like JSON.stringify).
 */
export function toJsonValue(value: unknown): JsonValue {
  return convert(value, 0, new Set());
}

function convert(value: unknown, depth: number, seen: Set<object>): JsonValue {
  switch (typeof value) {
    case 'string':
      return wellFormed(value);
    case 'number':
      if (Number.isFinite(value)) return Object.is(value, -0) ? 0 : value;
      return String(value);
    case 'boolean':
      return value;
    case 'bigint':
      return value.toString();
    case 'undefined':
    case 'function':
    case 'symbol':
      return null;
    default:
      break;
  }
  if (value === null) return null;
  const obj = value as object;
  if (depth >= MAX_JSON_DEPTH) return DEPTH_MARKER;
  if (seen.has(obj)) return CIRCULAR_MARKER;
  const toJSON = (obj as { toJSON?: unknown }).toJSON;
  if (typeof toJSON === 'function') {
    seen.add(obj);
    const converted = convert(toJSON.call(obj), depth + 1, seen);
    seen.delete(obj);
    return converted;
  }
  seen.add(obj);
  try {
    if (Array.isArray(obj)) return obj.map((item) => convert(item, depth + 1, seen));
    if (obj instanceof Map) return convert(Object.fromEntries(obj), depth, seen);
    if (obj instanceof Set) return convert([...obj], depth, seen);
    if (ArrayBuffer.isView(obj)) return `[${obj.byteLength} bytes]`;
    const out: { [key: string]: JsonValue } = {};
    for (const key of Object.keys(obj)) {
      const item = (obj as Record<string, unknown>)[key];
      if (item === undefined || typeof item === 'function' || typeof item === 'symbol') continue;
      out[wellFormed(key)] = convert(item, depth + 1, seen);
    }
    return out;
  } finally {
    seen.delete(obj);
  }
}

/**
 * RFC 8785 text of a value produced by `toJsonValue` (or parsed from JSON). Keys are written in
 * code-unit order explicitly: JSON.stringify would put integer-like keys first.
 */
export function canonicalJson(value: JsonValue): string {
  const out: string[] = [];
  write(value, out, 0);
  return out.join('');
}

/** Deeper than anything toJsonValue produces; reached only by values parsed from a hostile file. */
const MAX_WRITE_DEPTH = 4 * MAX_JSON_DEPTH;

function write(value: JsonValue, out: string[], depth: number): void {
  if (depth > MAX_WRITE_DEPTH) throw new RangeError(`JSON nested deeper than ${MAX_WRITE_DEPTH} levels`);
  if (value === null || typeof value !== 'object') {
    out.push(JSON.stringify(value));
    return;
  }
  if (Array.isArray(value)) {
    out.push('[');
    for (let i = 0; i < value.length; i++) {
      if (i > 0) out.push(',');
      write(value[i]!, out, depth + 1);
    }
    out.push(']');
    return;
  }
  // Absent optional fields may be present as undefined: skip them, as JSON.stringify does.
  const keys = Object.keys(value)
    .filter((key) => value[key] !== undefined)
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  out.push('{');
  for (let i = 0; i < keys.length; i++) {
    if (i > 0) out.push(',');
    const key = keys[i]!;
    out.push(JSON.stringify(key), ':');
    write(value[key]!, out, depth + 1);
  }
  out.push('}');
}
