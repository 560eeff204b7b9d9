// Tool calls written as text. Small local models (Qwen2.5-Coder among them) sometimes answer with
// the call as JSON in the message body — bare, in a ```json fence, or in <tool_call> tags — when
// the server's template parser does not catch it. Read them only when the whole message is such
// calls and each names a tool that was offered: prose that merely contains JSON stays prose.
import { normaliseToolCall } from './tool-calls.js';
import type { ChatToolCall } from './types.js';

const MAX_TEXT = 200_000;

function blocks(content: string): string[] | undefined {
  const text = content.trim();
  if (text === '' || text.length > MAX_TEXT) return undefined;
  const tagged = [...text.matchAll(/<tool_call>([\s\S]*?)<\/tool_call>/g)];
  if (tagged.length > 0) {
    const rest = text.replace(/<tool_call>[\s\S]*?<\/tool_call>/g, '').trim();
    return rest === '' ? tagged.map((m) => m[1]!.trim()) : undefined;
  }
  const fenced = /^```(?:json)?\s*([\s\S]*?)\s*```$/.exec(text);
  return [fenced ? fenced[1]! : text];
}

export function toolCallsInText(
  content: string,
  offered: ReadonlySet<string>,
  nextId: () => string,
): ChatToolCall[] {
  const parts = blocks(content);
  if (!parts) return [];
  const calls: ChatToolCall[] = [];
  for (const part of parts) {
    if (!part.startsWith('{') && !part.startsWith('[')) return [];
    let parsed: unknown;
    try {
      parsed = JSON.parse(part);
    } catch {
      return [];
    }
    for (const item of Array.isArray(parsed) ? parsed : [parsed]) {
      if (!item || typeof item !== 'object') return [];
      const o = item as Record<string, unknown>;
      if (typeof o.name !== 'string' || !offered.has(o.name)) return [];
      if (!('arguments' in o) && !('parameters' in o)) return [];
      calls.push(normaliseToolCall({ function: o }, nextId()));
    }
  }
  return calls.slice(0, 64);
}
