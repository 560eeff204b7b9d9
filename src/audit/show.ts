// Reading a log for people: `portcullis audit show`. Tolerant (a damaged line is reported and
// skipped; proving integrity is verify's job) and streaming. Everything printed from the log is
// made inert first: tool and server names come from MCP servers, which may be hostile, and a log
// line must not be able to move the cursor, recolour the terminal or reverse text.

import { canonicalJson, type JsonValue } from './canonical.js';
import { type AuditEntry, decodeLine } from './format.js';
import { readLines } from './reader.js';

export interface ShowFilter {
  /** Session id, or a prefix of one. */
  session?: string;
  decision?: string;
  /** Tool name, or `server/tool`. */
  tool?: string;
}

export type ShowItem = { line: number; entry: AuditEntry; hash: string } | { line: number; error: string };

/** Entries of the log in order, with unreadable lines as errors. Filters apply to decision records. */
export async function* readAuditEntries(file: string, filter: ShowFilter = {}): AsyncGenerator<ShowItem> {
  const filtering =
    filter.session !== undefined || filter.decision !== undefined || filter.tool !== undefined;
  for await (const raw of readLines(file)) {
    if (raw.tooLong) {
      yield { line: raw.line, error: 'line too long' };
      continue;
    }
    if (raw.length === 0 && raw.terminated) continue;
    const decoded = decodeLine(raw.bytes);
    if (!decoded.ok) {
      yield { line: raw.line, error: raw.terminated ? decoded.message : 'incomplete last line' };
      continue;
    }
    const entry = decoded.entry;
    if (filtering && (entry.type !== 'decision' || !matches(entry, filter))) continue;
    yield { line: raw.line, entry, hash: decoded.hash };
  }
}

function matches(entry: AuditEntry & { type: 'decision' }, filter: ShowFilter): boolean {
  if (filter.session !== undefined && !entry.session.startsWith(filter.session)) return false;
  if (filter.decision !== undefined && entry.decision !== filter.decision) return false;
  if (
    filter.tool !== undefined &&
    entry.tool !== filter.tool &&
    `${entry.server}/${entry.tool}` !== filter.tool
  ) {
    return false;
  }
  return true;
}

/**
 * Escapes C0/C1 controls (ESC included), DEL, line and paragraph separators, bidi controls and
 * zero-width characters as \u{…}, so what is shown is what is in the log.
 */
export function inert(s: string): string {
  let out = '';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    const hidden =
      c < 0x20 ||
      (c >= 0x7f && c <= 0x9f) ||
      (c >= 0x200b && c <= 0x200f) ||
      (c >= 0x2028 && c <= 0x202e) ||
      (c >= 0x2060 && c <= 0x2069) ||
      c === 0xfeff ||
      (c >= 0xe0000 && c <= 0xe007f);
    out += hidden ? `\\u{${c.toString(16)}}` : ch;
  }
  return out;
}

/** Shortens to `max` characters (code points), marking the cut. */
export function truncate(s: string, max: number): string {
  const chars = Array.from(s.length > max * 2 + 8 ? s.slice(0, max * 2 + 8) : s);
  return chars.length <= max ? s : `${chars.slice(0, max - 1).join('')}…`;
}

export interface TextStyle {
  decision(decision: string, text: string): string;
  dim(text: string): string;
  bold(text: string): string;
}

export const PLAIN_STYLE: TextStyle = { decision: (_d, t) => t, dim: (t) => t, bold: (t) => t };

const ARGS_DISPLAY_CHARS = 160;

function displayJson(value: JsonValue): string {
  try {
    return canonicalJson(value);
  } catch {
    return '[nested too deep to show]';
  }
}

/** One entry as text: a headline and an indented detail line. */
export function renderEntryText(item: ShowItem, style: TextStyle = PLAIN_STYLE): string {
  if ('error' in item) return style.dim(`line ${item.line}: unreadable record (${inert(item.error)})\n`);
  const e = item.entry;
  if (e.type === 'segment') {
    const why = e.reason === 'forced' ? ' — forced after the previous chain failed verification' : '';
    return style.dim(`── ${inert(e.time)}  new chain (session ${inert(e.session)})${why}\n`);
  }
  if (e.type === 'checkpoint') {
    const kind = e.final ? 'closing checkpoint' : 'checkpoint';
    return style.dim(`── ${inert(e.time)}  ${kind} #${e.seq}: ${e.count} records signed by key ${e.keyId}\n`);
  }
  const decision = style.decision(e.decision, e.decision.toUpperCase().padEnd(8));
  const where = style.bold(`${inert(e.server)}/${inert(e.tool)}`);
  const session = truncate(inert(e.session), 12);
  const head = `${inert(e.time)}  ${decision}  ${where}  ${style.dim(`${inert(e.method)}  session ${session}  #${e.seq}`)}\n`;
  const rule = e.rule ? `[${inert(e.rule)}] ` : '';
  const labels = e.labels.length > 0 ? style.dim(`  labels: ${e.labels.map(inert).join(', ')}`) : '';
  const args = truncate(inert(displayJson(e.args)), ARGS_DISPLAY_CHARS);
  const result = e.resultDigest ? style.dim(`  result ${inert(e.resultDigest)}`) : '';
  return `${head}    ${rule}${truncate(inert(e.reason), 200)}${labels}\n    args ${args}${result}\n`;
}
