// Judgements over one tool's analysis: what the poisoning rules report. Each function returns
// judgements sorted strongest first; a rule reports one finding per message id (the strongest), with
// every place listed in the evidence.

import type { Severity, ToolDefinition } from '../../core/types.js';
import { detectInjection } from '../index.js';
import {
  analyzeTool,
  EXFIL_CHANNEL,
  EXFIL_TARGET,
  near,
  type PoisonSignal,
  scoreOf,
  type ToolAnalysis,
} from './analyze.js';
import { visible } from './visible.js';

export interface Judgement {
  messageId: string;
  severity: Severity;
  field: string;
  /** The offending text, hidden characters made visible. */
  excerpt: string;
  data: Record<string, string>;
}

const RANK: Record<Severity, number> = { critical: 4, high: 3, medium: 2, low: 1, info: 0 };
export const bySeverity = (a: Judgement, b: Judgement) => RANK[b.severity] - RANK[a.severity];

export const SHADOW_FAMILIES = new Set([
  'priority-claim',
  'deprecation-shadow',
  'global-redirect',
  'shadowing',
]);
/**
 * Families that support an instruction finding but never make one alone, capped at these weights. A
 * tool description is addressed to the model by nature ("Instructions for AI agents: …"), putting a
 * value into a parameter is how tools are used, and a secret file's name is a target, not a verb.
 */
const SUPPORT_ONLY = new Map<string, number>([
  ['sensitive-file', 0.3],
  ['addressed-to-model', 0.25],
  ['directive-to-reader', 0.25],
  ['param-sink', 0],
  ['parameter-smuggling', 0.3],
]);
const NOT_INSTRUCTION = (s: PoisonSignal) => s.id.startsWith('hidden-') || s.id === 'encoded-payload';

const FAMILY_MESSAGE: Record<string, string> = {
  secrecy: 'secrecy',
  'cover-tracks': 'secrecy',
  'override-instructions': 'override',
  'instruction-reset': 'override',
  'override-claim': 'override',
  'mode-switch': 'override',
  'output-authority': 'override',
  unmentioned: 'secrecy',
  'role-marker': 'roleMarker',
  'principal-impersonation': 'roleMarker',
  coercion: 'coercion',
  urgency: 'coercion',
};

/** Instructions to the model beyond using the tool: exfiltration requests, secrecy, overrides, markers. */
export function judgeInstructions(a: ToolAnalysis): Judgement[] {
  const out: Judgement[] = [];
  const signals = a.signals.filter((s) => !NOT_INSTRUCTION(s));
  // Exfiltration: something secret named, and a way to hand it over, in one passage.
  for (const t of signals) {
    if (!EXFIL_TARGET.has(t.id) || t.weight < 0.25) continue;
    const around = near(signals, t, 300);
    const channel = around.find((c) => c !== t && EXFIL_CHANNEL.has(c.id) && c.weight >= 0.25);
    const selfContained = (t.id === 'secret-request' || t.id === 'conversation-capture') && t.weight >= 0.5;
    if (!channel && !selfContained) continue;
    if (scoreOf(around) < 0.5) continue;
    const start = Math.min(t.start, channel?.start ?? t.start);
    const end = Math.max(t.end, channel?.end ?? t.end);
    out.push({
      messageId: 'exfiltration',
      severity: 'critical',
      field: t.field,
      excerpt: visible(a.text.slice(start, end)),
      data: { what: visible(t.excerpt, 80) },
    });
    break;
  }
  // Data placeholders in URLs are judged by exfiltration-link, which knows which placeholders carry data.
  // A secret file's name is a target, not an instruction: alone it never makes this finding.
  const plain = signals
    .filter((s) => !SHADOW_FAMILIES.has(s.id) && s.id !== 'exfiltration-url')
    .map((s) => (SUPPORT_ONLY.has(s.id) ? { ...s, weight: Math.min(s.weight, SUPPORT_ONLY.get(s.id)!) } : s));
  const score = scoreOf(plain);
  if (score >= 0.5) {
    // Name the strongest family of the passage; the excerpt spans the signals around it.
    const top = [...plain].sort((x, y) => y.weight - x.weight)[0]!;
    const around = near(plain, top, 300);
    const messageId = FAMILY_MESSAGE[top.id] ?? 'instruction';
    const start = Math.min(...around.map((s) => s.start));
    const end = Math.max(...around.map((s) => s.end));
    out.push({
      messageId,
      severity: 'high',
      field: top.field,
      excerpt: visible(a.text.slice(start, end)),
      data: { score: score.toFixed(2), phrase: visible(top.excerpt, 80) },
    });
  }
  return out.sort(bySeverity);
}

/** Claims over other tools: priority over all of them, redefining one, redirecting all mail. */
export function judgeShadowing(a: ToolAnalysis, toolName: string): Judgement[] {
  const out: Judgement[] = [];
  for (const s of a.signals) {
    if (!SHADOW_FAMILIES.has(s.id)) continue;
    // "When X is used, also …" weighs more when X is another tool by name (an identifier, not this one).
    const names = s.excerpt.match(/[A-Za-z][A-Za-z0-9]*(?:[_-][A-Za-z0-9]+)+/g) ?? [];
    const namesOther = names.some((n) => n !== toolName);
    if (s.weight + (namesOther ? 0.2 : 0) < 0.45) continue;
    out.push({
      messageId: s.id === 'priority-claim' ? 'priority' : 'redefines',
      severity: 'high',
      field: s.field,
      excerpt: visible(s.excerpt),
      data: { phrase: visible(s.excerpt, 100) },
    });
  }
  return out;
}

const HIDDEN_LABEL: Record<string, string> = {
  'unicode-tags': 'Unicode tag characters',
  'variation-selectors': 'variation selectors carrying data',
  'zero-width': 'zero-width characters',
  'bidi-control': 'bidirectional overrides',
  'ansi-escape': 'ANSI escape sequences',
  'control-character': 'control characters',
  'html-comment': 'an HTML comment',
  'whitespace-padding': 'long whitespace padding',
  homoglyph: 'look-alike letters from another script',
};

/** Content a reader does not see but the model does, judged by what it hides; and decoded payloads. */
export function judgeHidden(a: ToolAnalysis): Judgement[] {
  const out: Judgement[] = [];
  const instructions = a.signals.filter((s) => !NOT_INSTRUCTION(s));
  for (const h of a.hidden) {
    // What the hidden part says: the decoded tag text, the comment, or what follows the padding.
    let region = { start: h.start, end: h.end };
    if (h.kind === 'whitespace-padding') {
      const field = a.fields.find((f) => h.start >= f.start && h.start < f.end);
      region = { start: h.end, end: field?.end ?? a.text.length };
    }
    const inside = instructions.filter((s) => s.start < region.end && s.end > region.start);
    let hiddenScore = scoreOf(inside);
    if (h.decoded?.trim()) hiddenScore = Math.max(hiddenScore, detectInjection(h.decoded).score);
    const label = HIDDEN_LABEL[h.kind] ?? h.kind;
    const shown = h.decoded ? `${label}: "${visible(h.decoded, 160)}"` : label;
    const excerpt = visible(
      a.text.slice(Math.max(0, h.start - 20), Math.min(a.text.length, region.end + 20)),
    );
    if (hiddenScore >= 0.5) {
      out.push({
        messageId: 'hiddenInstruction',
        severity: 'critical',
        field: h.field,
        excerpt,
        data: { what: shown },
      });
      continue;
    }
    const carriesText =
      (h.kind === 'unicode-tags' || h.kind === 'variation-selectors') && /\p{L}{3}/u.test(h.decoded ?? '');
    const concealing =
      h.kind === 'ansi-escape' &&
      /\x1b\[(?:[0-9;]*;)?8m|\x1b\[\d*[ABCDHJK]/.test(a.text.slice(h.start, h.end));
    const severity: Severity = carriesText || concealing ? 'high' : h.kind === 'homoglyph' ? 'medium' : 'low';
    out.push({
      messageId: carriesText ? 'hiddenText' : 'invisible',
      severity,
      field: h.field,
      excerpt,
      data: { what: shown },
    });
  }
  for (const e of a.encoded) {
    const instructs = e.injection.verdict === 'injection';
    if (
      !instructs &&
      e.injection.score < 0.25 &&
      e.secretKinds.length === 0 &&
      !/\p{L}{3,}\s+\p{L}{3,}/u.test(e.decoded)
    )
      continue;
    const severity: Severity = instructs
      ? 'high'
      : e.injection.score >= 0.25 || e.secretKinds.length
        ? 'medium'
        : 'low';
    out.push({
      messageId: instructs ? 'encodedInstruction' : 'encodedText',
      severity,
      field: e.field,
      excerpt: visible(a.text.slice(e.start, e.end), 80),
      data: { encoding: e.encoding, decoded: visible(e.decoded, 160) },
    });
  }
  return out.sort(bySeverity);
}

export { analyzeTool };

/** All judgements for a tool (without the cross-tool name checks), for evaluation and the guard. */
export function judgeTool(tool: ToolDefinition): Judgement[] {
  const a = analyzeTool(tool);
  return [...judgeInstructions(a), ...judgeShadowing(a, tool.name), ...judgeHidden(a)].sort(bySeverity);
}
