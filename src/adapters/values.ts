// In-process tools return any value, not MCP results. The guard inspects MCP results, so a value is
// lifted into one as the text the model would read (a string as is, anything else as its JSON),
// and the guard's answer is mapped back: an untouched result keeps its original value and type, a
// rewritten one (flagged, fenced, redacted, quarantined) reaches the model as the rewritten text.

import { toJsonValue } from '../audit/index.js';
import type { ToolResult } from '../guard/index.js';

/** Whether a value already has the MCP tool-result shape (tools built from MCP servers return these). */
export function isToolResult(value: unknown): value is ToolResult {
  if (!value || typeof value !== 'object') return false;
  const content = (value as { content?: unknown }).content;
  return (
    Array.isArray(content) &&
    content.every(
      (p) => p !== null && typeof p === 'object' && typeof (p as { type?: unknown }).type === 'string',
    )
  );
}

/** The text the model would read for a value: strings as they are, everything else as JSON. */
export function valueText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value === undefined) return '';
  return JSON.stringify(toJsonValue(value));
}

export interface LiftedValue {
  result: ToolResult;
  /** The value was an MCP result: the inspected result is handed back as such. */
  mcp: boolean;
  /** The text that was inspected, for values that were not MCP results. */
  text: string;
}

export function liftValue(value: unknown): LiftedValue {
  if (isToolResult(value)) return { result: value, mcp: true, text: '' };
  if (typeof value === 'string' || value === undefined) {
    const text = value ?? '';
    return { result: { content: text.length > 0 ? [{ type: 'text', text }] : [] }, mcp: false, text };
  }
  const json = toJsonValue(value);
  const text = JSON.stringify(json);
  const result: ToolResult = { content: [{ type: 'text', text }] };
  // The JSON text is what the model reads. Where JSON escaped something (`\"`, `\n`, `\u…`), the
  // value's own strings are scanned too, so provenance sees `a@b.example` and not `a@b.example\`.
  if (text.includes('\\')) result.structuredContent = json;
  return { result, mcp: false, text };
}

/** The text parts of an inspected result, joined: notices first, then the (rewritten) content. */
export function resultText(result: ToolResult): string {
  return result.content
    .map((p) => (typeof p.text === 'string' ? p.text : ''))
    .filter((t) => t.length > 0)
    .join('\n');
}

/**
 * The value to hand back for an inspected result that was let through: the original when the guard
 * changed nothing (the same text came back), else the rewritten text.
 */
export function lowerValue(original: unknown, lifted: LiftedValue, inspected: ToolResult): unknown {
  if (lifted.mcp) return inspected;
  const text = resultText(inspected);
  return text === lifted.text ? original : text;
}

/** Calls `fn`, awaiting a promise and draining an async iterable (its last value is the output). */
export async function settle(value: unknown): Promise<unknown> {
  const v = await value;
  if (
    v &&
    typeof v === 'object' &&
    typeof (v as AsyncIterable<unknown>)[Symbol.asyncIterator] === 'function'
  ) {
    let last: unknown;
    for await (const item of v as AsyncIterable<unknown>) last = item;
    return last;
  }
  return v;
}
