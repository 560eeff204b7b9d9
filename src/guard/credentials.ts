// Scoped credentials: the secrets a policy gives a tool, read once at startup from the proxy's
// environment or a private file, injected into the forwarded call (or the upstream's environment),
// and redacted from everything that flows back — results, errors, listed tools, audit records — in
// every encoding a tool is likely to echo. The agent never holds them; a missing or badly
// protected secret stops the proxy before anything starts (fail closed).

import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import type { AuditRecordInput } from '../audit/index.js';
import { PortcullisError } from '../core/errors.js';
import { encodedForms } from '../text/index.js';
import type { CredentialBroker } from './gate.js';
import type { CompiledPolicy, CompiledRule } from './policy/index.js';
import type { ToolCall, ToolCredential, ToolResult } from './types.js';

/** What replaces a secret in text the agent or the log could see. */
export const REDACTED_SECRET = '[REDACTED:credential]';
/** How an injected argument reads in the audit log (the audit log's own mask word). */
const MASKED_ARGUMENT = '[masked]';
/** Shorter secrets would redact ordinary words; a real credential is never this short. */
export const MIN_SECRET_LENGTH = 4;
const MAX_SECRET_BYTES = 64 * 1024;
/** Deeper values are replaced whole: a walk must not overflow on hostile nesting. */
const MAX_DEPTH = 200;

export interface CredentialBrokerOptions {
  /** Only the credentials of rules for this server (and `*`); default: every rule's. */
  server?: string;
  /** Folder relative `file` paths are read from (default: the policy file's folder, else cwd). */
  baseDir?: string;
  /** The uid a secret file must belong to (default: this process's). */
  uid?: number;
}

/** The credential broker of the proxy, with what the stdio transport needs at spawn. */
export interface ScopedCredentials extends CredentialBroker {
  /** How many secrets were read. */
  readonly size: number;
  /**
   * The upstream server's environment: `base` without the variables secrets were read from, plus
   * the secrets injected as `{ env: NAME }` for this server's tools.
   */
  upstreamEnv(base: NodeJS.ProcessEnv): NodeJS.ProcessEnv;
  /** The HTTP headers for a remote upstream: the secrets injected as `{ header: NAME }`. */
  upstreamHeaders(): Record<string, string>;
  redactValue<T>(value: T): T;
  redactRecord(input: AuditRecordInput): AuditRecordInput;
  presentTool<T extends { name: string }>(server: string, tool: T): T;
}

function sourceKey(from: ToolCredential['from']): string {
  return 'env' in from ? `env:${from.env}` : `file:${from.file}`;
}

function credentialError(message: string, field: string, file?: string): PortcullisError {
  return new PortcullisError('INPUT_INVALID', message, { field, ...(file ? { file } : {}) });
}

/**
 * Reads a secret file: a regular file (not a link) owned by `uid`, readable by nobody else (0600
 * or stricter). Opened once with O_NOFOLLOW and checked through the descriptor, so the file
 * checked is the file read. One trailing newline is dropped (editors add one).
 */
export function readSecretFile(path: string, uid: number | undefined, field: string): string {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why =
      code === 'ENOENT'
        ? 'does not exist'
        : code === 'ELOOP'
          ? 'is a symbolic link (refused: name the file itself)'
          : `cannot be opened (${code ?? (e as Error).message})`;
    throw credentialError(`the credential file ${path} ${why}`, field, path);
  }
  try {
    const st = fstatSync(fd);
    const mode = (st.mode & 0o7777).toString(8).padStart(4, '0');
    if (!st.isFile()) throw credentialError(`the credential file ${path} is not a regular file`, field, path);
    if (uid !== undefined && st.uid !== uid)
      throw credentialError(
        `the credential file ${path} belongs to uid ${st.uid}, not to this user (uid ${uid}); refused`,
        field,
        path,
      );
    if (process.platform !== 'win32' && (st.mode & 0o077) !== 0)
      throw credentialError(
        `the credential file ${path} has mode ${mode}: others can read it; run chmod 600 ${path}`,
        field,
        path,
      );
    if (st.size > MAX_SECRET_BYTES)
      throw credentialError(
        `the credential file ${path} is larger than ${MAX_SECRET_BYTES} bytes`,
        field,
        path,
      );
    const buf = Buffer.alloc(Math.max(1, st.size + 1));
    let n = 0;
    for (let r = 1; r > 0 && n < buf.length; n += r) r = readSync(fd, buf, n, buf.length - n, null);
    if (n > MAX_SECRET_BYTES)
      throw credentialError(
        `the credential file ${path} is larger than ${MAX_SECRET_BYTES} bytes`,
        field,
        path,
      );
    return buf
      .subarray(0, n)
      .toString('utf8')
      .replace(/\r?\n$/, '');
  } finally {
    closeSync(fd);
  }
}

/** Every spelling of `secret` a tool might echo: raw, URL- and form-encoded, JSON-escaped, hex, base64. */
export function secretForms(secret: string): string[] {
  const forms = new Set(encodedForms(secret));
  const escaped = JSON.stringify(secret).slice(1, -1);
  forms.add(escaped);
  // JSON.stringify keeps non-ASCII as is; other serialisers escape it as \uXXXX.
  forms.add(
    escaped.replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`),
  );
  forms.add(encodeURIComponent(secret).replace(/%20/g, '+'));
  if (secret.length < 8) {
    // encodedForms leaves base64 to longer secrets; a short one still must not leak whole.
    const b64 = Buffer.from(secret, 'utf8').toString('base64').replace(/=+$/, '');
    forms.add(b64);
    forms.add(b64.replace(/\+/g, '-').replace(/\//g, '_'));
  }
  for (const f of forms) if (f.length < MIN_SECRET_LENGTH) forms.delete(f);
  return [...forms].sort((a, b) => b.length - a.length);
}

/** The rules whose credentials this proxy needs: the server's own and the `*` rules. */
function rulesFor(policy: CompiledPolicy, server: string | undefined): CompiledRule[] {
  return policy.rules.filter((r) => server === undefined || r.server === server || r.server === '*');
}

class Broker implements ScopedCredentials {
  private readonly forms: string[];

  constructor(
    private readonly policy: CompiledPolicy,
    private readonly secrets: Map<string, string>,
    private readonly envInjected: Map<string, string>,
    private readonly sourceEnvNames: Set<string>,
    private readonly headerInjected: Map<string, string>,
  ) {
    const all = new Set<string>();
    for (const s of secrets.values()) for (const f of secretForms(s)) all.add(f);
    this.forms = [...all].sort((a, b) => b.length - a.length);
  }

  get size(): number {
    return this.secrets.size;
  }

  private credentialsOf(server: string, tool: string): ToolCredential[] {
    return this.policy.match(server, tool).rule?.credentials ?? [];
  }

  private secretOf(c: ToolCredential): string {
    const value = this.secrets.get(sourceKey(c.from));
    // Fail closed: a credential that was not read at startup (another server's rule) is not guessed.
    if (value === undefined) throw new Error('a credential this tool needs was not loaded at startup');
    return value;
  }

  inject(call: ToolCall, args: Record<string, unknown>): Record<string, unknown> {
    const creds = this.credentialsOf(call.server, call.tool).filter((c) => 'argument' in c.inject);
    if (creds.length === 0) return args;
    const out: Record<string, unknown> = { ...args };
    for (const c of creds) {
      const name = (c.inject as { argument: string }).argument;
      // Whatever the model put there is replaced: the tool gets the policy's secret, nothing else.
      Object.defineProperty(out, name, {
        value: this.secretOf(c),
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
    return out;
  }

  upstreamEnv(base: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
    const env: NodeJS.ProcessEnv = {};
    for (const [k, v] of Object.entries(base)) if (!this.sourceEnvNames.has(k)) env[k] = v;
    for (const [k, v] of this.envInjected) env[k] = v;
    return env;
  }

  upstreamHeaders(): Record<string, string> {
    return Object.fromEntries(this.headerInjected);
  }

  redactText(text: string): string {
    let out = text;
    for (const form of this.forms) if (out.includes(form)) out = out.split(form).join(REDACTED_SECRET);
    return out;
  }

  redactValue<T>(value: T): T {
    if (this.forms.length === 0) return value;
    return this.walk(value, 0) as T;
  }

  private walk(value: unknown, depth: number): unknown {
    if (typeof value === 'string') return this.redactText(value);
    if (value === null || typeof value !== 'object') return value;
    if (depth >= MAX_DEPTH) return REDACTED_SECRET;
    if (Array.isArray(value)) return value.map((v) => this.walk(v, depth + 1));
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      Object.defineProperty(out, this.redactText(k), {
        value: this.walk(v, depth + 1),
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
    return out;
  }

  redactResult(result: ToolResult): ToolResult {
    return this.redactValue(result);
  }

  redactRecord(input: AuditRecordInput): AuditRecordInput {
    let args = input.args;
    if (args !== null && typeof args === 'object' && !Array.isArray(args)) {
      const injected = this.credentialsOf(input.server, input.tool).filter((c) => 'argument' in c.inject);
      if (injected.length > 0) {
        const copy: Record<string, unknown> = { ...(args as Record<string, unknown>) };
        for (const c of injected) copy[(c.inject as { argument: string }).argument] = MASKED_ARGUMENT;
        args = copy;
      }
    }
    const out: AuditRecordInput = {
      ...input,
      reason: this.redactText(input.reason),
      ...(args !== undefined ? { args: this.redactValue(args) } : {}),
      ...(input.meta !== undefined ? { meta: this.redactValue(input.meta) } : {}),
    };
    return out;
  }

  presentTool<T extends { name: string }>(server: string, tool: T): T {
    const shown = this.redactValue(tool);
    const names = this.credentialsOf(server, tool.name)
      .filter((c) => 'argument' in c.inject)
      .map((c) => (c.inject as { argument: string }).argument);
    if (names.length === 0) return shown;
    // The model is not asked for what the proxy supplies.
    const schema = (shown as { inputSchema?: unknown }).inputSchema;
    if (schema === null || typeof schema !== 'object') return shown;
    const s = { ...(schema as Record<string, unknown>) };
    if (s.properties !== null && typeof s.properties === 'object') {
      const props = { ...(s.properties as Record<string, unknown>) };
      for (const n of names) delete props[n];
      s.properties = props;
    }
    if (Array.isArray(s.required)) s.required = s.required.filter((r) => !names.includes(r as string));
    return { ...shown, inputSchema: s };
  }
}

/**
 * Reads every secret the policy's rules name (for `options.server` and `*`, or all) from `env`
 * or from files, and returns the broker. Throws PortcullisError naming the rule and the source
 * when a secret is missing, empty, too short or in a file others can read.
 */
export function createCredentialBroker(
  policy: CompiledPolicy,
  env: NodeJS.ProcessEnv = process.env,
  options: CredentialBrokerOptions = {},
): ScopedCredentials {
  const base =
    options.baseDir ?? (policy.origin !== 'built-in' ? dirname(resolve(policy.origin)) : process.cwd());
  const uid = options.uid ?? (typeof process.getuid === 'function' ? process.getuid() : undefined);
  const secrets = new Map<string, string>();
  const envInjected = new Map<string, string>();
  const sourceEnvNames = new Set<string>();
  const envTargets = new Map<string, string>();
  const headerInjected = new Map<string, string>();
  const headerTargets = new Map<string, string>();
  // Every variable a secret is read from is withheld from the upstream, whichever server it is for.
  for (const rule of policy.rules)
    for (const c of rule.credentials) if ('env' in c.from) sourceEnvNames.add(c.from.env);
  for (const rule of rulesFor(policy, options.server)) {
    rule.credentials.forEach((c, i) => {
      const field = `${rule.key}.credentials[${i}]`;
      const where = policy.origin !== 'built-in' ? policy.origin : undefined;
      const key = sourceKey(c.from);
      let value = secrets.get(key);
      if (value === undefined) {
        if ('env' in c.from) {
          value = env[c.from.env];
          if (value === undefined || value === '')
            throw credentialError(
              `the credential for ${rule.server}/${rule.pattern} is read from the environment variable ${c.from.env}, which is not set`,
              field,
              where,
            );
        } else {
          const named = c.from.file.startsWith('~/') ? join(homedir(), c.from.file.slice(2)) : c.from.file;
          const path = isAbsolute(named) ? named : resolve(base, named);
          value = readSecretFile(path, uid, field);
          if (value === '') throw credentialError(`the credential file ${path} is empty`, field, path);
        }
        if (value.length < MIN_SECRET_LENGTH)
          throw credentialError(
            `the credential from ${key} is shorter than ${MIN_SECRET_LENGTH} characters; it could not be redacted safely`,
            field,
            where,
          );
        secrets.set(key, value);
      }
      // Without a server name only the `*` rules' variables are injected: another server's secret
      // must not reach this one's environment.
      if ('env' in c.inject && (rule.server === '*' || rule.server === options.server)) {
        const previous = envTargets.get(c.inject.env);
        if (previous !== undefined && previous !== key)
          throw credentialError(
            `two different credentials are injected into the variable ${c.inject.env}`,
            field,
            where,
          );
        envTargets.set(c.inject.env, key);
        envInjected.set(c.inject.env, value);
      }
      if ('header' in c.inject && (rule.server === '*' || rule.server === options.server)) {
        // Header names compare case-insensitively; two sources for one header are ambiguous.
        const name = c.inject.header;
        const target = `${key}\n${c.inject.prefix ?? ''}`;
        const previous = headerTargets.get(name.toLowerCase());
        if (previous !== undefined && previous !== target)
          throw credentialError(`two different credentials are sent as the header ${name}`, field, where);
        // A line break would split the request; other control bytes are refused by every client.
        if (/[\0-\x08\x0a-\x1f\x7f]|[^\0-\xff]/.test(value))
          throw credentialError(
            `the credential from ${key} has control or non-Latin-1 characters; it cannot be sent as the header ${name}`,
            field,
            where,
          );
        headerTargets.set(name.toLowerCase(), target);
        headerInjected.set(name, `${c.inject.prefix ?? ''}${value}`);
      }
    });
  }
  return new Broker(policy, secrets, envInjected, sourceEnvNames, headerInjected);
}

/** The servers (`*` included) whose environment the policy injects a credential into. */
export function serversInjectingEnvironment(policy: CompiledPolicy): string[] {
  return [
    ...new Set(policy.rules.filter((r) => r.credentials.some((c) => 'env' in c.inject)).map((r) => r.server)),
  ];
}

/** The servers (`*` included) the policy sends a credential to as an HTTP header. */
export function serversInjectingHeaders(policy: CompiledPolicy): string[] {
  return [
    ...new Set(
      policy.rules.filter((r) => r.credentials.some((c) => 'header' in c.inject)).map((r) => r.server),
    ),
  ];
}

/**
 * Refuses header credentials for a command upstream: a stdio server has no HTTP request to carry
 * them, and silently dropping a secret the policy means to send would hide the mistake.
 */
export function refuseHeadersForCommand(credentials: ScopedCredentials | undefined): void {
  const names = Object.keys(credentials?.upstreamHeaders() ?? {});
  if (names.length > 0)
    throw new PortcullisError(
      'USAGE',
      `the policy sends credentials as the HTTP header${names.length > 1 ? 's' : ''} ${names.join(', ')}, which only a remote server (--upstream URL) receives; inject them with { env: NAME } for a server command`,
      { field: '--upstream' },
    );
}

/**
 * The broker for `portcullis proxy`: undefined when the policy names no credential. Without a
 * server name, a policy that injects into a named server's environment is refused: the proxy
 * must know which server it starts before it starts it.
 */
export function proxyCredentials(
  policy: CompiledPolicy,
  env: NodeJS.ProcessEnv,
  server: string | undefined,
): ScopedCredentials | undefined {
  if (!policy.rules.some((r) => r.credentials.length > 0)) return undefined;
  const named = serversInjectingEnvironment(policy).filter((s) => s !== '*');
  if (server === undefined && named.length > 0)
    throw new PortcullisError(
      'USAGE',
      `the policy injects credentials into the environment of ${named.join(', ')}: give --name so the proxy knows which server it starts`,
      { field: '--name' },
    );
  const headed = serversInjectingHeaders(policy).filter((s) => s !== '*');
  if (server === undefined && headed.length > 0)
    throw new PortcullisError(
      'USAGE',
      `the policy sends credentials as headers to ${headed.join(', ')}: give --name so the proxy knows which server it connects to`,
      { field: '--name' },
    );
  return createCredentialBroker(policy, env, server !== undefined ? { server } : {});
}
