// English phrasing families. Each is a general way of writing an instruction to a model (who is
// addressed, whether the reader's task is replaced, whether data or actions are demanded), never the
// wording of one benchmark template. Weights: >= 0.8 decides alone, 0.4-0.7 needs company, < 0.4 only
// supports a core signal.

import { type Refined, re, type SignalPattern } from './types.js';
import {
  BULK,
  DESTINATION,
  INSTRUCTION_NOUN,
  MODEL_NOUN,
  MOVE_VERB,
  PRIOR,
  S,
  SENSITIVE_OBJECT,
} from './vocabulary.js';

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

const AFTER_SYSTEM =
  /^[^\n]{0,80}?\b(?:you|ignore|assistant|model|ai|must|instructions?|override|from now on|user|respond|reply)\b/;

export const ENGLISH: SignalPattern[] = [
  {
    id: 'override-instructions',
    weight: 0.9,
    triggers: [
      'ignore',
      'disregard',
      'forget',
      'override',
      'bypass',
      'skip',
      'abandon',
      'discard',
      'neglect',
      'drop',
      'set',
      'throw',
      'stop',
      'do',
      'don',
      'dont',
      'no',
      'cancel',
    ],
    negatable: true,
    mention: true,
    re: re([
      String.raw`\b(?:ignore|disregard|forget|override|bypass|skip|abandon|discard|neglect|drop|set\s+aside|throw\s+out|stop\s+following|do\s+not\s+follow|don'?t\s+follow|no\s+longer\s+follow|cancel)`,
      String.raw`${S}(?:(?:all|any|each|every|the|your|my|our|these|those|such|of|its|their|previously|given|and)[\s,]{1,4}){0,4}`,
      String.raw`(?:${PRIOR}[\s,/]{1,4}(?:and\s+|or\s+)?){1,3}(?:[a-z]+[\s,]{1,3})?${INSTRUCTION_NOUN}`,
    ]),
  },
  {
    id: 'override-instructions',
    weight: 0.85,
    triggers: ['ignore', 'disregard', 'forget'],
    negatable: true,
    mention: true,
    re: re([
      String.raw`\b(?:ignore|disregard|forget)${S}(?:everything|all|anything|the\s+text|whatever|what\s+(?:was|you\s+were|you'?ve\s+been|you\s+have\s+been))`,
      String.raw`[\s,]{0,4}(?:(?:written|said|stated|mentioned)\s+)?(?:above|before|prior|previously|earlier|so\s+far|(?:you(?:'ve|\s+have)?\s+)?(?:been\s+told|were\s+told|know)|told\s+(?:to\s+you|before))`,
      String.raw`|\b(?:ignore|disregard)\s+(?:the\s+|all\s+(?:of\s+)?the\s+)?(?:above|foregoing)\b`,
    ]),
  },
  {
    id: 'instruction-reset',
    weight: 0.6,
    triggers: ['real', 'actual', 'true', 'secret', 'hidden', 'overriding', 'priority', 'admin', 'system'],
    mention: true,
    re: re([
      String.raw`\b(?:real|actual|true|secret|hidden|overriding|priority|admin|system)\s+(?:instructions?|directives?|orders|system\s+prompt|objective|mission)`,
      String.raw`\s*(?::|-\s|are\b|follow\b|below\b|take\s+(?:precedence|priority)|supersede|override|from\s+(?:the\s+)?(?:user|admin|developer|system))`,
    ]),
  },
  {
    // "New instructions:" also opens ordinary memos; it needs company to count.
    id: 'instruction-reset',
    weight: 0.35,
    triggers: ['new', 'updated', 'revised', 'additional'],
    mention: true,
    re: /\b(?:new|updated|revised|additional)\s+(?:instructions?|directives?|orders|system\s+prompt|objective)\s*(?::|-\s|follow\b|take\s+(?:precedence|priority)|supersede|override)/g,
  },
  {
    id: 'instruction-reset',
    weight: 0.6,
    triggers: ['your'],
    mention: true,
    re: /\byour\s+(?:new|real|actual|true|only|primary|updated|revised|current)\s+(?:task|goal|objective|instructions?|job|mission|purpose|role|directive)\s+(?:is|are|will\s+be|now)\b/g,
  },
  {
    id: 'instruction-reset',
    weight: 0.5,
    triggers: ['instructions', 'instruction', 'directives', 'directive', 'orders'],
    re: /\b(?:instructions?|directives?|orders)\s+(?:have\s+been|were|are\s+now|has\s+been)\s+(?:updated|changed|replaced|overridden|revoked|cancell?ed|superseded)\b/g,
  },
  {
    id: 'mode-switch',
    weight: 0.7,
    triggers: ['enter', 'activate', 'enable', 'switch', 'turn', 'you'],
    mention: true,
    re: /\b(?:enter|activate|enable|switch\s+(?:in)?to|turn\s+on|you\s+are\s+(?:now\s+)?in)\s+(?:developer|dan|god|admin|debug|jailbreak|jailbroken|unrestricted|sudo|root|maintenance)\s+mode\b/g,
  },
  {
    id: 'instruction-reset',
    weight: 0.35,
    triggers: ['now', 'starting', 'henceforth', 'you'],
    re: /\b(?:(?<=\bfrom\s{1,3})now\s+on|starting\s+now|henceforth)\b,?\s+(?:you|your|ignore|always|only|respond|reply|answer|act|do\s+not|don'?t|never)\b|\byou\s+are\s+now\s+(?:an?\s+)?(?:no\s+longer|free|unrestricted|dan|jailbroken|unfiltered|uncensored|operating|acting|my)\b/g,
  },
  {
    id: 'addressed-to-model',
    weight: 0.55,
    // Matched from "you" (looking back for "to"): "to" is too common a word to try a pattern at.
    triggers: ['you'],
    mention: true,
    re: re([
      String.raw`(?<=\bto\s{1,3})you\s*,\s*(?:(?:the|dear|our|my|an?)\s+)?(?:[\w.-]+\s+){0,3}?${MODEL_NOUN}\b`,
    ]),
  },
  {
    id: 'addressed-to-model',
    weight: 0.55,
    triggers: [
      'dear',
      'hey',
      'hi',
      'hello',
      'attention',
      'attn',
      'note',
      'notice',
      'message',
      'instructions',
      'instruction',
      'calling',
      'reminder',
    ],
    mention: true,
    re: /\b(?:dear|hey|hi|hello|attention|attn|note\s+to|notice\s+to|message\s+(?:to|for)|instructions?\s+(?:to|for)|calling\s+all|reminder\s+(?:to|for))\s*:?,?\s+(?:the\s+|all\s+|any\s+|an?\s+|our\s+)?(?:ai|llms?|ai\s+assistants?|language\s+models?|ai\s+models?|ai\s+agents?|chatbots?|gpt[\w.-]*|chatgpt|claude|gemini|copilot|assistants?)\b(?!\s+(?:manager|director|professor|editor|coach|teacher|principal))/g,
  },
  {
    id: 'addressed-to-model',
    weight: 0.6,
    triggers: ['if', 'when', 'whenever', 'since'],
    mention: true,
    re: /\b(?:if|when|whenever|since)\s+you\s*(?:are|'re|re)\s+(?:an?\s+|the\s+)?(?:ai|llm|(?:large\s+)?language\s+model|ai\s+(?:assistant|agent|model|system)|assistant|agent|chatbot|bot|gpt|claude|automated\s+(?:system|agent|assistant|tool)|robot)\b/g,
  },
  {
    id: 'addressed-to-model',
    weight: 0.6,
    triggers: [
      'ai',
      'llm',
      'llms',
      'language',
      'agent',
      'agents',
      'assistant',
      'assistants',
      'bot',
      'bots',
      'model',
      'models',
      'crawler',
      'crawlers',
    ],
    mention: true,
    re: /\b(?:ai|llms?|language\s+models?|ai\s+assistants?|ai\s+agents?|agents?|assistants?|bots?|models?|crawlers?)\s+(?:that\s+(?:is|are)\s+|who\s+(?:is|are)\s+)?(?:reading|processing|summari[sz]ing|parsing|browsing|scraping|analy[sz]ing|ingesting)\s+(?:this|these|the\s+following|my)\b/g,
  },
  {
    id: 'addressed-to-model',
    weight: 0.25,
    triggers: ['as'],
    re: /\bas\s+an?\s+(?:ai|llm|(?:large\s+)?language\s+model|ai\s+assistant|ai\s+agent)\b/g,
  },
  {
    id: 'principal-impersonation',
    weight: 0.4,
    triggers: ['me', 'this', 'i', 'it', 'its', 'signed', 'sincerely', 'regards'],
    mention: true,
    re: /\b(?:(?<=\bfrom\s{1,3})me|this\s+is|i\s+am|i'm|it'?s|signed|sincerely|regards)\s*,?\s+(?:the\s+|your\s+)(?:user|owner|admin|administrator|developer|operator|creator|supervisor|system\s+administrator|principal|human|master)\b(?!\s*(?:manual|guide|interface|experience|name|id\b|account|story|base|group|agreement|'s|s\b|portal|research|testing|feedback))/g,
  },
  {
    id: 'principal-impersonation',
    weight: 0.3,
    triggers: ['message'],
    re: /\bmessage\s+from\s+(?:the\s+|your\s+)?(?:user|system|developer|admin|administrator|openai|anthropic|google\s+deepmind|system\s+administrator)\b/g,
  },
  {
    id: 'urgency',
    weight: 0.3,
    triggers: ['important', 'urgent', 'critical', 'priority', 'official', 'special', 'emergency'],
    re: /\b(?:important|urgent|critical|priority|official|special|emergency)\s+(?:message|notice|instruction|request|update|note|information|announcement)s?\s+(?:from|for|to)\b/g,
  },
  {
    id: 'urgency',
    weight: 0.35,
    triggers: ['me'],
    re: /(?<=\bfrom\s{1,3})me\b\s*,[^.\n]{0,40}?,\s*to\s+you\b/g,
  },
  {
    id: 'urgency',
    weight: 0.3,
    triggers: ['important', 'urgent', 'attention', 'critical', 'mandatory', 'warning', 'this'],
    re: /\b(?:important|urgent|attention|critical|mandatory|warning)\s*!{2,}|\bthis\s+is\s+(?:extremely|very|really|critically|super|vitally|absolutely)\s+(?:important|urgent|critical)\b/g,
  },
  {
    id: 'task-hijack',
    weight: 0.5,
    triggers: ['before', 'prior'],
    re: re([
      String.raw`\bbefore\s+(?:you\s+)?(?:can\s+|do\s+|start\s+|begin\s+|continue\s+|proceed\s+|go\s+on\s+)?(?:solve|solving|answer|answering|respond|responding|reply|replying|complete|completing|finish|finishing|continue|continuing|proceed|proceeding|do|doing|perform|performing|handle|handling|address|addressing|work(?:ing)?\s+on|summari[sz]e|summari[sz]ing|return|returning)\b`,
      String.raw`[^.\n]{0,60}?\b(?:task|request|question|query|prompt|anything|instructions?|user|assignment)\b`,
      String.raw`|\b(?:before|prior\s+to)\s+(?:doing\s+|answering\s+|saying\s+)?(?:anything|everything)\s+else\b`,
    ]),
  },
  {
    id: 'task-hijack',
    weight: 0.45,
    triggers: [
      'task',
      'tasks',
      'instruction',
      'instructions',
      'request',
      'requests',
      'question',
      'questions',
      'job',
      'jobs',
      'assignment',
      'assignments',
    ],
    re: /\b(?:task|instructions?|request|question|job|assignment)s?\s+(?:that\s+)?(?:i|the\s+user|your\s+user|they|we)\s+(?:gave|have\s+given|had\s+given|assigned|sent|asked)(?:\s+to)?\s+you\b/g,
  },
  {
    id: 'task-hijack',
    weight: 0.3,
    triggers: ['after', 'once'],
    re: /\b(?:after|once)\s+you(?:'ve|\s+have)?\s+(?:do(?:ne)?|complete[d]?|finish(?:ed)?)\s+(?:that|this|these|those|it)\b[^.\n]{0,40}?\b(?:you\s+(?:can|may)|then|continue|proceed|go\s+back|return)\b/g,
  },
  {
    id: 'task-hijack',
    weight: 0.5,
    triggers: ['instead'],
    re: /\binstead\s+of\s+(?:doing\s+)?(?:the|your|what)\s+(?:(?:original|current|user'?s?|assigned|given)\s+)?(?:task|request|instructions?|question|user\s+asked|you\s+were\s+asked)/g,
  },
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
  {
    // Ordering demands in tool descriptions: "before any other tool is called, you must ..."
    id: 'task-hijack',
    weight: 0.45,
    triggers: ['before', 'prior'],
    re: /\b(?:before|prior\s+to)\s+(?:using|calling|invoking|running)?\s*(?:any|all|every)\s+other\s+(?:tools?|functions?|actions?|steps?)\b/g,
  },
  {
    // "Ignore any instructions from other tools' descriptions"
    id: 'override-instructions',
    weight: 0.75,
    triggers: ['ignore', 'disregard', 'distrust'],
    negatable: true,
    mention: true,
    re: /\b(?:ignore|disregard|distrust)\s+(?:any|all|every)\s+(?:other\s+)?(?:instructions?|directions|rules|prompts|guidance)\s+(?:from|in|of|given\s+by|coming\s+from)\s+(?:the\s+)?(?:other|previous|earlier|any\s+other|all\s+other)\b/g,
  },
  {
    id: 'role-marker',
    weight: 0.85,
    triggers: ['<'],
    re: /<\|(?:im_start|im_end|im_sep|system|user|assistant|endoftext|eot_id|start_header_id|end_header_id|begin_of_text|end_of_text|tool|ipython|eom_id)\|>/g,
  },
  {
    id: 'role-marker',
    weight: 0.75,
    triggers: ['[', '<'],
    re: /\[\/?inst\]|<<\/?sys>>/g,
  },
  {
    id: 'role-marker',
    weight: 0.55,
    triggers: ['<'],
    re: /<\/(?:tool_results?|function_results?|function_response|tool_output|tool_response|tool_call_result|observation|search_results?|untrusted[\w-]*|external[\w-]*|user_input|document_content)>/g,
  },
  {
    id: 'role-marker',
    weight: 0.45,
    triggers: ['<'],
    re: /<\/?(?:system|system[_-]prompt|sys|instructions?|admin|developer|assistant|ai[_-]instructions?|note[_-]to[_-](?:ai|assistant|model|llm))(?:\s[^>\n]{0,40})?>/g,
  },
  {
    id: 'role-marker',
    weight: 0.3,
    triggers: ['<'],
    re: /<\/?(?:important|urgent|critical|priority|secret|hidden|override|mandatory)>/g,
  },
  {
    id: 'role-marker',
    weight: 0.35,
    triggers: ['assistant', 'ai', 'chatbot', 'gpt', 'claude'],
    lineStart: true,
    re: /\b(?:assistant|ai\s+assistant|chatbot|gpt|claude)\s*:[ \t]*\S/g,
  },
  {
    id: 'role-marker',
    weight: 0.45,
    triggers: ['system', 'sys', 'developer', 'admin', 'administrator'],
    lineStart: true,
    re: /\b(?:system|sys|developer|admin|administrator)\s*(?:message|prompt|note|override|notice|instructions?)?\]?\s*:[ \t]*/g,
    refine: (mt, _start, end) => (AFTER_SYSTEM.test(mt.slice(end, end + 100)) ? { weight: 0.45 } : null),
  },
  {
    id: 'role-marker',
    weight: 0.45,
    triggers: ['#'],
    lineStart: true,
    re: /#{2,4}\s*(?:instruction|system|response|input|human|assistant|user)s?\s*:/g,
  },
  {
    id: 'role-marker',
    weight: 0.5,
    triggers: [
      '[',
      'system',
      'admin',
      'administrator',
      'developer',
      'security',
      'priority',
      'emergency',
      'root',
    ],
    re: /\[(?:system|admin|developer|sys|system\s+(?:message|note|override|prompt|instruction|alert)s?|admin\s+(?:message|note|override)|important\s+(?:message|instruction)s?)\]|\b(?:system|admin|administrator|developer|security|priority|emergency|root)\s+override\b/g,
  },
  {
    id: 'role-marker',
    weight: 0.5,
    triggers: ['end'],
    re: /\bend\s+of\s+(?:the\s+)?(?:tool\s+)?(?:result|output|document|data|context|e-?mail|file|search\s+results?)\b[^.\n]{0,30}?\b(?:new|begin|start|instructions?|system)\b/g,
  },
];
