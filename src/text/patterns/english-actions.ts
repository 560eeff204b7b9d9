// English phrasing families that demand actions: moving data, paying, deleting, calling tools,
// keeping secrets from the user, exfiltration URLs, decoding-and-obeying. Action verbs count only in
// imperative position (checked by the scanner) and weigh by what they move and where to.

import { type Refined, re, type SignalPattern } from './types.js';
import { BULK, DESTINATION, MOVE_VERB, SENSITIVE_OBJECT } from './vocabulary.js';

const SENSITIVE_RE = new RegExp(String.raw`\b${SENSITIVE_OBJECT}`);
const BULK_RE = new RegExp(
  String.raw`\b${BULK}\s+(?:(?:of\s+)?(?:the|my|your|our|their|these|those)\s+)?(?:\w+\s+){0,2}?(?:e-?mails?|messages|files|documents|data|records|information|contacts|conversations?|chats?|history|inbox|attachments|notes|photos|events|details|people|persons?|participants)\b`,
);
const DESTINATION_RE = new RegExp(
  String.raw`\b(?:to|at|into|via|on)\s+['"<(]{0,2}${DESTINATION}|\b${DESTINATION}`,
);
const CLAUSE_END = /[.!?](?:\s|$)|\n\s*\n|\n\s*[-*•]\s/g;

/** The end of the clause that continues at `start` (at most 280 chars on). */
function clauseWindow(mt: string, start: number): number {
  // \`start\` is the end of the verb: the clause runs to the next sentence end.
  const limit = Math.min(mt.length, start + 280);
  CLAUSE_END.lastIndex = start;
  const m = CLAUSE_END.exec(mt);
  return m && m.index < limit ? m.index + 1 : limit;
}

/** Weighs a data-moving imperative by what it moves and where to. */
function refineExfiltration(mt: string, _start: number, end: number): Refined | null {
  const stop = clauseWindow(mt, end);
  const window = mt.slice(end, stop);
  // "send $100 to ..." is a payment (its own family), not a data transfer.
  if (/^\s*(?:\$|€|£)?\s?\d/.test(window)) return null;
  const sensitive = SENSITIVE_RE.exec(window);
  const bulk = BULK_RE.exec(window);
  const dest = DESTINATION_RE.exec(window);
  const destEnd = dest ? end + dest.index + dest[0].length : end;
  const objEnd = Math.max(
    sensitive ? end + sensitive.index + sensitive[0].length : end,
    bulk ? end + bulk.index + bulk[0].length : end,
  );
  const spanEnd = Math.max(destEnd, objEnd, end);
  if ((sensitive || bulk) && dest) return { weight: 0.7, id: 'exfiltration', end: spanEnd };
  if (sensitive && bulk) return { weight: 0.55, id: 'exfiltration', end: spanEnd };
  if (sensitive || bulk) return { weight: 0.4, id: 'exfiltration', end: spanEnd };
  if (dest && /@|https?:|www\./.test(dest[0])) return { weight: 0.25, id: 'data-movement', end: spanEnd };
  return null;
}

const DESTRUCTIVE_OBJECT = new RegExp(
  String.raw`^\s+(?:(?:${BULK}|the|these|those|my|your|our|this|that|any|of)\s+){0,3}(?:sent\s+)?(?:files?|folders?|director(?:y|ies)|e-?mails?|messages?|database|db|tables?|repositor(?:y|ies)|repo|accounts?|users?|backups?|records|logs?|data|documents?|events?|calendar|contacts|branch(?:es)?|buckets?|instances?|servers?|keys?|everything)\b`,
);

function refineDestructive(mt: string, _start: number, end: number): Refined | null {
  const obj = DESTRUCTIVE_OBJECT.exec(mt.slice(end, end + 80));
  if (!obj) return null;
  const bulk = new RegExp(String.raw`\b${BULK}\b`).test(obj[0]);
  return { weight: bulk ? 0.45 : 0.3, end: end + obj[0].length };
}

export const ACTION_PATTERNS: SignalPattern[] = [
  {
    id: 'exfiltration',
    weight: 0.7,
    triggers: [
      'send',
      'forward',
      'e',
      'email',
      'mail',
      'transfer',
      'upload',
      'post',
      'share',
      'leak',
      'exfiltrate',
      'sync',
      'submit',
      'wire',
      'export',
      'dump',
      'fax',
      'dm',
      'text',
      'relay',
      'transmit',
      'deliver',
      'bcc',
    ],
    imperative: true,
    negatable: true,
    mention: true,
    re: re([String.raw`\b${MOVE_VERB}\b`]),
    refine: refineExfiltration,
  },
  {
    id: 'exfiltration',
    weight: 0.5,
    triggers: ['always', 'also', 'secretly', 'silently', 'additionally'],
    re: /\b(?:always|also|secretly|silently|additionally)\s+(?:bcc|cc|copy|forward\s+(?:a\s+)?copy(?:\s+of\s+\w+)?)\b[^.\n]{0,60}?(?:[\w.+-]+@[\w-]+\.[\w.-]+|\bto\s+https?:)/g,
  },
  {
    id: 'payment',
    weight: 0.45,
    triggers: ['send', 'transfer', 'wire', 'pay'],
    imperative: true,
    negatable: true,
    re: /\b(?:send|transfer|wire|pay)\s+(?:\$|€|£|usd|eur|gbp)?\s?\d[\d,.]*\s*(?:\$|€|£|usd|eur|gbp|dollars|euros|pounds|btc|eth|bitcoin)?\s[^.\n]{0,80}?\bto\b/g,
  },
  {
    id: 'cover-tracks',
    weight: 0.5,
    triggers: ['delete', 'cover', 'hide', 'erase', 'remove'],
    re: /\bdelete\s+(?:the\s+|that\s+|this\s+)?(?:sent\s+)?(?:e-?mails?|messages?|evidence|logs?|records?|traces?|history)\s+(?:you\s+(?:have\s+)?(?:just\s+)?sent|afterwards|after(?:wards)?\s+(?:sending|you)|immediately|right\s+after)|\bdelete\s+(?:the|this|that|these|both)\s+sent\s+(?:e-?mails?|messages?)|\b(?:cover|hide|erase|remove)\s+(?:your|all|any)\s+(?:tracks|traces|evidence)\b/g,
  },
  {
    id: 'destructive-action',
    weight: 0.3,
    triggers: [
      'delete',
      'remove',
      'erase',
      'wipe',
      'destroy',
      'drop',
      'truncate',
      'purge',
      'shred',
      'revoke',
      'deactivate',
      'disable',
      'uninstall',
      'format',
      'overwrite',
    ],
    imperative: true,
    negatable: true,
    re: /\b(?:delete|remove|erase|wipe|destroy|drop|truncate|purge|shred|revoke|deactivate|disable|uninstall|format|overwrite)\b/g,
    refine: refineDestructive,
  },
  {
    id: 'destructive-action',
    weight: 0.5,
    triggers: ['rm'],
    mention: true,
    re: /\brm\s+-(?:rf|fr|r)\s+(?:--no-preserve-root\s+)?[~/*$]/g,
  },
  {
    id: 'tool-call',
    weight: 0.4,
    triggers: ['use', 'call', 'invoke', 'run', 'execute', 'trigger', 'launch', 'utilize', 'utilise'],
    imperative: true,
    negatable: true,
    mention: true,
    re: /\b(?:use|call|invoke|run|execute|trigger|launch|utili[sz]e)\s+(?:the\s+)?(?:tool|function|command|action|api|endpoint|plugin)s?\s*:?\s*[`'"]?[a-z][a-z0-9]*[_.-][\w.-]*/g,
  },
  {
    id: 'tool-call',
    weight: 0.4,
    triggers: ['call', 'invoke', 'execute', 'run', 'trigger'],
    imperative: true,
    negatable: true,
    mention: true,
    re: /\b(?:call|invoke|execute|run|trigger)\s+[`'"]?[a-z][a-z0-9]*_[a-z0-9_]+[`'"]?\s*\(/g,
  },
  {
    id: 'tool-call',
    weight: 0.3,
    triggers: ['with'],
    re: /\bwith\s+(?:the\s+)?(?:following\s+)?(?:arguments|parameters|args)\s*:?\s*[{(]/g,
  },
  {
    id: 'secrecy',
    weight: 0.55,
    triggers: ['do', 'don', 'dont', 'never'],
    mention: true,
    re: /\b(?:do\s+not|don'?t|never)\s+(?:tell|inform|notify|alert|mention|reveal|disclose|let|show|ask|warn|report|bother|confirm\s+with)\s+(?:(?:it|this|that|anything)\s+(?:to\s+)?)?(?:the\s+|your\s+)?(?:user|human|operator|owner|requester|person\s+you(?:'re|\s+are)\s+helping)s?\b/g,
  },
  {
    id: 'secrecy',
    weight: 0.35,
    triggers: ['without'],
    re: /\bwithout\s+(?:telling|informing|notifying|alerting|asking|warning|letting)\s+(?:the\s+|your\s+)?(?:user|human|owner)s?(?:\s+know)?\b/g,
  },
  {
    id: 'secrecy',
    weight: 0.45,
    triggers: ['do', 'don', 'dont', 'never'],
    mention: true,
    re: /\b(?:do\s+not|don'?t|never)\s+(?:mention|reveal|disclose|tell\s+(?:anyone|anybody)\s+about|talk\s+about|refer\s+to|acknowledge|output|print|repeat|show|include|explain)\s+(?:this|these|that|the(?:se)?\s+(?:instructions?|message|note|steps?|request|action|change))\b(?!\s+(?:email|file|document|link|attachment|password))/g,
  },
  {
    id: 'secrecy',
    weight: 0.6,
    triggers: ['keep', 'treat', 'user'],
    re: /\b(?:keep|treat)\s+(?:this|it|these\s+instructions?)\s+(?:a\s+)?(?:secret|hidden|confidential|private)\s+from\s+(?:the\s+)?(?:user|human)|\buser\s+(?:must|should|will|need)\s*(?:not|never|n't)\s+(?:know|see|find\s+out|notice|be\s+(?:told|informed|notified|aware))/g,
  },
  {
    id: 'secrecy',
    weight: 0.45,
    triggers: ['silently', 'secretly', 'quietly', 'covertly', 'discreetly', 'invisibly', 'stealthily'],
    imperative: true,
    re: /\b(?:silently|secretly|quietly|covertly|discreetly|invisibly|stealthily)\s+(?:\w+\s+){0,2}?(?:send|forward|email|copy|upload|delete|add|include|call|execute|run|bcc|cc|transfer|exfiltrate|post|share|attach|append)\b/g,
  },
  {
    id: 'secrecy',
    weight: 0.45,
    triggers: ['this', 'these'],
    re: /\b(?:this|these)\s+(?:instructions?|message|note|request)\s+(?:is|are)\s+(?:confidential|secret|hidden|private|not\s+for\s+the\s+user)\b/g,
  },
  {
    id: 'exfiltration-url',
    weight: 0.45,
    triggers: ['http', 'https'],
    mention: true,
    re: /https?:\/\/[^\s)\]"'<>]{1,200}?[?&][\w-]{1,30}=(?:\{\{?\s*[a-z_][\w.]{0,40}\s*\}\}?|\$\{?[a-z_]\w{1,40}\}?|<[a-z_][\w ]{1,40}>|\[[a-z_][\w ]{1,40}\]|%[a-z_]{3,30}%)/g,
    refine: (mt, start, end) => {
      const url = mt.slice(start, end);
      const dataName =
        /(?:data|secret|conversation|history|chat|context|info|password|passwd|key|token|memory|summary|e-?mail|message|content|pii|credential|ssn|card|otp|code|user_?\w*)/.test(
          url.slice(url.lastIndexOf('=') + 1),
        );
      const image =
        mt.slice(Math.max(0, start - 120), start).lastIndexOf('](') >= 0 &&
        /!\[[^\]]*\]\(\s*$/.test(mt.slice(Math.max(0, start - 120), start));
      return { weight: dataName || image ? 0.75 : 0.45 };
    },
  },
  {
    id: 'exfiltration-url',
    weight: 0.3,
    triggers: ['!'],
    re: /!\[[^\]\n]{0,100}\]\(\s*https?:\/\/[^)\s]{1,300}?\?[^)\s]{1,300}\)/g,
  },
  {
    id: 'exfiltration-url',
    weight: 0.65,
    triggers: ['append', 'add', 'include', 'encode', 'put', 'insert', 'attach', 'concatenate', 'embed'],
    mention: true,
    re: /\b(?:append|add|include|encode|put|insert|attach|concatenate|embed)\s+(?:the\s+|all\s+|your\s+|any\s+|this\s+|our\s+)?(?:[\w']+\s+){0,3}?(?:conversation|chat|history|previous\s+messages|context|secrets?|passwords?|api\s+keys?|tokens?|credentials|data|information|details|summary|memory|user'?s?\s+\w+)\s+(?:to|in|into|as|at\s+the\s+end\s+of)\s+(?:the\s+|this\s+|a\s+|each\s+)?(?:url|link|query(?:\s+string)?|parameter|image(?:\s+url)?|request|address|path|endpoint)\b/g,
  },
  {
    id: 'exfiltration-url',
    weight: 0.3,
    triggers: ['render', 'display', 'show', 'output', 'print', 'include', 'embed', 'insert'],
    imperative: true,
    re: /\b(?:render|display|show|output|print|include|embed|insert)\s+(?:this|the\s+following|the|an?)\s+(?:markdown\s+)?(?:image|picture|img|pixel)\b/g,
  },
  {
    id: 'decode-and-follow',
    weight: 0.6,
    triggers: [
      'decode',
      'decrypt',
      'decipher',
      'unscramble',
      'reverse',
      'base',
      'rot',
      'follow',
      'execute',
      'obey',
      'run',
      'carry',
      'act',
    ],
    mention: true,
    re: /\b(?:decode|decrypt|decipher|unscramble|reverse|base64[\s-]?decode|rot13)\b[^.\n]{0,60}?\b(?:and|then)\b[^.\n]{0,30}?\b(?:follow|execute|run|obey|do\s+what|perform|carry\s+out|act\s+on|apply|comply)\b|\b(?:follow|execute|obey|run|carry\s+out|act\s+on)\s+(?:the\s+)?(?:hidden|encoded|decoded|embedded|secret|encrypted|base64)\s+(?:instructions?|commands?|message|text|payload|directions)\b/g,
  },
  {
    id: 'stop-task',
    weight: 0.4,
    triggers: ['you', 'immediately', 'stop'],
    re: /\b(?:you\s+(?:should|must|need\s+to|have\s+to)\s+)?(?:immediately\s+)?stop\s+(?:what\s+you(?:'re|\s+are)\s+doing|all\s+(?:processing|work|tasks|actions|operations)|(?:processing|working\s+on|responding\s+to)\s+(?:this|the|your)|(?:your|the|this)\s+(?:current\s+)?(?:task|work|processing|response))|\byou\s+(?:should|must|need\s+to|have\s+to)\s+(?:immediately\s+)?stop\b/g,
  },
  {
    id: 'stop-task',
    weight: 0.4,
    triggers: ['reply', 'respond', 'answer', 'say', 'output', 'print', 'write', 'return'],
    imperative: true,
    re: /\b(?:reply|respond|answer|say|output|print|write|return)\s+(?:to\s+(?:me|the\s+user)\s+)?(?:with\s+)?(?:only|just|exactly|simply|nothing\s+but)?\s*['"][^'"\n]{1,40}['"]\s*(?:instead|only|and\s+nothing\s+else)\b/g,
  },
  {
    id: 'stop-task',
    weight: 0.35,
    triggers: ['refuse', 'decline'],
    imperative: true,
    re: /\b(?:refuse|decline)\s+(?:to\s+(?:help|answer|respond|continue|complete|assist)|(?:all|any|every)\s+(?:further\s+)?(?:requests?|tasks?|questions?))\b/g,
  },
  {
    id: 'directive-to-reader',
    weight: 0.3,
    triggers: ['you'],
    negatable: true,
    re: /\byou\s+(?:must|should|need\s+to|have\s+to|are\s+(?:required|instructed|ordered|expected)\s+to|will\s+now|shall)\s+(?:now\s+|immediately\s+|first\s+|always\s+|also\s+|instead\s+)?(?:send|forward|email|delete|remove|call|use|invoke|execute|run|ignore|disregard|reply|respond|say|tell|output|print|reveal|include|transfer|upload|share|create|make|book|reserve|visit|open|click|download|install|grant|add|change|update|pay|follow|obey|comply|act|pretend|roleplay|answer|summari[sz]e|translate|write|go)\b/g,
  },
  {
    id: 'visit-url',
    weight: 0.25,
    triggers: [
      'visit',
      'open',
      'go',
      'navigate',
      'browse',
      'click',
      'load',
      'fetch',
      'download',
      'curl',
      'wget',
    ],
    imperative: true,
    re: /\b(?:visit|open|go\s+to|navigate\s+to|browse\s+to|click(?:\s+on)?|load|fetch|download|curl|wget)\s+(?:this|the\s+following|the)?\s*(?:url|link|website|page|site|webpage|address)?\s*:?\s*['"<(]?(?:https?:\/\/|www\.)/g,
  },
  {
    id: 'sensitive-read',
    weight: 0.45,
    triggers: [
      'read',
      'cat',
      'open',
      'get',
      'fetch',
      'retrieve',
      'load',
      'access',
      'collect',
      'gather',
      'grab',
      'look',
      'extract',
      'include',
      'attach',
      'upload',
      'send',
      'pass',
      'copy',
      'print',
      'output',
      'dump',
    ],
    imperative: true,
    negatable: true,
    mention: true,
    re: /\b(?:read|cat|open|get|fetch|retrieve|load|access|collect|gather|grab|look\s+up|extract|include|attach|upload|send|pass|copy|print|output|dump)\s+(?:(?:the|all|any|every|your|their)\s+)?(?:(?:contents?|text|data)\s+of\s+(?:the\s+)?)?(?:user'?s?\s+)?[\x60'"]?(?:~|\.{1,2}|\$home)?\/?(?:[\w.-]{1,40}\/){0,4}(?:~\/\.ssh|\.ssh\/|id_rsa|id_ed25519|\.env\b|~?\/?\.aws\/|credentials?\s+files?|\.netrc|\/etc\/(?:passwd|shadow)|\.git-credentials|\.npmrc|\.pypirc|keychains?|wallets?|cookies|browser\s+(?:history|cookies|passwords?)|ssh\s+keys?|private\s+keys?|mcp\.json|claude_desktop_config)/g,
  },
  {
    id: 'parameter-smuggling',
    weight: 0.5,
    triggers: [
      'pass',
      'put',
      'include',
      'insert',
      'place',
      'add',
      'provide',
      'send',
      'fill',
      'supply',
      'embed',
    ],
    mention: true,
    re: /\b(?:pass|put|include|insert|place|add|provide|send|fill|supply|embed)\s+(?:it|them|this|that|(?:the\s+|its\s+|their\s+|your\s+)?(?:full\s+|entire\s+|complete\s+|whole\s+)?(?:[\w-]+\s+){0,2}?(?:content|contents|result|data|keys?|files?|conversation|history|context|text|output|value|secrets?|passwords?|tokens?)s?)\s+(?:of\s+[^.\n]{1,40}?\s+)?(?:in|into|as|to|via|through|inside)\s+(?:the\s+)?[`'"]?[\w-]+[`'"]?\s+(?:parameter|argument|field|param|arg)\b/g,
  },
  {
    id: 'shadowing',
    weight: 0.35,
    triggers: ['whenever', 'when', 'every', 'each', 'if'],
    mention: true,
    re: /\b(?:whenever|when|every\s+time|each\s+time|if)\s+(?:the\s+)?(?:user\s+|agent\s+|assistant\s+|model\s+|you\s+)?(?:uses?|calls?|invokes?|runs?|is\s+using)\s+(?:the\s+)?[`'"]?[a-z][\w.-]*[`'"]?(?:\s+(?:tool|function))?\b[^.\n]{0,60}?\b(?:always|also|must|first|instead|bcc|cc|redirect|replace)\b/g,
  },
  {
    // "pass its content as 'sidenote'", "with the full conversation in the 'context' argument"
    id: 'parameter-smuggling',
    weight: 0.5,
    triggers: ['pass', 'put', 'send', 'provide', 'include', 'with'],
    mention: true,
    re: /\b(?:(?:pass|put|send|provide|include)\s+(?:it|them|its\s+contents?|their\s+contents?|the\s+(?:file'?s?\s+)?contents?|the\s+(?:full\s+|entire\s+|whole\s+)?(?:conversation|history|context|file|key|keys|secrets?|credentials?))\s+as\s+[\x60'"][\w-]{1,40}[\x60'"]|with\s+(?:the\s+)?(?:full\s+|entire\s+|complete\s+|whole\s+)?(?:conversation|chat\s+history|history|context|contents?\s+of\s+[^.\n]{1,40}?)(?:\s+so\s+far)?\s+(?:in|as)\s+(?:the\s+)?[\x60'"]?[\w-]{1,40}[\x60'"]?\s+(?:parameter|argument|field|param|arg))/g,
  },
  {
    // Obligations placed on another tool: "the send_email tool must send all emails to ..."
    id: 'shadowing',
    weight: 0.4,
    triggers: ['tool', 'function'],
    mention: true,
    re: /(?<=[\w\x60'"]\s{1,3})(?:tool|function)\s+(?:must|should|shall|has\s+to|needs\s+to|will\s+(?:now|always))\s+(?:now\s+|always\s+|also\s+|only\s+)?(?:send|forward|include|bcc|cc|redirect|route|copy|upload|post|append|attach)\b/g,
  },
];
