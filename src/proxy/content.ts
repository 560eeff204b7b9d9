// Prompts and resources carry content the model reads, so the proxy scans them exactly like tool
// results: they are lifted into the tool-result shape the guard inspects, and the guard's rewrite
// (redaction, fencing, notices, quarantine) is mapped back into the original shape.

import type { ToolResult, ToolResultContent } from '../guard/index.js';

export interface ResourceContents {
  uri: string;
  mimeType?: string;
  text?: string;
  blob?: string;
  [k: string]: unknown;
}

export interface PromptMessage {
  role: string;
  content: ToolResultContent;
  [k: string]: unknown;
}

export function resourcesAsResult(contents: ResourceContents[]): ToolResult {
  return { content: contents.map((c) => ({ type: 'resource', resource: c })) };
}

export function promptAsResult(messages: PromptMessage[]): ToolResult {
  return { content: messages.map((m) => m.content) };
}

/**
 * Splits an inspected result into the notices the guard put in front and the rewritten originals.
 * Returns undefined for the originals when the guard replaced the content (quarantine).
 */
function splitInspected(
  original: ToolResultContent[],
  inspected: ToolResultContent[],
): { notices: string[]; items: ToolResultContent[] | undefined } {
  const extra = inspected.length - original.length;
  const items = extra >= 0 ? inspected.slice(extra) : undefined;
  const aligned = items?.every((p, i) => p.type === original[i]?.type) ?? false;
  const head = aligned ? inspected.slice(0, extra) : inspected;
  const notices = head.map((p) => (typeof p.text === 'string' ? p.text : '')).filter((t) => t.length > 0);
  return { notices, items: aligned ? items : undefined };
}

export function resultAsResources(original: ResourceContents[], inspected: ToolResult): ResourceContents[] {
  const wrapped = resourcesAsResult(original).content;
  const { notices, items } = splitInspected(wrapped, inspected.content);
  const out: ResourceContents[] = notices.map((text) => ({
    uri: 'portcullis:notice',
    mimeType: 'text/plain',
    text,
  }));
  for (const item of items ?? []) out.push(item.resource as ResourceContents);
  return out;
}

export function resultAsPrompt(original: PromptMessage[], inspected: ToolResult): PromptMessage[] {
  const { notices, items } = splitInspected(promptAsResult(original).content, inspected.content);
  const out: PromptMessage[] = notices.map((text) => ({ role: 'user', content: { type: 'text', text } }));
  (items ?? []).forEach((content, i) => {
    out.push({ ...(original[i] as PromptMessage), content });
  });
  return out;
}
