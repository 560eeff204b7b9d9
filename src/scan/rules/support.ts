// Shared reading of a tool for the rules: what its claims say about a capability, what an effect
// does (network write, mutating command, loopback host), and how to phrase an effect in a message.

import type { Capability, Claim, Effect, Evidence, Flow, ToolDefinition } from '../../core/types.js';
import type { ClaimCapability } from '../catalog/claims.js';
import { identifierWords } from '../claims.js';
import {
  GENERIC_SECRET_WORDS,
  LOOPBACK_HOSTS,
  MUTATING_COMMANDS,
  MUTATING_SQL,
  MUTATING_SUBCOMMANDS,
  NETWORK_COMMANDS,
  NETWORK_WRITE_METHODS,
  PARAM_NAME_IMPLIES,
  SCRATCH_PATH,
} from './data.js';

// ---- claims -----------------------------------------------------------------------------

/**
 * A non-weak claim that the tool does (affirms) or by its domain implies any of `caps`, from the
 * description, the name, a parameter description — or a parameter's name (`url`, `command`).
 */
export function positiveClaim(tool: ToolDefinition, caps: readonly ClaimCapability[]): Claim | undefined {
  let memo = positiveMemo.get(tool);
  if (!memo) {
    memo = new Map();
    positiveMemo.set(tool, memo);
  }
  const key = caps.join(',');
  if (memo.has(key)) return memo.get(key);
  const found = findPositiveClaim(tool, caps);
  memo.set(key, found);
  return found;
}

// Rules ask the same question of a tool many times (once per flow); tools do not change while rules run.
const positiveMemo = new WeakMap<ToolDefinition, Map<string, Claim | undefined>>();

function findPositiveClaim(tool: ToolDefinition, caps: readonly ClaimCapability[]): Claim | undefined {
  for (const c of tool.claims) {
    if (c.polarity !== 'denies' && !c.weak && caps.includes(c.capability)) return c;
  }
  for (const p of tool.parameters) {
    for (const w of identifierWords(p.name)) {
      const implied = PARAM_NAME_IMPLIES[w.w];
      if (implied?.some((cap) => caps.includes(cap))) {
        return {
          polarity: 'implies',
          capability: implied[0]!,
          text: p.name,
          source: `param:${p.name}`,
          start: 0,
          end: 0,
        };
      }
    }
  }
  return undefined;
}

/**
 * Denials of `cap` that state what the tool is: from the description, not weak. Parameter
 * descriptions describe a mode (`dryRun: preview only`) and names deny nothing.
 */
export function strongDenials(tool: ToolDefinition, cap: ClaimCapability): Claim[] {
  return tool.claims.filter(
    (c) => c.polarity === 'denies' && !c.weak && c.source === 'description' && c.capability === cap,
  );
}

/** Any denial of any of `caps`, weak or strong, from anywhere: a booster for other findings. */
export function anyDenial(tool: ToolDefinition, caps: readonly ClaimCapability[]): Claim | undefined {
  const strong = tool.claims.find((c) => c.polarity === 'denies' && !c.weak && caps.includes(c.capability));
  return strong ?? tool.claims.find((c) => c.polarity === 'denies' && caps.includes(c.capability));
}

// ---- effects ----------------------------------------------------------------------------

/** Host of a URL or host-like target, lowercased; undefined when the target names none. */
export function hostOf(target: string | undefined): string | undefined {
  if (!target) return undefined;
  if (hostCache.has(target)) return hostCache.get(target);
  const host = parseHost(target);
  if (hostCache.size >= 10_000) hostCache.clear();
  hostCache.set(target, host);
  return host;
}

// The same few targets are asked about once per flow and per rule.
const hostCache = new Map<string, string | undefined>();

function parseHost(target: string): string | undefined {
  const t = target.trim().slice(0, 2048);
  const scheme = /^[a-z][a-z0-9+.-]*:\/\/([^/?#\s]+)/i.exec(t);
  let host: string | undefined;
  if (scheme) host = scheme[1];
  else if (/^[a-z0-9-]+(?:\.[a-z0-9-]+)+(?::\d+)?(?:[/?#]|$)/i.test(t)) host = t.split(/[/?#]/)[0];
  if (!host) return undefined;
  host = host.replace(/^[^@]*@/, '').toLowerCase();
  if (host.startsWith('[')) return host.slice(0, host.indexOf(']') + 1);
  return host.replace(/:\d+$/, '');
}

export function isLoopback(host: string | undefined): boolean {
  if (!host) return false;
  return LOOPBACK_HOSTS.has(host) || host.startsWith('127.') || host.endsWith('.localhost');
}

/** A network effect that stays on this machine (a local model server, a local browser). */
export function isLocalNetwork(e: Effect): boolean {
  return e.capability === 'network' && isLoopback(hostOf(e.target));
}

function lastSegment(api: string): string {
  const parts = api.split('.');
  return (parts[parts.length - 1] ?? '').toLowerCase();
}

/**
 * A network write: `strong` for PUT/PATCH/DELETE, mail, uploads and mutating SQL; `post` for a
 * bare POST, which many read APIs use too (search, GraphQL queries, SQL-over-HTTP); false otherwise.
 */
export function networkWriteKind(e: Effect): 'strong' | 'post' | false {
  if (e.capability !== 'network') return false;
  const t = e.target ?? '';
  const method = lastSegment(e.api);
  if (MUTATING_SQL.test(t) || /^(?:PUT|PATCH|DELETE)\s/.test(t)) return 'strong';
  // The HTTP method the code sets (`fetch(u, { method: 'DELETE' })`) outranks the API's name.
  if (e.method === 'PUT' || e.method === 'PATCH' || e.method === 'DELETE') return 'strong';
  if (e.method === 'POST') return 'post';
  if (e.method === 'GET' || e.method === 'HEAD' || e.method === 'OPTIONS') return false;
  if (method === 'post' || /^POST\s/.test(t)) return 'post';
  return NETWORK_WRITE_METHODS.has(method) ? 'strong' : false;
}

export function isNetworkWrite(e: Effect): boolean {
  return networkWriteKind(e) !== false;
}

/** Words of a command line, with a leading `sh -c` / `bash -c` unwrapped and paths reduced to names. */
export function commandWords(target: string): string[] {
  let words = target.trim().slice(0, 4096).split(/\s+/).filter(Boolean);
  const first = basename(words[0] ?? '');
  if (['sh', 'bash', 'zsh', 'dash', 'cmd', 'cmd.exe', 'powershell', 'pwsh'].includes(first)) {
    const c = words.findIndex((w) => w === '-c' || w === '/c' || w.toLowerCase() === '-command');
    if (c >= 0) words = words.slice(c + 1).map((w) => w.replace(/^['"]|['"]$/g, ''));
  }
  if (basename(words[0] ?? '') === 'sudo') words = words.slice(1);
  return words.map((w, i) => (i === 0 ? basename(w) : w.toLowerCase()));
}

function basename(w: string): string {
  return (w.split(/[/\\]/).pop() ?? '').toLowerCase();
}

/** True / false when the command is known, undefined when the code builds it at run time. */
export function isMutatingCommand(e: Effect): boolean | undefined {
  if (e.capability !== 'process' || !e.target) return undefined;
  // Several commands chained by the shell: any mutating one counts.
  let known = false;
  for (const part of e.target.split(/&&|\|\||;|\|/)) {
    const words = commandWords(part);
    const cmd = words[0];
    if (!cmd) continue;
    known = true;
    if (MUTATING_COMMANDS.has(cmd)) return true;
    const subs = MUTATING_SUBCOMMANDS[cmd];
    if (subs && words.slice(1).some((w) => subs.has(w))) return true;
    if (/(?:^|\s)>>?\s*\S/.test(part)) return true;
  }
  return known ? false : undefined;
}

/** A process effect whose command moves data over the network (`curl`, `nc`, `scp`…). */
export function isNetworkCommand(e: Effect): boolean {
  if (e.capability !== 'process' || !e.target) return false;
  return e.target.split(/&&|\|\||;|\|/).some((part) => NETWORK_COMMANDS.has(commandWords(part)[0] ?? ''));
}

/**
 * A write into scratch space: a temp-file API, or a path whose statically known prefix is a
 * scratch folder (`/tmp/…`, `~/.cache/…`). Only the prefix counts: a `.cache` under an unknown root is a folder inside
 * whatever the caller named (a parameter, an unknown root) — the user's data, not scratch.
 */
export function isScratchPath(e: Effect): boolean {
  if (SCRATCH_PATH.test(e.api)) return true;
  const target = e.target;
  if (!target || target.includes(' | ')) return false;
  const unknown = target.indexOf('*');
  if (unknown === 0) return false;
  // Up to the last separator before the first unknown part: `/tmp*` is not inside `/tmp`.
  const known = unknown < 0 ? target : target.slice(0, Math.max(target.lastIndexOf('/', unknown), 0) + 1);
  return known !== '' && SCRATCH_PATH.test(known);
}

/** `requests.post https://x.example/y` — how an effect is named in messages. */
export function describeEffect(e: Effect): string {
  const target = e.target ? ` ${truncate(e.target, 80)}` : '';
  // `fetch DELETE https://…`; `requests.delete` already says it.
  const method = e.method && lastSegment(e.api) !== e.method.toLowerCase() ? ` ${e.method}` : '';
  return `${e.api}${method}${target}`;
}

export function truncate(s: string, n: number): string {
  const one = s.replace(/\s+/g, ' ');
  return one.length > n ? `${one.slice(0, n - 1)}…` : one;
}

export function where(e: Effect): string {
  return `${e.location.file}:${e.location.line}`;
}

export function sameEffect(a: Effect, b: Effect): boolean {
  return (
    a.api === b.api &&
    a.capability === b.capability &&
    a.location.file === b.location.file &&
    a.location.line === b.location.line &&
    a.location.column === b.location.column
  );
}

/** Flows that reach effect `e`. */
export function flowsInto(tool: ToolDefinition, e: Effect): Flow[] {
  return tool.flows.filter((f) => sameEffect(f.sink, e));
}

export function effectEvidence(e: Effect, claim?: Claim, detail?: string): Evidence {
  const ev: Evidence = { location: e.location, callPath: e.callPath };
  if (claim) ev.claim = claim.text;
  if (detail) ev.detail = detail;
  return ev;
}

/** Effects of the tool with one of `caps`, in source order. */
export function effectsWith(tool: ToolDefinition, caps: readonly Capability[]): Effect[] {
  return tool.effects.filter((e) => caps.includes(e.capability));
}

/**
 * Whether the tool's own text names this host or its service: the full host, or the host's
 * main label (`openweathermap` for `api.openweathermap.org`) as a word in the name, the
 * description or a parameter description.
 */
export function textNamesHost(tool: ToolDefinition, host: string): boolean {
  const { text, words } = toolWords(tool);
  if (text.includes(host)) return true;
  const label = mainLabel(host);
  if (!label || label.length < 3) return false;
  if (words.has(label)) return true;
  for (const w of words)
    if (w.length >= 4 && label.startsWith(w) && label.length - w.length <= 3) return true;
  return false;
}

const wordsMemo = new WeakMap<ToolDefinition, { text: string; words: Set<string> }>();

/** The tool's own text (name, description, parameter descriptions), lowercased, and its words. */
function toolWords(tool: ToolDefinition): { text: string; words: Set<string> } {
  let memo = wordsMemo.get(tool);
  if (memo) return memo;
  const text = [tool.description, tool.name, ...tool.parameters.map((p) => p.description ?? '')]
    .join('\n')
    .toLowerCase()
    .slice(0, 50_000);
  const words = new Set(text.split(/[^a-z0-9]+/).filter(Boolean));
  for (const w of identifierWords(tool.name)) words.add(w.w);
  memo = { text, words };
  wordsMemo.set(tool, memo);
  return memo;
}

/** `api.openweathermap.org` → `openweathermap`; `foo.co.uk` → `foo`. */
export function mainLabel(host: string): string | undefined {
  const labels = host.replace(/\.$/, '').split('.');
  if (labels.length < 2) return labels[0];
  const tld = labels[labels.length - 1]!;
  const second = labels[labels.length - 2]!;
  // Two-letter country code with a generic second level: `co.uk`, `com.au`.
  if (tld.length === 2 && ['co', 'com', 'net', 'org', 'gov', 'ac'].includes(second) && labels.length >= 3) {
    return labels[labels.length - 3];
  }
  return second;
}

/** The service words of an environment variable name: `OPENWEATHER_API_KEY` → [`openweather`]. */
export function serviceWords(varName: string): string[] {
  return varName
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((w) => w.length >= 2 && !GENERIC_SECRET_WORDS.has(w));
}

/** The environment variable a secret/env source names, if any. */
export function envVarName(detail: string): string | undefined {
  const m = detail.match(/[A-Z][A-Z0-9_]{2,}/g);
  return m ? m[m.length - 1] : undefined;
}

/** Effects sorted by place, so "the first effect" does not depend on the producer's order. */
export function inSourceOrder(effects: readonly Effect[]): Effect[] {
  return [...effects].sort(
    (a, b) =>
      cmp(a.location.file, b.location.file) ||
      a.location.line - b.location.line ||
      (a.location.column ?? 0) - (b.location.column ?? 0) ||
      cmp(a.api, b.api),
  );
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

const TIMERS = /(?:^|\.)(?:setTimeout|setInterval|setImmediate)$/;

/** `setTimeout(fn)`: a timer given a function, not a string of code. */
export function isTimerCallback(e: Effect): boolean {
  return e.capability === 'dynamic-code' && !e.target && TIMERS.test(e.api);
}

interface FolderIndex {
  /** `file:line` of a network sink → a tool that claims the network and sends from there. */
  bySink: Map<string, ToolDefinition[]>;
  /** A host → tools that claim the network, send there and name it. */
  byHost: Map<string, ToolDefinition[]>;
}

// One index per folder: the neighbours array is shared by the folder's tools (see RuleContext).
const folderIndexes = new WeakMap<readonly ToolDefinition[], FolderIndex>();

function folderIndex(neighbours: readonly ToolDefinition[]): FolderIndex {
  let index = folderIndexes.get(neighbours);
  if (index) return index;
  index = { bySink: new Map(), byHost: new Map() };
  const add = (map: Map<string, ToolDefinition[]>, key: string, t: ToolDefinition): void => {
    const list = map.get(key);
    if (!list) map.set(key, [t]);
    else if (list.length < 4 && !list.includes(t)) list.push(t);
  };
  for (const t of neighbours) {
    if (!positiveClaim(t, ['network'])) continue;
    for (const e of t.effects) {
      if (e.capability !== 'network') continue;
      add(index.bySink, `${e.location.file}:${e.location.line}`, t);
      const host = hostOf(e.target);
      if (host && textNamesHost(t, host)) add(index.byHost, host, t);
    }
  }
  folderIndexes.set(neighbours, index);
  return index;
}

/**
 * A neighbouring tool that says it uses the network and sends through the same code (the same
 * sink line: a shared API client) or to the same host, which its own text names. Such a sink is
 * the server's backend, and a tool using it with a terse description is under-described rather
 * than hiding something.
 */
export function vouchingSibling(
  neighbours: readonly ToolDefinition[],
  tool: ToolDefinition,
  sink: Effect,
): ToolDefinition | undefined {
  const index = folderIndex(neighbours);
  const host = hostOf(sink.target);
  const candidates = [
    ...(index.bySink.get(`${sink.location.file}:${sink.location.line}`) ?? []),
    ...(host ? (index.byHost.get(host) ?? []) : []),
  ];
  return candidates.find((t) => t !== tool);
}
