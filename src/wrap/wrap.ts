// `portcullis wrap CONFIG`: route every stdio server of an MCP client config through
// `portcullis proxy` (and every Streamable HTTP server through `portcullis proxy --upstream URL`,
// see remote.ts), with a policy and an audit log per server; `--undo` puts the file back.
// The file is parsed by the scanner's reader first and refused when it has any error; it is
// changed by text edits (so comments and layout survive), written through a temporary file and a
// rename (keeping its mode), and a byte copy of the original plus a manifest with its SHA-256 is
// kept next to it, so undo can restore it exactly.

import { createHash } from 'node:crypto';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  readFileSync,
  realpathSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { homedir } from 'node:os';
import { basename, dirname, extname, join, resolve } from 'node:path';
import { PortcullisError } from '../core/errors.js';
import { fileSafeName } from '../proxy/audit-path.js';
import type { ConfigFormat } from '../scan/configs/locations.js';
import {
  identifyConfigFile,
  parseConfigText,
  readConfigSource,
  sniffConfigFormat,
} from '../scan/configs/read.js';
import type { ConfigClient } from '../scan/configs/types.js';
import {
  commandLine,
  type LocatedEntry,
  locateEntries,
  prependEdits,
  unwrapEdits,
  wrappedAt,
} from './entries.js';
import {
  guessSpelling,
  planRemote,
  type RemoteSpelling,
  remoteUnwrapEdits,
  remoteWrapEdits,
  sameEntry,
  wrappedUpstreamAt,
} from './remote.js';
import { applyEdits, parseTree, parseTreeValue, type Syntax, type TextEdit } from './tree.js';

export interface WrapOptions {
  /** Folder of the per-server policy files (default `$XDG_CONFIG_HOME/portcullis/policies`). */
  policyDir?: string;
  /** Folder of the per-server audit logs (default `$XDG_STATE_HOME/portcullis/audit`). */
  auditDir?: string;
  dryRun?: boolean;
  /** How the rewritten entries start Portcullis: node and this install's launcher. */
  launcher?: { node: string; script: string };
  env?: NodeJS.ProcessEnv;
}

export type ServerOutcome =
  | { name: string; status: 'wrapped'; policy: string; audit: string; command: string[] }
  | { name: string; status: 'already-wrapped' }
  | { name: string; status: 'unwrapped' }
  | { name: string; status: 'remote'; url: string; reason: string }
  | { name: string; status: 'skipped'; reason: string };

export interface WrapReport {
  config: string;
  client: ConfigClient;
  changed: boolean;
  servers: ServerOutcome[];
  backup?: string;
  manifest?: string;
  /** Policy files created because none existed. */
  createdPolicies: string[];
  notes: string[];
}

export interface WrapManifest {
  version: 1;
  config: string;
  /** SHA-256 of the bytes before wrapping (the backup's bytes). */
  original: string;
  /** SHA-256 of the bytes wrap wrote. */
  wrapped: string;
  time: string;
  servers: string[];
  /** How each wrapped remote entry spelled its URL and type, for an in-place undo. */
  remote?: RemoteSpelling[];
}

export function backupPath(config: string): string {
  return `${config}.portcullis-backup`;
}

export function manifestPath(config: string): string {
  return `${config}.portcullis-wrap.json`;
}

/** `node` and `bin/portcullis.js` of this install, so the entry works from any client's PATH. */
export function defaultLauncher(): { node: string; script: string } {
  return { node: process.execPath, script: new URL('../../bin/portcullis.js', import.meta.url).pathname };
}

function xdg(env: NodeJS.ProcessEnv, name: string, fallback: string[]): string {
  const v = env[name];
  return v?.startsWith('/') ? v : join(env.HOME || homedir(), ...fallback);
}

const sha256 = (bytes: Buffer | string) => createHash('sha256').update(bytes).digest('hex');

interface LoadedConfig {
  path: string;
  bytes: Buffer;
  text: string;
  syntax: Syntax;
  client: ConfigClient;
  format: ConfigFormat;
  entries: LocatedEntry[];
}

/** Reads and checks a config; any error of the scanner's reader refuses the file (exit 2, located). */
function loadConfig(file: string): LoadedConfig {
  if (!existsSync(file)) throw new PortcullisError('INPUT_NOT_FOUND', 'no such config file', { file });
  // A config that is a symbolic link (dotfiles) is edited where it lives; the link stays a link.
  const path = realpathSync(file);
  const source = readConfigSource(path);
  if ('error' in source) throw new PortcullisError('INPUT_INVALID', source.error, { file });
  const bytes = readFileSync(path);
  const text = source.text;
  const syntax: Syntax = ['.yaml', '.yml'].includes(extname(path).toLowerCase()) ? 'yaml' : 'json';
  let known = identifyConfigFile(path);
  const refuse = (message: string, line?: number, column?: number): never => {
    throw new PortcullisError('INPUT_INVALID', `${message}; the file was not changed`, {
      file,
      ...(line !== undefined ? { line } : {}),
      ...(column !== undefined ? { column } : {}),
    });
  };
  if (!known) {
    // The scanner's reader names the syntax error (line, column) when there is one.
    const probe = parseConfigText(text, file, 'unknown', 'mcpServers');
    const err = probe.errors[0];
    if (err && err.field === undefined) refuse(err.message, err.line, err.column);
    let value: unknown;
    try {
      value = parseTreeValue(text, syntax);
    } catch {
      value = undefined;
    }
    known = sniffConfigFormat(value);
    if (!known)
      refuse('not an MCP client config: no "mcpServers", "servers", "mcp.servers" or "context_servers"');
  }
  const { client, format } = known as { client: ConfigClient; format: ConfigFormat };
  const parsed = parseConfigText(text, file, client, format);
  const err = parsed.errors[0];
  if (err) refuse(`${err.message}${err.field ? ` (at ${err.field})` : ''}`, err.line, err.column);
  const offset = bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 1 : 0;
  // `text` lost the BOM; positions are computed on the text with it, to edit the file as it is.
  const full = offset ? `\ufeff${text}` : text;
  let entries: LocatedEntry[];
  try {
    entries = locateEntries(format, parseTree(full, syntax));
  } catch (e) {
    return refuse(`cannot read the config's structure: ${(e as Error).message}`);
  }
  return { path, bytes, text: full, syntax, client, format, entries };
}

function entryKey(client: ConfigClient, entry: LocatedEntry): string {
  const project = entry.project ? `${fileSafeName(basename(entry.project))}-` : '';
  return `${client}-${project}${fileSafeName(entry.name)}`;
}

function policyTemplate(name: string, client: ConfigClient, config: string): string {
  return [
    `# Guard policy for the MCP server "${name}" of ${client} (${config}).`,
    '# Created by `portcullis wrap`; edit freely. Reference: docs/policy.md.',
    '# Check it with: portcullis policy check THIS_FILE',
    'version: 1',
    '',
  ].join('\n');
}

/** Writes through a temporary file in the same folder and a rename, keeping the file's mode. */
function writeAtomic(path: string, bytes: Buffer | string, mode: number): void {
  const tmp = join(dirname(path), `.${basename(path)}.portcullis-${process.pid}.tmp`);
  try {
    writeFileSync(tmp, bytes, { mode, flag: 'wx' });
    chmodSync(tmp, mode);
    renameSync(tmp, path);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
}

export function wrapConfig(file: string, options: WrapOptions = {}): WrapReport {
  const env = options.env ?? process.env;
  const cfg = loadConfig(file);
  const launcher = options.launcher ?? defaultLauncher();
  const policyDir = resolve(
    options.policyDir ?? join(xdg(env, 'XDG_CONFIG_HOME', ['.config']), 'portcullis', 'policies'),
  );
  const auditDir = resolve(
    options.auditDir ?? join(xdg(env, 'XDG_STATE_HOME', ['.local', 'state']), 'portcullis', 'audit'),
  );
  const report: WrapReport = {
    config: cfg.path,
    client: cfg.client,
    changed: false,
    servers: [],
    createdPolicies: [],
    notes: [],
  };
  const edits: TextEdit[] = [];
  const toCreate: { path: string; text: string }[] = [];
  const keys = new Set<string>();
  const spellings: RemoteSpelling[] = [];
  /** The entry's own policy and audit files, and the proxy's arguments that name them. */
  const files = (entry: LocatedEntry) => {
    let key = entryKey(cfg.client, entry);
    for (let n = 2; keys.has(key); n++) key = `${entryKey(cfg.client, entry)}-${n}`;
    keys.add(key);
    const policy = join(policyDir, `${key}.yaml`);
    const audit = join(auditDir, `${key}.jsonl`);
    if (!existsSync(policy))
      toCreate.push({ path: policy, text: policyTemplate(entry.name, cfg.client, cfg.path) });
    const args = [launcher.script, 'proxy', '--name', entry.name, '--policy', policy, '--audit', audit];
    return { policy, audit, args };
  };
  for (const entry of cfg.entries) {
    const line = commandLine(entry);
    if (!line) {
      const plan = planRemote(cfg.text, cfg.client, entry);
      if (plan?.action === 'wrap') {
        const { policy, audit, args } = files(entry);
        args.push('--upstream', plan.url);
        edits.push(...remoteWrapEdits(cfg.text, cfg.syntax, entry, plan.spelling.key, launcher.node, args));
        spellings.push(plan.spelling);
        const command = [launcher.node, ...args];
        report.servers.push({ name: entry.name, status: 'wrapped', policy, audit, command });
      } else if (plan?.action === 'leave')
        report.servers.push({ name: entry.name, status: 'remote', url: plan.url, reason: plan.reason });
      else
        report.servers.push({
          name: entry.name,
          status: 'skipped',
          reason: plan?.reason ?? 'its command line is not a list of strings',
        });
      continue;
    }
    if (wrappedAt(line) !== undefined || wrappedUpstreamAt(line) !== undefined) {
      report.servers.push({ name: entry.name, status: 'already-wrapped' });
      continue;
    }
    const { policy, audit, args } = files(entry);
    const prefix = [...args, '--', line[0] ?? ''];
    edits.push(...prependEdits(cfg.text, cfg.syntax, entry, launcher.node, prefix));
    const command = [launcher.node, ...prefix, ...line.slice(1)];
    report.servers.push({ name: entry.name, status: 'wrapped', policy, audit, command });
  }
  if (edits.length === 0) return report;
  const next = applyEdits(cfg.text, edits);
  // The result must read back as the same kind of config with every entry now wrapped.
  const check = parseConfigText(next.replace(/^\ufeff/, ''), file, cfg.client, cfg.format);
  if (check.errors.length > 0)
    throw new PortcullisError(
      'INTERNAL',
      `wrapping would produce an invalid config (${check.errors[0]?.message}); the file was not changed`,
      { file },
    );
  report.changed = true;
  if (options.dryRun) return report;

  for (const p of toCreate) {
    mkdirSync(dirname(p.path), { recursive: true, mode: 0o700 });
    writeFileSync(p.path, p.text, { flag: 'wx' });
    report.createdPolicies.push(p.path);
  }
  mkdirSync(auditDir, { recursive: true, mode: 0o700 });
  const mode = statSync(cfg.path).mode & 0o7777;
  const backup = backupPath(cfg.path);
  const manifest = manifestPath(cfg.path);
  // The backup holds the bytes as they were before this wrap, private like the config may be.
  writeAtomic(backup, cfg.bytes, mode & 0o600);
  const nextBytes = Buffer.from(next, 'utf8');
  const record: WrapManifest = {
    version: 1,
    config: cfg.path,
    original: sha256(cfg.bytes),
    wrapped: sha256(nextBytes),
    time: new Date().toISOString(),
    servers: report.servers.filter((s) => s.status === 'wrapped').map((s) => s.name),
    ...(spellings.length > 0 ? { remote: spellings } : {}),
  };
  writeAtomic(manifest, `${JSON.stringify(record, null, 2)}\n`, 0o600);
  writeAtomic(cfg.path, nextBytes, mode);
  report.backup = backup;
  report.manifest = manifest;
  return report;
}

function readManifest(path: string): WrapManifest | undefined {
  if (!existsSync(path)) return undefined;
  try {
    const m = JSON.parse(readFileSync(path, 'utf8')) as WrapManifest;
    return m.version === 1 && typeof m.original === 'string' && typeof m.wrapped === 'string' ? m : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Restores the config: byte for byte from the backup when the file is exactly as wrap left it;
 * otherwise (the client or the user changed it since) every wrapped entry is unwrapped in place
 * and the backup is kept.
 */
export function undoWrap(file: string, options: Pick<WrapOptions, 'dryRun'> = {}): WrapReport {
  if (!existsSync(file)) throw new PortcullisError('INPUT_NOT_FOUND', 'no such config file', { file });
  const path = realpathSync(file);
  const manifest = readManifest(manifestPath(path));
  const backup = backupPath(path);
  const report: WrapReport = {
    config: path,
    client: 'unknown',
    changed: false,
    servers: [],
    createdPolicies: [],
    notes: [],
  };
  const current = readFileSync(path);
  if (manifest && existsSync(backup) && sha256(current) === manifest.wrapped) {
    const original = readFileSync(backup);
    if (sha256(original) !== manifest.original)
      throw new PortcullisError(
        'INPUT_INVALID',
        `the backup ${backup} does not match its manifest; nothing was changed`,
        { file },
      );
    report.changed = true;
    report.servers = manifest.servers.map((name) => ({ name, status: 'unwrapped' as const }));
    if (options.dryRun) return report;
    writeAtomic(path, original, statSync(path).mode & 0o7777);
    rmSync(backup, { force: true });
    rmSync(manifestPath(path), { force: true });
    report.notes.push('restored byte for byte from the backup');
    return report;
  }
  const cfg = loadConfig(file);
  report.client = cfg.client;
  const edits: TextEdit[] = [];
  for (const entry of cfg.entries) {
    const line = commandLine(entry);
    const at = line ? wrappedAt(line) : undefined;
    const upstreamAt = line ? wrappedUpstreamAt(line) : undefined;
    if (at !== undefined) edits.push(...unwrapEdits(entry, at));
    else if (line && upstreamAt !== undefined) {
      // A remote entry: its URL member comes back, spelled as the manifest recorded (else as the
      // client spells it).
      const spelling = manifest?.remote?.find((s) => sameEntry(s, entry)) ?? guessSpelling(cfg.client);
      const back = remoteUnwrapEdits(cfg.text, cfg.syntax, entry, line[upstreamAt] ?? '', spelling);
      if (!back) {
        const reason = 'its "command" and "args" were moved apart since wrap; unwrap it by hand';
        report.servers.push({ name: entry.name, status: 'skipped', reason });
        continue;
      }
      edits.push(...back);
    } else continue;
    report.servers.push({ name: entry.name, status: 'unwrapped' });
  }
  if (manifest)
    report.notes.push(
      `the config changed since it was wrapped: entries unwrapped in place; the backup is kept at ${backup}`,
    );
  if (edits.length === 0) return report;
  report.changed = true;
  if (options.dryRun) return report;
  writeAtomic(cfg.path, Buffer.from(applyEdits(cfg.text, edits), 'utf8'), statSync(cfg.path).mode & 0o7777);
  return report;
}
