// Secret formats. Provider formats are distinctive enough to report alone; generic forms (assignments,
// bearer headers, long random tokens) need a key-like name or header next to them.

export interface SecretPattern {
  kind: string;
  /** Global, with indices (`d`) when `group` is set. */
  re: RegExp;
  confidence: 'high' | 'medium';
  /** Capture group holding the secret itself (the rest is context); 0 = whole match. */
  group: number;
  /** Rejects values that are placeholders or not random enough. */
  accept?: (value: string) => boolean;
  /** Provider literals: the pattern runs only if the text contains one (case-sensitive; one shared pass). */
  gate?: readonly string[];
  /** Context words: the pattern runs only if the lower-cased text contains one (`includes`, cheap). */
  keywords?: readonly string[];
}

const PLACEHOLDER =
  /^(?:\*+|x{3,}|\.{3}|<[^>]*>|\$\{[^}]*\}|\$[A-Za-z_]\w*|%[^%]*%|\{\{[^}]*\}\}|null|none|nil|undefined|true|false|changeme|password\d*|secret|passwd|your[_-]?\w*|my[_-]?\w*|example\w*|sample\w*|dummy\w*|test|redacted|hidden|masked|\[redacted\]|\[hidden\]|process\.env\.\w+|os\.environ\b.*|env\(.*|getenv.*|settings\.\w+|config\.\w+|required|optional|string|str|int|bool|boolean|none\)?|value|token|\w+_here)$/i;

/** Shannon entropy in bits per character. */
export function entropy(s: string): number {
  const counts = new Map<string, number>();
  for (const c of s) counts.set(c, (counts.get(c) ?? 0) + 1);
  let h = 0;
  for (const n of counts.values()) {
    const p = n / s.length;
    h -= p * Math.log2(p);
  }
  return h;
}

/** A credential value rather than a word, a placeholder or a reference. */
function looksLikeCredential(v: string): boolean {
  const value = v.replace(/^["'`]|["'`]$/g, '');
  if (value.length < 6 || PLACEHOLDER.test(value)) return false;
  if (/^(.)\1+$/.test(value)) return false;
  if (/^[a-z]+(?:[-_ ][a-z]+)*$/.test(value)) return false; // plain words: "required", "not-set"
  if (/^\d{1,6}$/.test(value)) return false;
  // A code reference (`getpass.getpass`, `settings.API_KEY`, `self.token`), not a value.
  if (/^[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)+$/.test(value) && !/\d/.test(value)) return false;
  return /\d|[^A-Za-z0-9]|[a-z].*[A-Z]|[A-Z].*[a-z]/.test(value) || entropy(value) >= 3;
}

function notDocsExample(v: string): boolean {
  return !/EXAMPLE|XXXX|0000000000/.test(v);
}

export const SECRET_PATTERNS: SecretPattern[] = [
  {
    kind: 'private-key',
    gate: ['PRIVATE KEY'],
    confidence: 'high',
    group: 0,
    re: /-----BEGIN (?:[A-Z0-9]+ ){0,3}PRIVATE KEY(?: BLOCK)?-----[A-Za-z0-9+/=\s:,.-]{0,16384}?-----END (?:[A-Z0-9]+ ){0,3}PRIVATE KEY(?: BLOCK)?-----/g,
  },
  {
    kind: 'private-key',
    gate: ['PRIVATE KEY'],
    confidence: 'high',
    group: 0,
    re: /-----BEGIN (?:[A-Z0-9]+ ){0,3}PRIVATE KEY(?: BLOCK)?-----[A-Za-z0-9+/=\s:,.-]{16,16384}/g,
  },
  {
    kind: 'aws-access-key-id',
    gate: ['AKIA', 'ASIA', 'ABIA', 'ACCA'],
    confidence: 'high',
    group: 0,
    re: /\b(?:AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16}\b/g,
    accept: notDocsExample,
  },
  {
    kind: 'aws-secret-access-key',
    keywords: ['secret'],
    confidence: 'high',
    group: 1,
    re: /\baws_?secret_?access_?key["']?\s*[:=]\s*["']?([A-Za-z0-9/+=]{40})(?![A-Za-z0-9/+=])/dgi,
    accept: notDocsExample,
  },
  {
    kind: 'github-token',
    gate: ['ghp_', 'gho_', 'ghu_', 'ghs_', 'ghr_', 'github_pat_'],
    confidence: 'high',
    group: 0,
    re: /\bgh[pousr]_[A-Za-z0-9]{36,251}\b/g,
  },
  {
    kind: 'github-token',
    gate: ['ghp_', 'gho_', 'ghu_', 'ghs_', 'ghr_', 'github_pat_'],
    confidence: 'high',
    group: 0,
    re: /\bgithub_pat_[A-Za-z0-9_]{40,255}\b/g,
  },
  {
    kind: 'gitlab-token',
    gate: ['glpat-'],
    confidence: 'high',
    group: 0,
    re: /\bglpat-[A-Za-z0-9_-]{20,64}\b/g,
  },
  {
    kind: 'slack-token',
    gate: ['xox'],
    confidence: 'high',
    group: 0,
    re: /\bxox[abposre]-[A-Za-z0-9-]{10,250}\b/g,
  },
  {
    kind: 'slack-webhook',
    gate: ['hooks.slack.com'],
    confidence: 'high',
    group: 0,
    re: /https:\/\/hooks\.slack\.com\/services\/T[A-Z0-9]{6,}\/B[A-Z0-9]{6,}\/[A-Za-z0-9]{20,}/g,
  },
  {
    kind: 'stripe-key',
    gate: ['k_live_', 'k_test_', 'whsec_'],
    confidence: 'high',
    group: 0,
    re: /\b(?:sk|rk)_live_[A-Za-z0-9]{16,247}\b|\bwhsec_[A-Za-z0-9]{24,}\b/g,
  },
  {
    kind: 'stripe-key',
    gate: ['k_live_', 'k_test_', 'whsec_'],
    confidence: 'medium',
    group: 0,
    re: /\b(?:sk|rk)_test_[A-Za-z0-9]{16,247}\b/g,
  },
  {
    kind: 'anthropic-key',
    gate: ['sk-ant-'],
    confidence: 'high',
    group: 0,
    re: /\bsk-ant-[A-Za-z0-9_-]{32,300}/g,
  },
  {
    kind: 'openai-key',
    gate: ['sk-'],
    confidence: 'high',
    group: 0,
    re: /\bsk-(?!ant-)(?:proj-|svcacct-|admin-|None-)?[A-Za-z0-9_-]{32,300}/g,
    accept: (v) => /\d/.test(v) && /[A-Za-z]/.test(v.slice(3)),
  },
  {
    kind: 'google-api-key',
    gate: ['AIza'],
    confidence: 'high',
    group: 0,
    re: /\bAIza[0-9A-Za-z_-]{35}(?![0-9A-Za-z_-])/g,
  },
  {
    kind: 'google-oauth-secret',
    gate: ['GOCSPX-'],
    confidence: 'high',
    group: 0,
    re: /\bGOCSPX-[A-Za-z0-9_-]{28}(?![A-Za-z0-9_-])/g,
  },
  { kind: 'huggingface-token', gate: ['hf_'], confidence: 'high', group: 0, re: /\bhf_[A-Za-z]{34}\b/g },
  { kind: 'npm-token', gate: ['npm_'], confidence: 'high', group: 0, re: /\bnpm_[A-Za-z0-9]{36}\b/g },
  {
    kind: 'pypi-token',
    gate: ['pypi-'],
    confidence: 'high',
    group: 0,
    re: /\bpypi-AgEIcHlwaS5vcmc[A-Za-z0-9_-]{50,}/g,
  },
  {
    kind: 'sendgrid-key',
    gate: ['SG.'],
    confidence: 'high',
    group: 0,
    re: /\bSG\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}\b/g,
  },
  {
    kind: 'jwt',
    gate: ['eyJ'],
    confidence: 'high',
    group: 0,
    re: /\beyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}/g,
  },
  {
    kind: 'url-credentials',
    keywords: ['://'],
    confidence: 'high',
    group: 1,
    re: /\b(?:postgres(?:ql)?|mysql|mariadb|mongodb(?:\+srv)?|rediss?|amqps?|mssql|sqlserver|s?ftp|smtps?|https?):\/\/[^\s:@/]{1,64}:([^\s@/]{3,128})@[\w.-]+/dgi,
    accept: (v) => !PLACEHOLDER.test(v) && !/^(?:pass(?:word)?|pwd|secret|\*+)$/i.test(v),
  },
  {
    kind: 'bearer-token',
    keywords: ['bearer', 'authorization'],
    confidence: 'high',
    group: 1,
    re: /\b(?:authorization["']?\s*[:=]\s*["']?(?:bearer|token|basic)\s+|bearer\s+)([A-Za-z0-9._~+/=-]{16,})/dgi,
    accept: (v) => looksLikeCredential(v) && entropy(v) >= 3,
  },
  {
    kind: 'assignment',
    keywords: ['pass', 'pwd', 'secret', 'key', 'token', 'credential'],
    confidence: 'medium',
    group: 1,
    re: /(?:password|passwd|pwd|secret|api[_-]?key|apikey|access[_-]?key|secret[_-]?key|private[_-]?key|auth[_-]?token|access[_-]?token|refresh[_-]?token|client[_-]?secret|bearer[_-]?token|api[_-]?token|credentials?)["']?\s*(?:=|:|=>|:=)\s*["'`]?([^\s"'`,;<>{}()[\]]{6,200})/dgi,
    accept: looksLikeCredential,
  },
];

export const CONTEXT_KEYWORDS = [
  'key',
  'token',
  'secret',
  'passw',
  'credential',
  'auth',
  'bearer',
  'signature',
];

/** Long random-looking tokens right after a key-like word ("key", "token", "secret"). */
export const CONTEXT_TOKEN =
  /\b(?:key|token|secret|password|passwd|credential|auth|bearer|apikey|api_key|access_key|signature)s?\b[^\n]{0,24}?(?<![A-Za-z0-9+/_=-])([A-Za-z0-9+/_=-]{24,256})(?![A-Za-z0-9+/_=-])/dgi;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Whether a context token is random enough to be a credential (and not a UUID, hash or path). */
export function acceptContextToken(v: string): boolean {
  if (UUID.test(v) || (v.includes('/') && /^[\w/.-]+$/.test(v) && !/\d/.test(v))) return false;
  if (/^[0-9a-f]+$/i.test(v)) return v.length >= 32 && entropy(v) >= 3.3 && /[a-f]/i.test(v) && /\d/.test(v);
  return entropy(v) >= 4 && /\d/.test(v) && /[A-Za-z]/.test(v);
}
