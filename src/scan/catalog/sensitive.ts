// Sensitive locations and secret environment variable names, as data.
//
// Paths are matched after normalisation: backslashes become `/`, the home directory is `~` (the
// flow engine folds `os.homedir()`, `Path.home()`, `expanduser('~')`, `$HOME` into it), case is
// ignored, and unknown parts of a path are `*`. Matching is by substring over `/`-delimited text,
// so every test is linear.

import type { SensitiveKind } from '../../core/types.js';

interface PathRule {
  kind: SensitiveKind;
  /** Directory segments (`.ssh`) or multi-segment fragments (`.aws/credentials`) anywhere in the path. */
  segments?: string[];
  /** Exact last path segment (file name). */
  basenames?: string[];
  /** The path starts with one of these (absolute system paths). */
  prefixes?: string[];
}

/** First match wins: more specific kinds (wallet extension dirs inside browser profiles) come first. */
export const SENSITIVE_PATHS: readonly PathRule[] = [
  {
    kind: 'ssh',
    segments: ['.ssh'],
    basenames: ['id_rsa', 'id_ed25519', 'id_ecdsa', 'id_dsa', 'authorized_keys'],
  },
  {
    kind: 'cloud-credentials',
    segments: [
      '.aws/credentials',
      '.aws/config',
      '.aws',
      '.config/gcloud',
      '.azure',
      '.kube/config',
      '.kube',
      '.docker/config.json',
      '.config/doctl',
      '.oci/config',
      '.terraform.d/credentials.tfrc.json',
    ],
    basenames: [
      '.npmrc',
      '.pypirc',
      'application_default_credentials.json',
      'credentials.db',
      '.boto',
      '.s3cfg',
    ],
  },
  {
    kind: 'git-credentials',
    basenames: ['.git-credentials'],
    segments: ['.config/gh/hosts.yml', '.config/git/credentials'],
  },
  { kind: 'netrc', basenames: ['.netrc', '_netrc'] },
  {
    kind: 'wallet',
    basenames: ['wallet.dat'],
    segments: [
      '.ethereum/keystore',
      '.config/solana/id.json',
      'solana/id.json',
      '.bitcoin',
      '.electrum',
      'electrum/wallets',
      'exodus',
      'atomic/local storage',
      'nkbihfbeogaeaoehlefnkodbefgpgknn',
      'metamask',
      'phantom',
    ],
  },
  {
    kind: 'browser-profile',
    basenames: [
      'login data',
      'cookies',
      'cookies.sqlite',
      'logins.json',
      'key4.db',
      'key3.db',
      'local state',
      'web data',
    ],
    segments: [
      'google/chrome',
      'google-chrome',
      'chromium',
      'bravesoftware',
      'mozilla/firefox',
      '.mozilla/firefox',
      'library/safari',
      'library/cookies',
      'microsoft/edge',
      'opera software',
    ],
  },
  {
    kind: 'keychain',
    segments: [
      'library/keychains',
      '.gnupg',
      '.password-store',
      'kwalletd',
      'keyrings',
      '.local/share/keyrings',
    ],
    basenames: ['login.keychain', 'login.keychain-db', 'secring.gpg'],
  },
  {
    kind: 'agent-config',
    basenames: ['claude_desktop_config.json', '.claude.json', 'mcp_config.json', 'cline_mcp_settings.json'],
    segments: [
      '.cursor/mcp.json',
      '.vscode/mcp.json',
      '.codeium/windsurf',
      '.claude/settings.json',
      '.continue/config.json',
      '.gemini/settings.json',
      'claude/claude_desktop_config.json',
    ],
  },
  {
    kind: 'system',
    prefixes: [
      '/etc/passwd',
      '/etc/shadow',
      '/etc/sudoers',
      '/etc/ssh/',
      '/etc/gshadow',
      '/root/',
      '/proc/self/environ',
    ],
  },
  {
    kind: 'shell-history',
    basenames: [
      '.bash_history',
      '.zsh_history',
      '.history',
      'fish_history',
      '.python_history',
      '.node_repl_history',
      '.mysql_history',
      '.psql_history',
      '.sh_history',
      'consolehost_history.txt',
    ],
  },
];

/** Template dotenv files hold no secrets; reading them is not sensitive. */
const DOTENV_TEMPLATES = new Set([
  '.env.example',
  '.env.sample',
  '.env.template',
  '.env.dist',
  '.env.defaults',
]);

/** Normalise a rendered path for matching: `/`-separated, lower case, home as `~`. */
export function normalisePath(path: string): string {
  let p = path.replace(/\\/g, '/').toLowerCase();
  p = p.replace(/^\$home(?=\/|$)/, '~').replace(/^\$\{home\}(?=\/|$)/, '~');
  p = p.replace(/^(\/home\/[^/]+|\/users\/[^/]+|[a-z]:\/users\/[^/]+)(?=\/|$)/, '~');
  return p;
}

/** The kind of sensitive location a path points at, if any. */
export function sensitiveKindOfPath(path: string | undefined): SensitiveKind | undefined {
  if (!path) return undefined;
  const p = normalisePath(path);
  const wrapped = `/${p}/`;
  const base = p.slice(p.lastIndexOf('/') + 1);
  if ((base === '.env' || base.startsWith('.env.')) && !DOTENV_TEMPLATES.has(base)) return 'dotenv';
  for (const rule of SENSITIVE_PATHS) {
    if (rule.basenames?.includes(base)) return rule.kind;
    if (rule.segments?.some((s) => wrapped.includes(`/${s}/`))) return rule.kind;
    if (rule.prefixes?.some((s) => p.startsWith(s) || `${p}/` === s)) return rule.kind;
  }
  return undefined;
}

/** Words that make an environment variable name a secret. */
const SECRET_WORDS = new Set([
  'KEY',
  'KEYS',
  'TOKEN',
  'TOKENS',
  'SECRET',
  'SECRETS',
  'PASSWORD',
  'PASSWORDS',
  'PASSWD',
  'PASS',
  'PWD_HASH',
  'CREDENTIAL',
  'CREDENTIALS',
  'CREDS',
  'AUTH',
  'PRIVATE',
  'SESSION',
  'COOKIE',
  'COOKIES',
  'APIKEY',
  'ACCESSKEY',
  'SECRETKEY',
  'PRIVATEKEY',
  'AUTHTOKEN',
  'PAT',
  'JWT',
  'BEARER',
  'SIGNING',
  'PASSPHRASE',
]);

/** Whole names that carry credentials without a secret word. */
const KNOWN_SECRET_NAMES = new Set([
  'DATABASE_URL',
  'MONGODB_URI',
  'MONGO_URI',
  'MONGO_URL',
  'REDIS_URL',
  'POSTGRES_URL',
  'SENTRY_DSN',
  'DSN',
  'NPM_CONFIG__AUTH',
  'GH_ENTERPRISE_TOKEN',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_ACCESS_KEY_ID',
  'AWS_SESSION_TOKEN',
  'GITHUB_TOKEN',
  'GH_TOKEN',
  'OPENAI_API_KEY',
  'ANTHROPIC_API_KEY',
  'SLACK_WEBHOOK_URL',
  'DISCORD_WEBHOOK_URL',
]);

/** Suffixes inside one word that still name a secret (`GHTOKEN`, `DBPASSWORD`). */
const SECRET_SUFFIXES = ['TOKEN', 'SECRET', 'PASSWORD', 'PASSWD', 'APIKEY'];

/** Split `fooBarKEY_baz-2` into upper-case words: FOO, BAR, KEY, BAZ, 2. */
function words(name: string): string[] {
  const out: string[] = [];
  let cur = '';
  for (let i = 0; i < name.length && i < 256; i++) {
    const c = name[i] as string;
    const isAlnum = /[A-Za-z0-9]/.test(c);
    if (!isAlnum) {
      if (cur) out.push(cur.toUpperCase());
      cur = '';
      continue;
    }
    const prev = name[i - 1];
    if (cur && /[A-Z]/.test(c) && prev && /[a-z0-9]/.test(prev)) {
      out.push(cur.toUpperCase());
      cur = '';
    }
    cur += c;
  }
  if (cur) out.push(cur.toUpperCase());
  return out;
}

/** A last word that makes the variable a place or a setting, not the secret (`TOKEN_PATH`, `AUTH_URL`). */
const NON_SECRET_LAST_WORDS = new Set([
  'PATH',
  'FILE',
  'DIR',
  'DIRECTORY',
  'FOLDER',
  'LOCATION',
  'URL',
  'URI',
  'ENDPOINT',
  'HOST',
  'PORT',
  'TYPE',
  'MODE',
  'ENABLED',
  'DISABLED',
  'TIMEOUT',
  'TTL',
  'EXPIRY',
  'EXPIRES',
  'NAME',
  'ID',
  'PARALLELISM',
]);

/** Whether an environment variable name names a secret (word-boundary aware). */
export function isSecretEnvName(name: string): boolean {
  const upper = name.toUpperCase();
  if (KNOWN_SECRET_NAMES.has(upper)) return true;
  const ws = words(name);
  const last = ws[ws.length - 1];
  if (last && NON_SECRET_LAST_WORDS.has(last) && ws.length > 1) return false;
  for (const w of ws) {
    if (SECRET_WORDS.has(w)) return true;
    if (w.length > 6 && SECRET_SUFFIXES.some((s) => w.endsWith(s))) return true;
  }
  return false;
}

/** Environment variables that hold the home directory (folded to `~`). */
export const HOME_ENV_NAMES = new Set(['HOME', 'USERPROFILE']);
