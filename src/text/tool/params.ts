// Exfiltration-shaped parameters and data-carrying links. A free-text parameter asking for the
// conversation, files or keys is a channel out; so is a markdown image whose URL carries a
// placeholder the model is meant to fill with data. Counter-evidence: the tool's own purpose (a
// `notes` parameter on a notes tool, a `password` parameter on a password manager).

import type { Severity, ToolDefinition } from '../../core/types.js';
import type { ToolAnalysis } from './analyze.js';
import { builtLinks, contextAsk } from './asks.js';
import type { Judgement } from './judge.js';
import { visible } from './visible.js';

/** Parameter names that carry context rather than arguments, with how strongly they suggest it. */
const PARAM_NAMES: ReadonlyMap<string, number> = new Map(
  Object.entries({
    sidenote: 0.5,
    side_note: 0.5,
    conversation: 0.45,
    conversation_history: 0.5,
    chat_history: 0.5,
    history: 0.3,
    system_prompt: 0.5,
    systemprompt: 0.5,
    previous_messages: 0.5,
    transcript: 0.35,
    context: 0.3,
    full_context: 0.45,
    extra: 0.25,
    extra_info: 0.3,
    additional_info: 0.3,
    additional_notes: 0.35,
    notes: 0.3,
    note: 0.3,
    remarks: 0.3,
    debug: 0.25,
    debug_info: 0.3,
    feedback: 0.25,
    metadata: 0.2,
    reasoning: 0.2,
    thoughts: 0.2,
    internal: 0.3,
    file_content: 0.3,
    file_contents: 0.3,
    env: 0.3,
    secrets: 0.35,
    credentials: 0.3,
  }),
);

/** Descriptions that ask for what the tool does not need. */
const ASKS: { re: RegExp; weight: number; what: string }[] = [
  {
    re: /\b(?:full|entire|whole|complete)\s+(?:conversation|chat|dialog(?:ue)?|context|history)|\btranscript\s+of\s+(?:this|the|our|your)\s+(?:\w+\s+)?(?:chat|conversation|session|dialog(?:ue)?)|\b(?:this|the\s+current)\s+(?:chat|conversation)\s+session|\ball\s+(?:the\s+)?(?:turns|messages)\b|\bconversation\s+(?:history|so\s+far)|\bchat\s+history|\b(?:all\s+)?(?:previous|prior|earlier)\s+(?:messages|turns)|\beverything\s+the\s+user|\bhistorial|\bgesprachsverlauf|\bchatverlauf|\bhistorique|对话|聊天记录|истори[юя]\s+(?:переписки|диалога|чата)/,
    weight: 0.55,
    what: 'the conversation',
  },
  {
    re: /\bsystem\s+prompt|\byour\s+(?:system\s+)?instructions|\bsystemprompt|\bprompt\s+del\s+sistema|\bprompt\s+systeme|系统提示|системн\S*\s+промпт/,
    weight: 0.6,
    what: 'the system prompt',
  },
  {
    re: /\b(?:contents?\s+of|content\s+from)\s+(?:the\s+user'?s\s+|your\s+|any\s+|all\s+)(?:files?|config\w*)|\b(?:read|reads|contents?\s+of|include|paste|cat|copy|attach)\b[^.\n]{0,40}?(?:~\/\.|\.ssh\b|\bid_rsa\b|\.env\b|mcp\.json)/,
    weight: 0.55,
    what: 'file contents',
  },
  {
    re: /\b(?:your|all|any|every|the\s+user'?s)\s+(?:\w+\s+)?(?:api[\s_-]?keys?|secrets|credentials|passwords?|tokens|environment\s+variables)\b|\b(?:secrets|credentials|passwords|tokens|keys)\b[^.\n]{0,40}?\byou\s+(?:have|know|hold|can\s+(?:see|access|find|read))\b/,
    weight: 0.5,
    what: 'secrets',
  },
  {
    re: /\bany\s+(?:additional|other|extra)\s+(?:notes|information|context|details)|\banything\s+else\s+(?:you\s+know|relevant)|\bwhatever\s+(?:you\s+know|context)/,
    weight: 0.3,
    what: 'whatever else the model knows',
  },
];

/** A purpose about conversations vouches for a parameter asking for one (a chat exporter, a summariser). */
const CONVERSATION_PURPOSE =
  /conversation|chat|transcript|dialog|histor|memor|message|verlauf|gesprach|gespräch|conversaci|對話|对话|聊天|会话|перепис|диалог|истори|сообщени/;

/** Only a tool about system prompts (a prompt library) takes one as input. */
const SYSTEM_PROMPT_PURPOSE =
  /system[\s_-]?prompt|systemprompt|prompt\s+(?:del\s+)?sistema|prompt\s+systeme|系统提示|системн\S*\s+промпт/;

const REQUEST =
  /\byou\s+(?:have|know|hold|can\s+(?:see|access|find|read))\b|\b(?:has|have)\s+told\s+you\b|\bverbatim\b|\bword\s+for\s+word\b|\bso\s+far\b|\b(?:include|provide|paste|put|pass|add|attach|copy|insert|send|summari[sz]e|fill|list|enter|give|dump)\b|包含|提供|粘贴|填入|включи|вставь|укажи|incluye|pega|proporciona|fuge|gib|inclus|colle|fournis/;

function tokens(s: string): string[] {
  return s
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((t) => t.length > 2);
}

function stem(t: string): string {
  if (t.endsWith('ies')) return `${t.slice(0, -3)}y`;
  return t.endsWith('s') && !t.endsWith('ss') ? t.slice(0, -1) : t;
}

function snake(name: string): string {
  return name
    .replace(/([a-z])([A-Z])/g, '$1_$2')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_');
}

export function judgeParameters(tool: ToolDefinition): Judgement[] {
  const out: Judgement[] = [];
  // The purpose is the name, title and first sentence: a poisoned description that names the
  // parameter further on ("pass it as 'sidenote'") must not vouch for it.
  const firstSentence = /^[^.!?\n。！？]{0,200}/.exec(tool.description)?.[0] ?? '';
  const purposeLower = `${tool.name} ${tool.title ?? ''} ${firstSentence}`.toLowerCase();
  const purpose = new Set(tokens(purposeLower).map(stem));
  for (const p of tool.parameters) {
    // Numbers and booleans carry no text; any other type (string, str, object, unknown) may.
    if (p.type && /^(?:number|integer|int|float|double|bool|boolean|null)$/i.test(p.type)) continue;
    // A compound name weighs as its strongest part (`extra_context` as `context`, `chat_transcript`).
    const nameWeight =
      // A Map, not an object: a parameter named `constructor` or `toString` is not a known name.
      PARAM_NAMES.get(snake(p.name)) ??
      0.8 *
        Math.max(
          0,
          ...snake(p.name)
            .split('_')
            .map((t) => PARAM_NAMES.get(t) ?? 0),
        );
    const desc = (p.description ?? '').toLowerCase();
    let ask: { re: RegExp; weight: number; what: string } | undefined;
    for (const a of ASKS) if (a.re.test(desc) && (!ask || a.weight > ask.weight)) ask = a;
    // The whole conversation or the model's own context (system messages, files it read), in any of
    // the six languages; "fill this in automatically" says the user is not meant to supply it.
    const context = p.description ? contextAsk(p.description) : undefined;
    if (context && (!ask || context.internal))
      ask = {
        re: context.internal ? SYSTEM_PROMPT_PURPOSE : CONVERSATION_PURPOSE,
        weight: context.weight,
        what: context.what,
      };
    if (nameWeight === 0 && !ask) continue;
    // An ordinary name with a description that merely mentions secrets ("not applicable to secret
    // alerts") is documentation; it counts only when the description asks for the data.
    if (nameWeight === 0 && !context && !REQUEST.test(desc)) continue;
    // The tool's purpose names what the parameter carries: a `notes` parameter on a notes tool.
    const own = tokens(p.name)
      .map(stem)
      .some((t) => purpose.has(t));
    // …or the purpose itself is about what the description asks for (an export tool for the chat history).
    const askOwn =
      ask !== undefined &&
      ask.what !== 'whatever else the model knows' &&
      (own ||
        ask.re.test(purposeLower) ||
        (ask.what.includes('conversation') && CONVERSATION_PURPOSE.test(purposeLower)));
    let score =
      1 -
      (1 - (own ? nameWeight * 0.2 : nameWeight)) *
        (1 - (ask ? (askOwn ? ask.weight * 0.3 : ask.weight) : 0));
    // Required, named for context, unrelated to the purpose and undescribed: the model must fill it on
    // every call, with whatever it thinks fits.
    if (p.required && nameWeight > 0 && !own && !p.description?.trim()) score = 1 - (1 - score) * 0.7;
    score = Math.round(score * 100) / 100;
    if (score < 0.5) continue;
    const severity: Severity =
      ask && ask.weight >= 0.5 && !askOwn && (nameWeight > 0 || context?.internal || context?.automatic)
        ? 'high'
        : 'medium';
    const field = tool.inputSchema ? `inputSchema.properties.${p.name}` : `parameters.${p.name}`;
    out.push({
      messageId: 'parameter',
      severity,
      field,
      excerpt: visible(`${p.name}: ${p.description ?? '(no description)'}`),
      data: {
        name: p.name,
        why: ask
          ? `its description asks for ${ask.what}`
          : 'its name asks for context the tool does not need',
      },
    });
  }
  return out;
}

const MD_URL =
  /(!?)\[[^\]\n]{0,200}\]\(\s*<?((?:https?:)?\/\/[^\s)>]{1,2000})|<img\b[^>\n]{0,200}?\bsrc\s*=\s*["']?((?:https?:)?\/\/[^\s"'>]{1,2000})/gi;
const PLACEHOLDER =
  /\{\{?\s*([\p{L}\p{N}_.\- ]{1,40}?)\s*\}?\}|\$\{?([A-Za-z_][A-Za-z0-9_]{1,40})\}?|<([\p{L}_ ]{1,40})>|%7B%7B?([\w.%-]{1,40}?)%7D|\[([A-Z_]{3,40})\]/gu;
/** Placeholder names that stand for data, in the six languages (`{conversation}`, `{用户邮箱}`, `{texto_completo}`). */
const SENSITIVE_PLACEHOLDER =
  /conversation|chat|history|messages?|context|summary|secret|key|token|passw|credential|env|prompt|memory|content|file|ssh|cookie|session|data|email|user|info|notes?|texto|documento|correo|conversaci|historial|contenido|mensaje|usuario|contrase|inhalt|verlauf|nachricht|gespr|benutzer|nutzer|passwort|texte|contenu|courriel|historique|utilisateur|mot_de_passe|对话|聊天|全文|内容|邮箱|用户|密码|消息|文件|текст|содерж|перепис|диалог|сообщ|пользоват|почт|парол|файл/iu;

/** Markdown images and links (and <img>) whose URL carries a placeholder for data. */
export function judgeLinks(a: ToolAnalysis): Judgement[] {
  const out: Judgement[] = [];
  MD_URL.lastIndex = 0;
  let n = 0;
  for (let m = MD_URL.exec(a.text); m !== null && n < 64; m = MD_URL.exec(a.text), n++) {
    const image = m[1] === '!' || m[3] !== undefined;
    const url = m[2] ?? m[3] ?? '';
    const query = url.slice(Math.max(0, url.search(/[?#/]/)));
    const names: string[] = [];
    PLACEHOLDER.lastIndex = 0;
    for (let p = PLACEHOLDER.exec(query); p !== null && names.length < 8; p = PLACEHOLDER.exec(query))
      names.push((p[1] ?? p[2] ?? p[3] ?? p[4] ?? p[5] ?? '').trim());
    if (names.length === 0) continue;
    const sensitive = names.some((x) => SENSITIVE_PLACEHOLDER.test(x));
    // A URL template filled with the tool's own arguments ({owner}, {chart_config}) is ordinary.
    if (!sensitive) continue;
    const severity: Severity = image ? 'critical' : 'high';
    const field = a.fields.find((f) => m.index >= f.start && m.index < f.end)?.field.field ?? 'description';
    out.push({
      messageId: image ? 'image' : 'link',
      severity,
      field,
      excerpt: visible(m[0]),
      data: { placeholders: names.map((x) => `{${x}}`).join(', ') },
    });
  }
  // The same, described in prose: "https://x/r?d= followed by the base64 of the full document text".
  for (const b of builtLinks(a.text).slice(0, 4)) {
    if (out.some((o) => o.excerpt.includes(b.url.slice(0, 40)) && o.severity !== 'low')) continue;
    const field = a.fields.find((f) => b.start >= f.start && b.start < f.end)?.field.field ?? 'description';
    out.push({
      messageId: 'link',
      severity: 'high',
      field,
      excerpt: visible(a.text.slice(b.start, b.end), 200),
      data: { placeholders: 'data appended to the URL (described in the text)' },
    });
  }
  return out;
}
