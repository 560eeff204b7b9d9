// One analysis per tool, shared by the poisoning rules: every text the model reads (fields.ts) joined
// into one passage, run through the text layer (normalisation, hidden content, injection signals,
// decoded payloads) and through the description catalogue; signals mapped back to their field, with
// counter-evidence applied. Cached per ToolDefinition object, so five rules cost one pass.

import type { ToolDefinition } from '../../core/types.js';
import {
  analyzeInjection,
  type EncodedFinding,
  type HiddenFinding,
  type Signal,
  scoreSignals,
} from '../index.js';
import { PATTERNS, PREREQUISITE, SECRET_PURPOSE, SENSITIVE_FILE } from './catalog.js';
import { type ComposeContext, composedSignals, EXAMPLE_LIST, sameTool } from './compose.js';
import { discourseSignals, protectsUser } from './discourse.js';
import { type ToolField, toolFields } from './fields.js';
import { blankPadding } from './padding.js';

export interface PoisonSignal extends Signal {
  /** The field the signal sits in. */
  field: string;
}

export interface FieldSpan {
  field: ToolField;
  /** Offset of the field's text in the joined passage. */
  start: number;
  end: number;
}

export interface ToolAnalysis {
  fields: FieldSpan[];
  /** The joined passage (fields separated by blank lines). */
  text: string;
  signals: PoisonSignal[];
  hidden: (HiddenFinding & { field: string })[];
  encoded: (EncodedFinding & { field: string })[];
}

const SEPARATOR = '\n\n';

/** Families that carry an instruction to hand data over. */
export const EXFIL_TARGET = new Set([
  'sensitive-file',
  'secret-request',
  'conversation-capture',
  'sensitive-read',
]);
export const EXFIL_CHANNEL = new Set([
  'param-sink',
  'parameter-smuggling',
  'exfiltration',
  'exfiltration-url',
  'secret-request',
  'conversation-capture',
  'data-movement',
]);

const cache = new WeakMap<ToolDefinition, ToolAnalysis>();

export function analyzeTool(tool: ToolDefinition): ToolAnalysis {
  const hit = cache.get(tool);
  if (hit) return hit;
  const result = compute(tool);
  cache.set(tool, result);
  return result;
}

/** Lower case with Latin diacritics folded, same length: the catalogue's view of the original text. */
function foldForMatching(s: string): string {
  const lower = s.toLowerCase();
  if (lower.length !== s.length) return s;
  return lower.replace(/[\u00c0-\u024f]/g, (c) => {
    const d = c.normalize('NFD')[0]!;
    return /[a-z]/.test(d) ? d : c;
  });
}

function catalogSignals(
  mt: string,
  original: string,
  toOriginal: (s: number, e: number) => [number, number],
  ctx: ComposeContext,
): Signal[] {
  const out: Signal[] = [];
  for (const c of [...composedSignals(mt, ctx), ...discourseSignals(mt, ctx)]) {
    const [start, end] = toOriginal(c.start, c.end);
    out.push({ ...c, start, end, excerpt: original.slice(start, Math.min(end, start + 200)) });
  }
  for (const p of PATTERNS) {
    p.re.lastIndex = 0;
    let n = 0;
    for (let m = p.re.exec(mt); m !== null && n < 32; m = p.re.exec(mt), n++) {
      if (m[0].length === 0) {
        p.re.lastIndex++;
        continue;
      }
      const [start, end] = toOriginal(m.index, m.index + m[0].length);
      out.push({
        id: p.id,
        weight: p.weight,
        start,
        end,
        excerpt: original.slice(start, Math.min(end, start + 200)),
        language: p.lang,
      });
    }
  }
  SENSITIVE_FILE.lastIndex = 0;
  let n = 0;
  for (let m = SENSITIVE_FILE.exec(mt); m !== null && n < 32; m = SENSITIVE_FILE.exec(mt), n++) {
    if (m[0].length === 0) {
      SENSITIVE_FILE.lastIndex++;
      continue;
    }
    const [start, end] = toOriginal(m.index, m.index + m[0].length);
    // A path alone is a mention (a backup tool may name ~/.ssh); it weighs as support.
    out.push({ id: 'sensitive-file', weight: 0.3, start, end, excerpt: original.slice(start, end) });
  }
  return out;
}

/**
 * A negation right before the span ("does not read", "不会读取", "не читает"). Chinese negates with a
 * bare 不/没/未 before the verb and needs no space; Cyrillic needs a letter-aware boundary (`\b` is ASCII).
 */
const NEGATED =
  /(?:n't|(?<!\p{L})n'|(?<!\p{L})(?:not|never|dont|no|neither|nor|without|nunca|jamas|ni|nicht|nie|niemals|weder|noch|kein\p{L}*|jamais|ne|не|ни|никогда|без)(?!\p{L}))\s*(?:\p{L}+\s+)?$|(?:不要|不得|切勿|不会|不能|不可|从不|从未|绝不|决不|并不|永不|不|没有|没|未|无需)\s*$/u;
/** A negation after the verb, inside the span ("liest keine privaten Schlüssel"). */
const NEGATED_OBJECT = /(?<!\p{L})kein(?:e|en|em|er|es)?(?!\p{L})/u;

const READ_BEFORE =
  /\b(?:read|reads|open|cat|load|locate|fetch|get|copy|paste|include|attach|dump|grab|lee|leer|lies|lesen|lis|lire|读取|прочитай|прочти|считай)\b[^.!?\n]{0,40}$/;
const PURPOSE_BEFORE = /\b(?:to|can|may|lets\s+you|allows\s+you\s+to|used\s+to|helps?\s+(?:you\s+)?)\s*$/;
const CHOICE_AFTER =
  /^\s*(?:to\s+)?(?:select|choose|pick|which|for\s+(?:a|the|which)\s+(?:\w+\s+)?(?:version|option|choice|value|project|branch))/;
const EXAMPLE_TURN = /^[#\s]*(?:user|human|customer)\s*:\s*["\u201c']/i;

/** A read in the passive ("is read from", "are loaded from"): what the server does, not a request. */
const PASSIVE_READ =
  /\b(?:is|are|was|were|gets?|being)\s+(?:\w+\s+)?(?:read|loaded|taken|sourced|picked\s+up)\s+(?:from|by)\b/;

/** Inside an <examples> … </examples> block (or <example>). */
function insideExamples(lowered: string, pos: number): boolean {
  const open = lowered.lastIndexOf('<example', pos);
  if (open < 0) return false;
  const close = lowered.lastIndexOf('</example', pos);
  return close < open;
}

const ATTACK_TOPIC =
  /\b(?:prompt[\s-]?injections?|injections?|jailbreaks?|attacks?|malicious|classif\w+|detect\w*|scanner|flags?)\b/;
const QUOTES = '"\'`\u201c\u201d\u2018\u2019\u00ab\u00bb';

/** The span sits between a quote mark before it and one after it, on its line. */
function quoted(text: string, start: number, end: number): boolean {
  let i = start - 1;
  while (i >= 0 && start - i < 80 && text[i] !== '\n' && !QUOTES.includes(text[i]!)) i--;
  if (i < 0 || !QUOTES.includes(text[i]!)) return false;
  for (let j = end; j < text.length && j - end < 80 && text[j] !== '\n'; j++)
    if (QUOTES.includes(text[j]!)) return true;
  return false;
}

/** A secret as the direct object of a telling verb ("… the user the verification code"). */
const PROTECTED_OBJECT =
  /^\s*(?:the\s+user\s+|them\s+)?(?:the|their|his|her|your|any|its)?\s*(?:[\w-]+\s+){0,2}?(?:passwords?|api\s+keys?|tokens?|secrets?|credentials?|private\s+keys?|verification\s+codes?|one[\s-]time\s+(?:codes?|passwords?)|otps?|pins?|passcodes?|recovery\s+codes?)\b/;

/** Words that introduce a quoted example: what a tool detects or rejects, or a sample input. */
const EXAMPLE_MARKER =
  /(?:\b(?:such\s+as|like|e\.g\.?|for\s+(?:example|instance)|phrases?|strings?|patterns?|inputs?|texts?|containing|contains|matching|matches|detects?|flags?|blocks?|rejects?|como|wie|z\.\s?b\.|comme|par\s+exemple|такие\s+как|например)|例如|比如)\s*:?\s*(?:["'`\u201c\u201d\u2018\u2019\u00ab\u00bb][^\n"\u201d\u00bb]{0,100}["'`\u201c\u201d\u2018\u2019\u00ab\u00bb]\s*(?:,\s*|;\s*|(?:,\s*)?(?:or|and|y|o|und|oder|et|ou|или|и)\s+|、|和|或)){0,6}$/i;

/**
 * The span is inside a quotation introduced as an example ("flags phrases such as 'ignore previous
 * instructions'"): mentioned, not addressed to the model. A quote naming one of this tool's own
 * parameters is not discounted (an "example" that points the model at its own input is the attack).
 */
function quotedExample(text: string, start: number, end: number, params: readonly string[]): boolean {
  let i = start - 1;
  const isQuote = (k: number) =>
    QUOTES.includes(text[k]!) && !(/\p{L}/u.test(text[k - 1] ?? '') && /\p{L}/u.test(text[k + 1] ?? ''));
  while (i >= 0 && start - i < 120 && text[i] !== '\n' && !isQuote(i)) i--;
  if (i < 0 || !isQuote(i)) return false;
  let j = end;
  while (j < text.length && j - end < 120 && text[j] !== '\n' && !isQuote(j)) j++;
  if (j >= text.length || !isQuote(j)) return false;
  const inside = text.slice(i + 1, j).toLowerCase();
  if (params.some((p) => p.length > 2 && inside.includes(p.toLowerCase()))) return false;
  return EXAMPLE_MARKER.test(text.slice(Math.max(0, i - 80), i));
}

/**
 * Runs shown right to left by a bidi override or isolate (U+202E RLO, U+202B RLE, U+2067 RLI) up to its
 * terminator (PDF, PDI, a line end): the reader sees the characters in reverse, so text written
 * backwards inside one reads forwards on screen. Returns each run with its display order.
 */
const RTL_RUN = /[\u202e\u202b\u2067]([^\u202c\u2069\n]{1,4000})/g;
export function reversedRuns(text: string): { start: number; end: number; visual: string }[] {
  const out: { start: number; end: number; visual: string }[] = [];
  RTL_RUN.lastIndex = 0;
  for (let m = RTL_RUN.exec(text); m !== null && out.length < 16; m = RTL_RUN.exec(text)) {
    const inner = m[1]!.replace(/[\u202a-\u202e\u2066-\u2069\u200e\u200f]/g, '');
    if (/\p{L}{2}/u.test(inner))
      out.push({ start: m.index, end: m.index + m[0].length, visual: [...inner].reverse().join('') });
  }
  return out;
}

/** The sentence around a span (bounded): from the previous sentence end to the next. */
function sentenceAround(text: string, start: number, end: number): string {
  let a = start;
  while (a > 0 && start - a < 300 && !/[.!?;。！？；\n]/.test(text[a - 1]!)) a--;
  let b = end;
  while (b < text.length && b - end < 300 && !/[.!?;。！？；\n]/.test(text[b]!)) b++;
  return text.slice(a, b);
}

function overlaps(a: { start: number; end: number }, b: { start: number; end: number }): boolean {
  return a.start < b.end && b.start < a.end;
}

function compute(tool: ToolDefinition): ToolAnalysis {
  const fields: FieldSpan[] = [];
  const parts: string[] = [];
  let offset = 0;
  for (const f of toolFields(tool)) {
    if (f.kind === 'name') continue; // names are judged by the collision checks
    if (parts.length) offset += SEPARATOR.length;
    fields.push({ field: f, start: offset, end: offset + f.text.length });
    parts.push(f.text);
    offset += f.text.length;
  }
  const text = parts.join(SEPARATOR);
  const { normalized, injection, encoded } = analyzeInjection(text);
  const toOriginal = (s: number, e: number) => normalized.map.toOriginal(s, e);

  // Homoglyph folding of a word written wholly in Cyrillic or Greek is a language, not a disguise.
  const disguised = (h: { start: number; end: number }) => /[A-Za-z]/.test(text.slice(h.start, h.end));
  const hidden = normalized.hidden.filter((h) => h.kind !== 'homoglyph' || disguised(h));
  // Padding of mixed or exotic blanks (spaces and line breaks interleaved, U+2000–U+200A, fillers).
  hidden.push(
    ...blankPadding(
      text,
      hidden.filter((h) => h.kind === 'whitespace-padding'),
    ),
  );
  let signals: Signal[] = injection.signals.filter((s) => s.id !== 'hidden-homoglyph' || disguised(s));

  const params = new Set(tool.parameters.map((p) => p.name));
  const props = (tool.inputSchema as { properties?: unknown } | undefined)?.properties;
  if (props && typeof props === 'object') for (const k of Object.keys(props).slice(0, 200)) params.add(k);
  const ctx: ComposeContext = { name: tool.name, params: [...params] };
  const extra = catalogSignals(normalized.match, text, toOriginal, ctx);
  // Homoglyph folding rewrites Cyrillic words; the catalogue also reads the original, case-folded.
  if (/[^\x00-\x7f]/.test(text)) {
    const folded = foldForMatching(text);
    if (folded !== normalized.match)
      for (const s of catalogSignals(folded, text, (a, b) => [a, b], ctx)) {
        const i = extra.findIndex((e) => e.id === s.id && overlaps(e, s));
        if (i < 0) extra.push(s);
        else if (extra[i]!.weight < s.weight) extra[i] = s;
      }
  }
  signals.push(...extra);
  // Text reversed behind a bidi override is read again in the order the reader sees it, like a decoded
  // payload; its signals sit on the whole run.
  const runs = reversedRuns(text);
  for (const run of runs) {
    const inner = analyzeInjection(run.visual);
    const found = [
      ...inner.injection.signals.filter((x) => !x.id.startsWith('hidden-')),
      ...catalogSignals(
        inner.normalized.match,
        run.visual,
        (a, b) => inner.normalized.map.toOriginal(a, b),
        ctx,
      ),
    ];
    for (const x of found)
      signals.push({ ...x, start: run.start, end: run.end, excerpt: `reversed: ${x.excerpt}` });
  }

  // Counter-evidence. A prerequisite of this tool ("call `init` before this tool") is ordinary usage.
  const prereqs: { start: number; end: number }[] = [];
  PREREQUISITE.lastIndex = 0;
  for (let m = PREREQUISITE.exec(normalized.match); m !== null; m = PREREQUISITE.exec(normalized.match)) {
    const [start, end] = toOriginal(m.index, m.index + m[0].length);
    prereqs.push({ start, end });
  }
  // The tool's purpose: its name, title and first sentence (an attack sits further on, and must not
  // vouch for itself).
  const firstSentence = /^[^.!?\n。！？]{0,200}/.exec(tool.description)?.[0] ?? '';
  const purposeText = `${tool.name.replace(/[_-]/g, ' ')} ${tool.title ?? ''} ${firstSentence}`.toLowerCase();
  const secretPurpose = SECRET_PURPOSE.test(purposeText);
  const conversationPurpose =
    /\b(?:conversation|chat|memory|memories|transcript|summari[sz]\w*|history)\b|conversaci[oó]n|historial|gespr[aä]ch|unterhaltung|chatverlauf|historique|对话|聊天|会话|перепис|диалог|истори/.test(
      purposeText,
    );
  const lowered = text.toLowerCase();
  const secretParamNames = [...params]
    .map((n) => n.toLowerCase())
    .filter((n) => /token|key|secret|passw|credential|auth/.test(n));
  const discussesAttacks = ATTACK_TOPIC.test(lowered);
  signals = signals.flatMap((s): Signal[] => {
    // A secret file named right after a verb that reads or hands it over is a request, not a mention.
    if (s.id === 'sensitive-file' && READ_BEFORE.test(lowered.slice(Math.max(0, s.start - 60), s.start)))
      return [{ ...s, weight: 0.5 }];
    // "do not tell the user the verification code": keeping a secret out of the chat protects the user.
    if (s.id === 'secrecy' && PROTECTED_OBJECT.test(lowered.slice(s.end, s.end + 60))) return [];
    // "never send without the user's confirmation": a safeguard for the user, whatever matched in it.
    if (s.id === 'secrecy' && protectsUser(sentenceAround(lowered, s.start, s.end))) return [];
    // "do not ask the user for confirmation (again) if they already said so": UX guidance. Not asking
    // is an instruction to the model, yet honest tools give it too; alone it supports, never decides,
    // and a condition attached to it ("again", "if", "for read-only calls") removes it.
    if ((s.id === 'secrecy' || s.id === 'principal-impersonation') && /\bask\b/i.test(s.excerpt)) {
      const after = lowered.slice(s.end, s.end + 80);
      if (
        /^[^.;\n]{0,40}?\b(?:again|if|unless|when|once|for\s+(?:each|every|read-only|trivial|simple|routine))\b/.test(
          after,
        )
      )
        return [];
      if (s.weight > 0.3)
        return [{ ...s, weight: 0.3, discount: 'not asking the user is usage guidance alone' }];
    }
    // "do not ask the user to select a version": skipping a question among options, not secrecy.
    if (
      (s.id === 'secrecy' || s.id === 'principal-impersonation') &&
      /\bask\b/i.test(s.excerpt) &&
      CHOICE_AFTER.test(lowered.slice(s.end, s.end + 40))
    )
      return [];
    // "### User: \"Run Seer on this issue\"" in an examples block is a sample conversation.
    if (
      s.id === 'role-marker' &&
      (EXAMPLE_TURN.test(text.slice(s.start, s.end + 3)) || insideExamples(lowered, s.start))
    )
      return [
        { ...s, weight: Math.round(s.weight * 0.3 * 100) / 100, discount: 'an example conversation turn' },
      ];
    // "change the recipient" as what the tool is for ("use this to change the recipient to …").
    if (s.id === 'global-redirect' && PURPOSE_BEFORE.test(lowered.slice(Math.max(0, s.start - 24), s.start)))
      return [];
    // A phrase quoted as an example by a tool about attacks (a classifier, a scanner) is mentioned, not used.
    if (
      !s.id.startsWith('hidden-') &&
      ((discussesAttacks && quoted(text, s.start, s.end)) || quotedExample(text, s.start, s.end, ctx.params))
    )
      return [{ ...s, weight: Math.round(s.weight * 0.3 * 100) / 100, discount: 'quoted as an example' }];
    // A tool about attacks listing what it detects ("flags indicators such as …, requests to reveal
    // the system prompt, instructions to send files out") names the demands; it does not make them.
    if (discussesAttacks && !s.id.startsWith('hidden-')) {
      // The signal's sentence, bounded like compose's sentences (400 characters).
      const from = Math.max(0, s.start - 400, lowered.lastIndexOf('. ', s.start) + 1);
      const listed = EXAMPLE_LIST.exec(lowered.slice(from, s.end));
      if (listed)
        return [
          { ...s, weight: Math.round(s.weight * 0.3 * 100) / 100, discount: 'listed as what it detects' },
        ];
    }
    // "Put the GitHub token in the `token` parameter": the tool takes a credential as its input.
    if (
      (s.id === 'parameter-smuggling' || s.id === 'param-sink') &&
      /[`'"]?\w*(?:token|key|secret|passw\w*|credential|auth)\w*[`'"]?\s*(?:parameter|argument|param|field)?\s*$/i.test(
        s.excerpt,
      ) &&
      secretParamNames.some((n) => s.excerpt.toLowerCase().includes(n))
    )
      return [{ ...s, weight: 0.1, discount: 'the parameter is named for the credential the tool takes' }];
    // "the old `list_issues_v1` tool is deprecated; use this tool instead": a successor notice.
    if (s.id === 'deprecation-shadow') {
      const idents = s.excerpt.toLowerCase().match(/[a-z][a-z0-9]*(?:[_.-][a-z0-9]+)+/g) ?? [];
      // Only a plain retirement: disparaging the other version ("returns wrong results") is the attack's.
      const sentence = lowered.slice(s.start, s.end + 120).split(/[.!?\n]/)[0] ?? '';
      const disparages =
        /\b(?:wrong|broken|unsafe|insecure|leaks?|bugs?|buggy|corrupt\w*|compromised|dangerous|malicious|untrusted)\b/.test(
          sentence,
        );
      if (idents.length && !disparages && idents.every((n) => sameTool(n, tool.name.toLowerCase())))
        return [];
    }
    if ((s.id === 'priority-claim' || s.id === 'task-hijack') && prereqs.some((p) => overlaps(p, s)))
      return [];
    // "The API key is read from DEPLOY_TOKEN by the server": the server does it, not the model.
    if (
      (s.id === 'secret-request' || s.id === 'sensitive-read') &&
      PASSIVE_READ.test(lowered.slice(Math.max(0, s.start - 12), Math.min(lowered.length, s.end + 12)))
    )
      return [
        {
          ...s,
          weight: Math.round(s.weight * 0.5 * 100) / 100,
          discount: 'the server reads it, not the model',
        },
      ];
    if (s.id === 'secret-request' || s.id === 'conversation-capture' || s.id === 'sensitive-read') {
      if (
        NEGATED.test(lowered.slice(Math.max(0, s.start - 24), s.start)) ||
        NEGATED_OBJECT.test(s.excerpt.toLowerCase().slice(0, 40))
      )
        return [];
      const own =
        s.id !== 'conversation-capture'
          ? secretPurpose
          : /system\s+prompt|instructions/i.test(s.excerpt)
            ? /system[\s_-]?prompt/.test(purposeText)
            : conversationPurpose;
      if (own)
        return [
          {
            ...s,
            weight: Math.round(s.weight * 0.5 * 100) / 100,
            discount: 'the tool itself handles this kind of data',
          },
        ];
    }
    return [s];
  });
  signals.sort((a, b) => a.start - b.start || b.weight - a.weight);

  const fieldAt = (pos: number): string => {
    for (const f of fields) if (pos < f.end + SEPARATOR.length) return f.field.field;
    return fields.at(-1)?.field.field ?? 'description';
  };
  return {
    fields,
    text,
    signals: signals.map((s) => ({ ...s, field: fieldAt(s.start) })),
    hidden: hidden.map((h) => {
      const run = h.kind === 'bidi-control' ? runs.find((r) => r.start === h.start) : undefined;
      return { ...h, ...(run && !h.decoded ? { decoded: run.visual } : {}), field: fieldAt(h.start) };
    }),
    encoded: encoded.map((e) => ({ ...e, field: fieldAt(e.start) })),
  };
}

/** Score of the strongest cluster among the given signals (the text layer's noisy-OR per family). */
export function scoreOf(signals: readonly Signal[]): number {
  return scoreSignals(signals);
}

/** Signals near `s` (within the same cluster window), `s` included. */
export function near(
  signals: readonly PoisonSignal[],
  s: { start: number; end: number },
  window = 400,
): PoisonSignal[] {
  return signals.filter((o) => o.start <= s.end + window && o.end >= s.start - window);
}
