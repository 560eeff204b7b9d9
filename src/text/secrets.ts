// Finding and redacting secrets. `findSecrets` reports provider key formats and credentials in context;
// `redactKnownSecrets` removes secrets the caller already knows (the guard's scoped credentials) in raw,
// URL-, hex- and base64-encoded form, including inside a longer base64 blob at any byte alignment.

import { acceptContextToken, CONTEXT_KEYWORDS, CONTEXT_TOKEN, SECRET_PATTERNS } from './secret-patterns.js';
import type { SecretFinding } from './types.js';

const MAX_FINDINGS = 1000;

const GATES = [...new Set(SECRET_PATTERNS.flatMap((p) => p.gate ?? []))];

/** Which provider literals occur in `text` (`includes` is far cheaper than a regex alternation). */
function presentGates(text: string): Set<string> {
  const present = new Set<string>();
  for (const g of GATES) if (text.includes(g)) present.add(g);
  return present;
}

/**
 * Case-insensitive patterns run case-sensitively on the lower-cased copy (same length, so the same
 * offsets), which is much faster; the secret itself is then read from the original text.
 */
const LOWER_VARIANT = new Map<RegExp, RegExp>();
function onLower(re: RegExp): RegExp {
  let v = LOWER_VARIANT.get(re);
  if (!v) {
    v = new RegExp(re.source, re.flags.replace('i', ''));
    LOWER_VARIANT.set(re, v);
  }
  return v;
}

export function maskSecret(value: string): string {
  const keep = value.length >= 12 ? 4 : 0;
  return value.slice(0, keep) + '*'.repeat(Math.min(12, Math.max(4, value.length - keep)));
}

function overlaps(
  a: { start: number; end: number },
  list: readonly { start: number; end: number }[],
): boolean {
  for (const b of list) if (a.start < b.end && b.start < a.end) return true;
  return false;
}

/**
 * Secrets in `text`, ordered by position; where findings overlap, the first (most specific) wins.
 * `lower` may pass a lower-cased copy of `text` the caller already has (it only gates patterns).
 */
export function findSecrets(text: string, lower?: string): SecretFinding[] {
  const found: SecretFinding[] = [];
  const present = presentGates(text);
  const lc = lower !== undefined && lower.length === text.length ? lower : text.toLowerCase();
  const sameLength = lc.length === text.length;
  for (const p of SECRET_PATTERNS) {
    if (p.gate && !p.gate.some((g) => present.has(g))) continue;
    if (p.keywords && !p.keywords.some((k) => lc.includes(k))) continue;
    const lowered = p.re.ignoreCase && sameLength;
    const re = lowered ? onLower(p.re) : p.re;
    const subject = lowered ? lc : text;
    re.lastIndex = 0;
    for (let m = re.exec(subject); m !== null && found.length < MAX_FINDINGS; m = re.exec(subject)) {
      if (m[0].length === 0) {
        re.lastIndex++;
        continue;
      }
      const start = p.group === 0 ? m.index : (m.indices?.[p.group]?.[0] ?? m.index);
      const len = (m[p.group] ?? '').length;
      const value = text.slice(start, start + len);
      if (!value || (p.accept && !p.accept(value))) continue;
      const f = {
        kind: p.kind,
        start,
        end: start + value.length,
        masked: maskSecret(value),
        confidence: p.confidence,
      };
      if (!overlaps(f, found)) found.push(f);
    }
  }
  if (!CONTEXT_KEYWORDS.some((k) => lc.includes(k))) return found.sort((a, b) => a.start - b.start);
  const ctx = sameLength ? onLower(CONTEXT_TOKEN) : CONTEXT_TOKEN;
  const subject = sameLength ? lc : text;
  ctx.lastIndex = 0;
  for (let m = ctx.exec(subject); m !== null && found.length < MAX_FINDINGS; m = ctx.exec(subject)) {
    const start = m.indices?.[1]?.[0] ?? m.index;
    const value = text.slice(start, start + m[1]!.length);
    if (!acceptContextToken(value)) continue;
    const f: SecretFinding = {
      kind: 'high-entropy',
      start,
      end: start + value.length,
      masked: maskSecret(value),
      confidence: 'medium',
    };
    if (!overlaps(f, found)) found.push(f);
  }
  return found.sort((a, b) => a.start - b.start);
}

/** `text` with each finding replaced by `[REDACTED:kind]`. */
export function redactSecrets(text: string, findings: readonly SecretFinding[] = findSecrets(text)): string {
  if (findings.length === 0) return text;
  const sorted = [...findings].sort((a, b) => a.start - b.start);
  const parts: string[] = [];
  let last = 0;
  for (const f of sorted) {
    if (f.start < last) continue;
    parts.push(text.slice(last, f.start), `[REDACTED:${f.kind}]`);
    last = f.end;
  }
  parts.push(text.slice(last));
  return parts.join('');
}

/** Base64 characters of `bytes` placed after `align` unknown bytes that depend only on `bytes`. */
function base64Core(bytes: Uint8Array, align: number): string {
  const padded = new Uint8Array(align + bytes.length);
  padded.set(bytes, align);
  const b64 = Buffer.from(padded).toString('base64').replace(/=+$/, '');
  const first = Math.ceil((8 * align) / 6);
  const last = Math.floor((8 * (align + bytes.length) - 6) / 6);
  return b64.slice(first, last + 1);
}

/** The encoded forms of one secret that may appear in tool output. */
export function encodedForms(secret: string): string[] {
  const forms = new Set<string>([secret]);
  const uri = encodeURIComponent(secret);
  forms.add(uri);
  forms.add(uri.replace(/%[0-9A-F]{2}/g, (h) => h.toLowerCase()));
  if (secret.length >= 8) {
    const bytes = new TextEncoder().encode(secret);
    const hex = Buffer.from(bytes).toString('hex');
    forms.add(hex);
    forms.add(hex.toUpperCase());
    for (let align = 0; align < 3; align++) {
      const core = base64Core(bytes, align);
      if (core.length >= 8) {
        forms.add(core);
        forms.add(core.replace(/\+/g, '-').replace(/\//g, '_'));
      }
    }
  }
  forms.delete('');
  // Longest first, so a longer form is replaced before a shorter one inside it.
  return [...forms].sort((a, b) => b.length - a.length);
}

export interface KnownRedaction {
  text: string;
  /** Number of occurrences replaced. */
  redactions: number;
}

/**
 * Replaces every raw or encoded occurrence of the given secrets with `[REDACTED]`. Secrets shorter than
 * 4 characters are ignored (they would redact ordinary text).
 */
export function redactKnownSecrets(text: string, secrets: readonly string[]): KnownRedaction {
  let out = text;
  let redactions = 0;
  const forms = new Set<string>();
  for (const s of secrets) if (s.length >= 4) for (const f of encodedForms(s)) forms.add(f);
  for (const form of [...forms].sort((a, b) => b.length - a.length)) {
    if (!out.includes(form)) continue;
    const pieces = out.split(form);
    redactions += pieces.length - 1;
    out = pieces.join('[REDACTED]');
  }
  return { text: out, redactions };
}
