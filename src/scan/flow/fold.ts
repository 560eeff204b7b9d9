// Constant folding of the string and byte operations that hide names and payloads: decoders
// (base64, hex, rot13, char codes, URI escapes) and methods on constant strings and arrays
// (`.decode()`, `.split('').reverse().join('')`, `.replace`, `.format`). Everything is capped by
// MAX_STRING; anything not statically known returns undefined and the caller goes opaque.

import { arrValue, concatValues, constStr, konst, MAX_STRING, type V } from './values.js';

const B64 = /^[A-Za-z0-9+/_-]*={0,3}$/;
const HEX = /^(?:[0-9a-fA-F]{2})*$/;

export function b64decode(s: string): string | undefined {
  const clean = s.replace(/\s+/g, '');
  if (clean.length > MAX_STRING * 2 || !B64.test(clean)) return undefined;
  return Buffer.from(clean.replace(/-/g, '+').replace(/_/g, '/'), 'base64').toString('latin1');
}

export function hexdecode(s: string): string | undefined {
  const clean = s.replace(/\s+/g, '');
  if (clean.length > MAX_STRING * 2 || !HEX.test(clean)) return undefined;
  return Buffer.from(clean, 'hex').toString('latin1');
}

export function rot13(s: string): string {
  let out = '';
  for (const ch of s) {
    const c = ch.charCodeAt(0);
    if (c >= 65 && c <= 90) out += String.fromCharCode(((c - 65 + 13) % 26) + 65);
    else if (c >= 97 && c <= 122) out += String.fromCharCode(((c - 97 + 13) % 26) + 97);
    else out += ch;
  }
  return out;
}

/** Latin-1 "bytes" (how decoders return data) to text, as `.decode('utf-8')` would. */
export function latin1ToUtf8(s: string): string {
  for (let i = 0; i < s.length; i++)
    if (s.charCodeAt(i) > 127) return Buffer.from(s, 'latin1').toString('utf8');
  return s;
}

export function charCodes(values: V[]): string | undefined {
  let out = '';
  for (const v of values) {
    if (v.k !== 'const' || typeof v.v !== 'number' || !Number.isInteger(v.v) || v.v < 0 || v.v > 0x10ffff)
      return undefined;
    out += String.fromCodePoint(v.v);
    if (out.length > MAX_STRING) return undefined;
  }
  return out;
}

/** Constant array items, if the value is an array of constants (or a constant string split to chars). */
export function constItems(v: V): V[] | undefined {
  if (v.k !== 'arr' || v.rest) return undefined;
  return v.items.every((i) => i.k === 'const') ? v.items : undefined;
}

function decodeWith(s: string, encoding: string | undefined): string | undefined {
  const enc = (encoding ?? 'utf8').toLowerCase().replace(/[-_]/g, '');
  if (enc === 'base64' || enc === 'base64url') return b64decode(s);
  if (enc === 'hex') return hexdecode(s);
  if (enc === 'utf8' || enc === 'ascii' || enc === 'latin1' || enc === 'binary') return s;
  return undefined;
}

/** `Buffer.from(s, enc)`: the decoded bytes as latin1 text. */
export function bufferFrom(s: string, encoding: string | undefined): string | undefined {
  return decodeWith(s, encoding);
}

/** A method call on a constant string or a constant array, folded; undefined when not foldable. */
export function foldMethod(recv: V, name: string, args: V[]): V | undefined {
  if (recv.k === 'const' && typeof recv.v === 'string')
    return stringMethod(recv.v, name, args, recv.dec ? 'decoded' : recv.built === true);
  const items = constItems(recv);
  if (items) return arrayMethod(items, name, args);
  return undefined;
}

function stringMethod(s: string, name: string, args: V[], built: boolean | 'decoded'): V | undefined {
  const a0 = constStr(args[0]);
  const a1 = constStr(args[1]);
  switch (name) {
    case 'decode': {
      const enc = a0?.toLowerCase().replace(/[-_]/g, '');
      // Bytes to text keeps what the bytes were; the other codecs decode.
      if (!enc || enc === 'utf8') return konst(latin1ToUtf8(s), built === 'decoded' ? 'decoded' : true);
      if (enc === 'rot13') return konst(rot13(s), 'decoded');
      if (enc === 'hex') {
        const d = hexdecode(s);
        return d === undefined ? undefined : konst(d, 'decoded');
      }
      if (enc === 'base64') {
        const d = b64decode(s);
        return d === undefined ? undefined : konst(d, 'decoded');
      }
      return konst(s, built === 'decoded' ? 'decoded' : true);
    }
    case 'encode':
    case 'valueOf':
    case 'trimEnd':
    case 'toWellFormed':
      return konst(s, built);
    case 'toString': {
      // Buffer-decoded text re-encoded: `.toString('base64')` is an encoding, not a decoding.
      if (a0 === 'base64') return konst(Buffer.from(s, 'latin1').toString('base64'), true);
      if (a0 === 'hex') return konst(Buffer.from(s, 'latin1').toString('hex'), true);
      return konst(a0 === undefined || /^utf-?8$/i.test(a0) ? latin1ToUtf8(s) : s, built);
    }
    case 'upper':
    case 'toUpperCase':
      return konst(s.toUpperCase(), built);
    case 'lower':
    case 'toLowerCase':
    case 'casefold':
      return konst(s.toLowerCase(), built);
    case 'strip':
    case 'trim':
      return konst(s.trim(), built);
    case 'lstrip':
    case 'trimStart':
      return konst(s.trimStart(), built);
    case 'rstrip':
      return konst(s.trimEnd(), built);
    case 'replace':
    case 'replaceAll':
      if (a0 === undefined || a1 === undefined) return undefined;
      return konst(s.split(a0).join(a1), true);
    case 'split':
      if (a0 === undefined)
        return arrValue(
          s
            .split(/\s+/)
            .filter(Boolean)
            .map((x) => konst(x, true)),
        );
      if (s.length > 4096) return undefined;
      return arrValue((a0 === '' ? [...s] : s.split(a0)).map((x) => konst(x, true)));
    case 'join': {
      const items = args[0] ? constItems(args[0]) : undefined;
      if (!items) return undefined;
      return concatValues(joinWith(items, s));
    }
    case 'format': {
      let i = 0;
      const out = s.replace(/\{(\d*)\}/g, (m, n: string) => {
        const idx = n === '' ? i++ : Number(n);
        return constStr(args[idx]) ?? m;
      });
      return konst(out, true);
    }
    case 'concat':
      return concatValues([konst(s), ...args]);
    case 'slice':
    case 'substring': {
      const start = args[0]?.k === 'const' ? Number(args[0].v) : 0;
      const end = args[1]?.k === 'const' ? Number(args[1].v) : undefined;
      return konst(s.slice(start, end), built);
    }
    case 'charAt':
      return konst(s.charAt(Number(a0 ?? 0)), built);
    default:
      return undefined;
  }
}

function joinWith(items: V[], sep: string): V[] {
  const out: V[] = [];
  items.forEach((it, i) => {
    if (i > 0 && sep) out.push(konst(sep));
    out.push(it);
  });
  if (out.length === 0) out.push(konst(''));
  return out;
}

function arrayMethod(items: V[], name: string, args: V[]): V | undefined {
  switch (name) {
    case 'reverse':
    case 'toReversed':
      return arrValue([...items].reverse());
    case 'join': {
      const sep = args.length === 0 ? ',' : constStr(args[0]);
      if (sep === undefined) return undefined;
      const v = concatValues(joinWith(items, sep));
      return v.k === 'const' ? { ...v, built: true } : v;
    }
    case 'map':
      return undefined;
    default:
      return undefined;
  }
}
