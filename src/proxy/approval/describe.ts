// What a human is shown when asked: server, tool, the arguments with secrets masked, the reason and
// the rule. The text comes from the agent's side (arguments, names), so it is made inert before it
// reaches a terminal (no escape sequences, no bidi overrides) and bounded in size.

import { canonicalJson, maskArgs } from '../../audit/index.js';
import type { ApprovalRequest } from '../../guard/index.js';

export const MAX_ARGS_SHOWN = 2000;

export interface ApprovalView {
  server: string;
  tool: string;
  /** Canonical JSON of the masked arguments, cut to MAX_ARGS_SHOWN characters. */
  args: string;
  reason: string;
  rule: string;
  key: string;
}

export function viewOf(request: ApprovalRequest): ApprovalView {
  let args: string;
  try {
    args = canonicalJson(maskArgs(request.call.arguments));
  } catch {
    args = '[arguments could not be shown]';
  }
  if (args.length > MAX_ARGS_SHOWN) args = `${args.slice(0, MAX_ARGS_SHOWN)}… (${args.length} characters)`;
  return {
    server: String(request.call.server),
    tool: String(request.call.tool),
    args,
    reason: request.verdict.reason,
    rule: request.verdict.rule,
    key: request.approvalKey,
  };
}

/**
 * Text safe to print on a terminal: control characters (C0 but tab, DEL, C1), bidi controls and
 * line/paragraph separators become visible `\u{..}` escapes, so an argument cannot move the cursor,
 * recolour, clear the prompt or reorder what the human reads.
 */
export function inert(text: string, max = 4000): string {
  let out = '';
  for (const ch of text) {
    const c = ch.codePointAt(0) as number;
    const control =
      (c < 0x20 && c !== 0x09) ||
      (c >= 0x7f && c <= 0x9f) ||
      (c >= 0x200b && c <= 0x200f) ||
      (c >= 0x2028 && c <= 0x202e) ||
      (c >= 0x2066 && c <= 0x2069) ||
      c === 0xfeff;
    out += control ? `\\u{${c.toString(16)}}` : ch;
    if (out.length >= max) return `${out.slice(0, max)}…`;
  }
  return out;
}
