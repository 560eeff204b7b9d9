// Requests for the model's whole context in a parameter description, and links whose construction
// embeds data, described in prose. Both are word classes in six languages (en, es, de, fr, zh, ru), run
// on lower-cased text with Latin diacritics folded; every regex is linear and bounded.

/** Lower case with Latin diacritics removed ("Gesprächsverlauf" → "gesprachsverlauf"). */
export function fold(s: string): string {
  return s
    .toLowerCase()
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .normalize('NFC');
}

const B = String.raw`(?<![\p{L}\p{N}_])`;
const E = String.raw`(?![\p{L}\p{N}_])`;
const w = (parts: string[]) => new RegExp(parts.join('|'), 'u');

/**
 * What only the model holds: its system and developer messages, tool outputs, files it has read, "the
 * current conversation". No tool needs these as input, whatever it does.
 */
const INTERNAL = w([
  String.raw`${B}(?:system\s+(?:prompt|messages?|instructions)|(?:system|developer)\s+and\s+(?:developer|system)\s+messages|developer\s+messages?|tool\s+(?:outputs?|results)|(?:files?|documents?)\s+(?:you\s+(?:have\s+)?(?:read|opened|seen)|(?:previously|already)\s+read)|(?:this|the\s+current|the\s+present|our)\s+(?:\w+\s+)?(?:conversation|session|chat))${E}`,
  String.raw`${B}(?:mensajes?\s+del\s+sistema|prompt\s+del\s+sistema|(?:esta|la\s+presente)\s+conversacion|archivos\s+(?:ya\s+)?leidos|systemnachricht\w*|systemprompt\w*|(?:zuvor|bereits)\s+gelesen\w*\s+dateien|dateien,?\s+die\s+du\s+gelesen|dieser?\s+(?:unterhaltung|gesprach\w*|sitzung)|messages?\s+systeme|prompt\s+systeme|cette\s+conversation|fichiers\s+(?:deja\s+)?lus)${E}`,
  '系统提示|系统消息|开发者消息|本次对话|当前对话|已读取的文件|工具输出',
  String.raw`${B}(?:системн\p{L}*\s+(?:промпт|сообщени|инструкци)\p{L}*|(?:эт\p{L}*|текущ\p{L}*)\s+(?:переписк|диалог|сесси)\p{L}*|прочитанн\p{L}*\s+файл\p{L}*)${E}`,
]);
/** The conversation or history in general. */
const CONVERSATION = w([
  String.raw`${B}(?:conversation|transcript|chat|dialog(?:ue)?|messages|history)${E}`,
  String.raw`${B}(?:conversacion|historial|mensajes|gesprach\w*|verlauf|chatverlauf|unterhaltung|nachrichten|historique|echanges)${E}`,
  '对话|聊天记录|消息记录|会话',
  String.raw`${B}(?:переписк\p{L}*|диалог\p{L}*|истори\p{L}*|сообщени\p{L}*)${E}`,
]);
/** All of it, word for word. */
const TOTAL = w([
  String.raw`${B}(?:entire|full|whole|complete|all|every|verbatim|word\s+for\s+word|everything|including)${E}`,
  String.raw`${B}(?:complet[oa]s?|tod[oa]s?|integr[oa]|literal|textual|vollstandig\w*|gesamt\w*|ganz\w*|alle\w*|wortlich\w*|einschlie(?:ss|ß)lich|complete?s?|entier\w*|tout|tous|toutes|integral\w*|mot\s+pour\s+mot|y\s+compris)${E}`,
  '完整|全部|所有|全文|逐字|包括',
  String.raw`${B}(?:полн\p{L}*|вс[еёюя]\p{L}{0,2}|целиком|дословно|включая)${E}`,
]);
/** Filled in without the user: "fill this in automatically", "ohne Rückfrage", "自动填写". */
const AUTOMATIC = w([
  String.raw`${B}(?:automatically|without\s+asking|do(?:es)?\s+not\s+need\s+to\s+be\s+asked|automatisch\w*|ohne\s+(?:ruckfrage|nachfrage|zu\s+fragen)|automaticamente|sin\s+preguntar|automatiquement|sans\s+demander|автоматически|не\s+спрашивая)${E}`,
  '自动填写|自动填充|自动|无需询问',
]);

export interface ContextAsk {
  weight: number;
  what: string;
  /** A request no tool needs (the model's own messages, files it read): no purpose vouches for it. */
  internal: boolean;
  /** To be filled in without the user. */
  automatic: boolean;
}

/** A parameter description that asks for the whole conversation or the model's own context. */
export function contextAsk(description: string): ContextAsk | undefined {
  const d = fold(description).slice(0, 4000);
  const automatic = AUTOMATIC.test(d);
  if (INTERNAL.test(d) && (TOTAL.test(d) || automatic))
    return {
      weight: 0.65,
      what: "the system prompt or the model's own context (the session, files it read)",
      internal: true,
      automatic,
    };
  if (CONVERSATION.test(d) && TOTAL.test(d) && automatic)
    return { weight: 0.55, what: 'the whole conversation', internal: false, automatic };
  return undefined;
}

// ---- links built from data ------------------------------------------------------------------------

const URL_RE = /https?:\/\/[^\s)>\]"'`]{3,300}/gu;
/** "followed by", "append", "with … appended", "+". */
const JOIN = w([
  String.raw`${B}(?:followed\s+by|append(?:ed|ing)?|concatenat\w*|plus|with\s+(?:\w+\s+){0,3}(?:appended|added))${E}|\s\+\s`,
  String.raw`${B}(?:seguid[oa]\s+de|(?:y\s+)?(?:a[nñ]ade|agrega)\w*|gefolgt\s+von|angeh(?:a|ae)ngt|anh(?:a|ae)ng\w*|suivi\w*\s+de|ajout\w*|concaten\w*)${E}`,
  '后接|后面加上|拼接|加上|附加',
  String.raw`${B}(?:за\s+которым\s+следует|добав\p{L}*|плюс)${E}`,
]);
/** An encoding of data into a URL. */
const ENCODED = w([
  String.raw`${B}(?:base64|base-64|hex|hexadecimal|url[\s-]?encoded|percent[\s-]?encoded|encoded|urlencode\w*|codificad\w*|kodiert\w*|encode\w*|codee?s?)${E}`,
  '编码|base64',
  String.raw`${B}(?:закодирован\p{L}*|кодировк\p{L}*)${E}`,
]);
/** The data: documents, messages, the conversation, secrets, the user's address. */
const DATA = w([
  String.raw`${B}(?:document|documents|text|conversation|messages?|chat|history|files?|contents?|secrets?|keys?|tokens?|passwords?|credentials?|e-?mail|address|prompt)${E}`,
  String.raw`${B}(?:documentos?|texto|conversacion|mensajes?|archivos?|contenido|correo|dokument\w*|text\w*|gesprach\w*|nachricht\w*|datei\w*|inhalt\w*|texte|contenu|courriel|fichiers?)${E}`,
  '文档|全文|对话|消息|文件|内容|邮箱|密码',
  String.raw`${B}(?:документ\p{L}*|текст\p{L}*|переписк\p{L}*|сообщени\p{L}*|файл\p{L}*|содержим\p{L}*|почт\p{L}*)${E}`,
]);

export interface BuiltLink {
  start: number;
  end: number;
  url: string;
}

/**
 * A URL followed, in prose, by an encoding of data to append ("https://x/r?d= followed by the base64 of
 * the full document text"): a link that carries data out without a `{placeholder}`.
 */
export function builtLinks(text: string): BuiltLink[] {
  const out: BuiltLink[] = [];
  URL_RE.lastIndex = 0;
  const lower = fold(text);
  // Folding keeps offsets only when lengths match; otherwise read the lower-cased text.
  const view = lower.length === text.length ? lower : text.toLowerCase();
  for (let m = URL_RE.exec(view); m !== null && out.length < 8; m = URL_RE.exec(view)) {
    const end = m.index + m[0].length;
    const after = view.slice(end, end + 120);
    const j = JOIN.exec(after);
    if (!j || j.index > 30) continue;
    const rest = after.slice(j.index + j[0].length);
    const enc = ENCODED.exec(rest);
    if (!enc || enc.index > 40) continue;
    // The data may come before the encoding word ("对话全文的 base64 编码") or after it.
    const data = DATA.exec(rest.slice(0, enc.index + enc[0].length + 60));
    if (!data) continue;
    out.push({
      start: m.index,
      end: end + j.index + j[0].length + Math.max(enc.index + enc[0].length, data.index + data[0].length),
      url: m[0],
    });
  }
  return out;
}
