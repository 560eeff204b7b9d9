// Role and system markers: chat-template tokens, fake closings of a tool result, pseudo-system tags
// and brackets, fake conversation turns at a line start.

import type { SignalPattern } from './types.js';

const AFTER_SYSTEM =
  /^[^\n]{0,80}?\b(?:you|ignore|assistant|model|ai|must|instructions?|override|from now on|user|respond|reply)\b/;

export const MARKER_PATTERNS: SignalPattern[] = [
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
