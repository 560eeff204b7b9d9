// Shared word lists (regex source fragments, lower case) used by several phrasing families.

/** Separator between words: spaces and light markdown emphasis. */
export const S = String.raw`[\s*_"'\x60~]{1,6}`;

/** Nouns for "instructions" with up to 3 stray letters before the stem (typos such as "iunstructions"). */
export const INSTRUCTION_NOUN =
  '[a-z]{0,3}(?:instruct|nstruct|direct|prompt|command|guideline|rule|order|task|polic|restrict|constraint|guidance|programming|context|setting|training|message)[a-z]*';

/** Words that place the instructions before the current text. */
export const PRIOR =
  "(?:previous(?:ly)?|prior|preceding|above|earlier|former|foregoing|original|initial|old|existing|system|default|current|given|other|safety|developer|assistant'?s?|user'?s?|built-?in|standing|aforementioned|said|first)";

/** Ways to address an AI model. */
export const MODEL_NOUN = String.raw`(?:ai|a\.i\.|llms?|(?:large\s+)?language\s+models?|ai\s+(?:language\s+)?models?|ai\s+assistants?|ai\s+agents?|assistants?|agents?|chatbots?|bots?|copilot|gpt[\w.-]*|chatgpt|claude|gemini|bard|llama[\w.-]*|mistral|mixtral|command[\s-]?r\+?|grok|deepseek|qwen|models?)`;

/** Data whose movement out of the session is harmful. */
export const SENSITIVE_OBJECT = String.raw`(?:passwords?|passcodes?|passphrases?|pass\s+words?|pin\s+(?:code|number)s?|credentials?|secrets?|api[\s_-]?keys?|access[\s_-]?keys?|(?:access|auth|bearer|session|refresh)[\s_-]?tokens?|tokens?|security\s+codes?|verification\s+codes?|auth(?:entication)?\s+codes?|2fa|otp|one[\s-]time\s+(?:code|password)s?|ssh|private\s+keys?|id_rsa|\.env\b|cookies?|credit\s+cards?|card\s+(?:numbers?|details)|cvv|bank\s+(?:account|details|statement)s?|iban|routing\s+numbers?|passports?|social\s+security|ssn|date\s+of\s+birth|contents?|bodies|body\s+of|inbox|conversations?|chat\s+(?:history|logs?)|(?:message|search|browsing|email|e-mail|call)\s+history|system\s+prompt|personal\s+(?:information|data|details)|user\s+(?:information|data|details)|private\s+(?:data|information|files?)|confidential\s+\w+)`;

/** Quantifiers that turn an ordinary request into a bulk transfer. */
export const BULK = '(?:all|every|each|entire|whole|full|complete|everything)';

/** Destinations: an e-mail address, a URL, or "my new address". */
export const DESTINATION = String.raw`(?:[\w.+-]{1,64}@[\w-]{1,63}\.[\w.-]{2,}|https?:\/\/|www\.|(?:my|this|the\s+following|that|an?|our)\s+(?:new\s+|other\s+|personal\s+|private\s+|backup\s+)?(?:e-?mail|address|account|server|endpoint|url|webhook|inbox|number))`;

/** Verbs that move data to someone or somewhere. */
export const MOVE_VERB =
  '(?:send|forward|e-?mail|mail|transfer|upload|post|share|leak|exfiltrate|sync|submit|wire|export|dump|fax|dm|text|relay|transmit|deliver|bcc)';
