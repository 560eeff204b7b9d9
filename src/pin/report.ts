// Human-readable output of `portcullis verify`. Changed descriptions are attacker-controlled text
// printed to a terminal, so invisible and control characters are shown as escapes: an ANSI
// sequence or a bidi override must not be able to hide or rewrite the very diff that reveals it.

import type { DiffLine, FieldChange, JsonChange, ServerDiff, ToolChange } from './diff.js';
import type { VerifyReport } from './workflow.js';

const CONTEXT_LINES = 2;
const MAX_VALUE_CHARS = 300;

function isInvisible(cp: number): boolean {
  return (
    cp < 0x20 ||
    (cp >= 0x7f && cp <= 0x9f) ||
    cp === 0xad ||
    cp === 0x061c ||
    (cp >= 0x200b && cp <= 0x200f) ||
    (cp >= 0x2028 && cp <= 0x202e) ||
    (cp >= 0x2060 && cp <= 0x206f) ||
    cp === 0xfeff ||
    (cp >= 0xfff9 && cp <= 0xfffb) ||
    (cp >= 0xe0000 && cp <= 0xe007f) ||
    (cp >= 0xd800 && cp <= 0xdfff)
  );
}

/** The text with control, format and invisible characters written as `\u{…}`. Tabs stay. */
export function visible(text: string): string {
  let out = '';
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    out += cp !== 0x09 && isInvisible(cp) ? `\\u{${cp.toString(16)}}` : ch;
  }
  return out;
}

function renderValue(value: unknown): string {
  const text = visible(JSON.stringify(value) ?? 'undefined');
  return text.length > MAX_VALUE_CHARS
    ? `${text.slice(0, MAX_VALUE_CHARS)}… (${text.length - MAX_VALUE_CHARS} more characters; see --format json)`
    : text;
}

/** Changed lines with a little context; runs of unchanged lines in between are elided. */
export function renderLineDiff(lines: DiffLine[], indent: string): string[] {
  const keep = new Array<boolean>(lines.length).fill(false);
  lines.forEach((line, i) => {
    if (line.op === ' ') return;
    for (let j = Math.max(0, i - CONTEXT_LINES); j <= Math.min(lines.length - 1, i + CONTEXT_LINES); j++) {
      keep[j] = true;
    }
  });
  const out: string[] = [];
  let skipped = false;
  lines.forEach((line, i) => {
    if (!keep[i]) {
      skipped = true;
      return;
    }
    if (skipped && out.length > 0) out.push(`${indent}  …`);
    skipped = false;
    out.push(`${indent}${line.op} ${visible(line.text)}`);
  });
  return out;
}

function renderJsonChange(change: JsonChange): string {
  if (change.kind === 'added') return `${change.path}: added ${renderValue(change.after)}`;
  if (change.kind === 'removed') return `${change.path}: removed ${renderValue(change.before)}`;
  return `${change.path}: changed ${renderValue(change.before)} -> ${renderValue(change.after)}`;
}

function renderField(field: FieldChange, indent: string): string[] {
  if (field.lines)
    return [`${indent}${field.field} ${field.kind}:`, ...renderLineDiff(field.lines, `${indent}  `)];
  return (field.changes ?? []).map((c) => `${indent}${renderJsonChange(c)}`);
}

function where(ref: { location?: { file: string; line: number } }): string {
  return ref.location ? `  (${ref.location.file}:${ref.location.line})` : '';
}

function renderChangedTool(tool: ToolChange): string[] {
  const out = [`  ~ changed  ${visible(tool.name)}${where(tool)}`];
  for (const field of tool.fields) out.push(...renderField(field, '      '));
  return out;
}

function renderServer(server: ServerDiff): string[] {
  const name = `server ${visible(server.serverKey)} (${server.origin})`;
  if (server.status === 'unchanged') return [`${name}: unchanged`];
  const out: string[] = [];
  if (server.status === 'new')
    out.push(`${name}: not in the lockfile — ${server.added.length} tool(s) not pinned`);
  else {
    const counts = [
      server.added.length && `${server.added.length} added`,
      server.removed.length && `${server.removed.length} removed`,
      server.changed.length && `${server.changed.length} changed`,
      server.instructions && 'instructions changed',
    ].filter(Boolean);
    out.push(`${name}: ${counts.join(', ')}`);
  }
  for (const tool of server.added) out.push(`  + added    ${visible(tool.name)}${where(tool)}`);
  for (const tool of server.removed) out.push(`  - removed  ${visible(tool.name)}`);
  for (const tool of server.changed) out.push(...renderChangedTool(tool));
  if (server.instructions) {
    out.push(`  ~ instructions ${server.instructions.kind}:`);
    out.push(...renderLineDiff(server.instructions.lines, '      '));
  }
  if (server.version) {
    out.push(`  (version ${server.version.before ?? 'none'} -> ${server.version.after ?? 'none'})`);
  }
  return out;
}

export function renderVerifyText(report: VerifyReport): string {
  const out: string[] = [];
  const sig = report.signature;
  if (sig) {
    out.push(
      sig.status === 'valid'
        ? `${report.lockfile}: signature valid (key ${sig.keyId})`
        : `${report.lockfile}: SIGNATURE ${sig.status.toUpperCase()} — ${sig.message}`,
    );
    if (sig.status !== 'valid')
      out.push('  the lockfile cannot be trusted; the comparison below is against unverified pins');
  }
  for (const server of report.diff.servers) out.push(...renderServer(server));
  if (report.diff.unverified.length > 0) {
    out.push(
      `not checked (in the lockfile, no source given): ${report.diff.unverified.map(visible).join(', ')}`,
    );
  }
  const changes = report.diff.servers.reduce(
    (n, s) => n + s.added.length + s.removed.length + s.changed.length + (s.instructions ? 1 : 0),
    0,
  );
  if (report.ok) out.push('OK: every tool matches its pinned definition.');
  else {
    const parts: string[] = [];
    if (changes > 0) parts.push(`${changes} change(s) to pinned tools`);
    if (sig && sig.status !== 'valid') parts.push(`signature ${sig.status}`);
    out.push(
      `FAILED: ${parts.join('; ')}. Review the changes; if you trust them, pin again (portcullis pin) and re-sign.`,
    );
  }
  return `${out.join('\n')}\n`;
}
