// Remote entries (`url`, `serverUrl`, `httpUrl`): a Streamable HTTP server becomes a stdio entry
// that starts `portcullis proxy --upstream URL`, the proxy's stdio face in front of the remote
// server. The URL member is replaced, in place, by `command` and `args`, and a declared remote
// `type` becomes `stdio`; everything else in the entry keeps its bytes. Legacy SSE servers are left
// alone (the proxy speaks Streamable HTTP). Entries with headers are refused, with the policy lines
// that make the proxy send them from a credential: wrap does not move secrets out of a config, and
// dropping an Authorization header silently would break the server.

import { basename } from 'node:path';
import type { ConfigClient } from '../scan/configs/types.js';
import type { LocatedEntry } from './entries.js';
import { member, memberEntry, type Syntax, type TextEdit, type TreeNode } from './tree.js';

export const URL_KEYS = ['url', 'serverUrl', 'httpUrl'] as const;
export type UrlKey = (typeof URL_KEYS)[number];

/** How a remote entry was spelled before wrap, so an in-place undo can spell it the same way. */
export interface RemoteSpelling {
  name: string;
  project?: string;
  key: UrlKey;
  /** The `type` value's source text as it was, when the entry declared one. */
  typeText?: string;
}

/** The scanner's transport names (src/scan/configs/entry.ts) that mean Streamable HTTP. */
const HTTP_TYPES = new Set(['http', 'streamable-http', 'streamablehttp', 'streamable_http', 'remote']);

export type RemotePlan =
  | { action: 'wrap'; url: string; spelling: RemoteSpelling }
  | { action: 'leave'; url: string; reason: string }
  | { action: 'refuse'; reason: string };

/** Whether and how a remote entry can be put behind the proxy's stdio face. */
export function planRemote(text: string, client: ConfigClient, entry: LocatedEntry): RemotePlan | undefined {
  const urls = URL_KEYS.map((key) => ({ key, node: member(entry.body, key) })).filter(
    (u) => u.node?.kind === 'string' && u.node.value,
  );
  const first = urls[0];
  if (!first?.node?.value) return undefined;
  if (urls.length > 1)
    return { action: 'refuse', reason: `it has more than one URL (${urls.map((u) => u.key).join(', ')})` };
  const url = first.node.value;
  const typeNode = member(entry.body, 'type');
  const type = typeNode?.kind === 'string' ? typeNode.value : undefined;
  const declared = type?.toLowerCase();
  if (typeNode && typeNode.kind !== 'string')
    return { action: 'refuse', reason: 'its "type" is not a string' };
  // The same reading as the scanner's: a declared type first, then Gemini's `url` (SSE), then a
  // path ending in /sse.
  const sse =
    declared === 'sse' ||
    (declared === undefined && client === 'gemini-cli' && first.key === 'url') ||
    (declared === undefined && /\/sse\/?(?:[?#]|$)/i.test(url));
  if (sse)
    return {
      action: 'leave',
      url,
      reason: 'a legacy SSE server; the proxy speaks Streamable HTTP',
    };
  if (declared !== undefined && !HTTP_TYPES.has(declared))
    return { action: 'refuse', reason: `its type "${type}" is not Streamable HTTP` };
  const headers = member(entry.body, 'headers') ?? member(member(entry.body, 'requestOptions'), 'headers');
  if (headers && !(headers.kind === 'map' && (headers.entries ?? []).length === 0))
    return { action: 'refuse', reason: headersReason(entry.name, headers) };
  if (/\$\{[^}]*\}/.test(url))
    return { action: 'refuse', reason: 'its URL has variables that only the client expands' };
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return { action: 'refuse', reason: 'its URL is not a valid URL' };
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')
    return { action: 'refuse', reason: `its URL is not http(s) (${parsed.protocol})` };
  return {
    action: 'wrap',
    url,
    spelling: {
      name: entry.name,
      ...(entry.project !== undefined ? { project: entry.project } : {}),
      key: first.key,
      ...(typeNode ? { typeText: text.slice(typeNode.start, typeNode.end) } : {}),
    },
  };
}

/** Authorization schemes whose word is kept as the credential's `prefix` (never the secret after it). */
const SCHEME = /^(Bearer|Basic|Token|Bot|Digest) \S/i;

/**
 * Why an entry with headers is refused, with the policy lines that would send them instead. Only
 * the header names and an authorization scheme word are repeated; the values (secrets, or the
 * client's variables for them) are not copied anywhere.
 */
export function headersReason(name: string, headers: TreeNode): string {
  if (headers.kind !== 'map') return 'has headers; put them in a credentials policy';
  const lines = (headers.entries ?? []).map((h) => {
    const variable = `${name}_${h.key}`
      .toUpperCase()
      .replace(/[^A-Z0-9]+/g, '_')
      .replace(/^_+|_+$/g, '');
    const scheme = h.node.kind === 'string' ? SCHEME.exec(h.node.value ?? '')?.[1] : undefined;
    const prefix = scheme ? `, prefix: ${quote(`${scheme} `)}` : '';
    return `{ from: { env: ${variable} }, inject: { header: ${quote(h.key)}${prefix} } }`;
  });
  const vars = lines.map((l) => /env: (\S+) }/.exec(l)?.[1]).join(', ');
  return (
    `has headers (${(headers.entries ?? []).map((h) => h.key).join(', ')}); the proxy can send them instead: remove them and ` +
    `add to the server's policy: servers: { ${quote(name)}: { tools: { "*": { credentials: [${lines.join(', ')}] } } } }, ` +
    `with ${vars} set to the secret in the proxy's environment (or from: { file: PATH } of a 0600 file)`
  );
}

const LAUNCHER = /^portcullis(?:\.js|\.mjs|\.cjs|\.cmd|\.exe)?$/i;

/** The index of the URL in a command line that runs `portcullis proxy ... --upstream URL`. */
export function wrappedUpstreamAt(line: readonly string[]): number | undefined {
  const proxyAt = line.findIndex(
    (a, i) => a === 'proxy' && i > 0 && LAUNCHER.test(basename(line[i - 1] ?? '')),
  );
  if (proxyAt === -1 || line.includes('--', proxyAt)) return undefined;
  const flag = line.indexOf('--upstream', proxyAt);
  return flag === -1 || flag + 1 >= line.length ? undefined : flag + 1;
}

function lineStart(text: string, at: number): number {
  return text.lastIndexOf('\n', at - 1) + 1;
}

const quote = (s: string) => JSON.stringify(s);

function memberText(syntax: Syntax, key: string, value: string): string {
  return syntax === 'yaml' ? `${key}: ${value}` : `${quote(key)}: ${value}`;
}

/** Edits that make a remote entry start `command args...` as a stdio server. */
export function remoteWrapEdits(
  text: string,
  syntax: Syntax,
  entry: LocatedEntry,
  key: UrlKey,
  command: string,
  args: readonly string[],
): TextEdit[] {
  const url = memberEntry(entry.body, key);
  if (!url) return [];
  const nl = text.includes('\r\n') ? '\r\n' : '\n';
  const indent = text.slice(lineStart(text, url.keyStart), url.keyStart);
  // YAML block maps need each member on its own line (aligned under a leading `- `); JSON and
  // flow maps keep the entry's layout.
  const ownLine = syntax === 'yaml' ? entry.body.block === true : indent.trim() === '';
  const sep = ownLine ? `${syntax === 'yaml' ? '' : ','}${nl}${indent.replace(/-/g, ' ')}` : ', ';
  const edits: TextEdit[] = [
    {
      start: url.keyStart,
      end: url.node.end,
      text: `${memberText(syntax, 'command', quote(command))}${sep}${memberText(syntax, 'args', `[${args.map(quote).join(', ')}]`)}`,
    },
  ];
  const type = member(entry.body, 'type');
  if (type?.kind === 'string') edits.push({ start: type.start, end: type.end, text: quote('stdio') });
  return edits;
}

/**
 * Edits that put a wrapped remote entry back: `command` and `args` (next to each other, as wrap
 * wrote them) become the URL member again, and `type` gets its old value. Undefined when the two
 * members were moved apart since.
 */
export function remoteUnwrapEdits(
  text: string,
  syntax: Syntax,
  entry: LocatedEntry,
  url: string,
  spelling: Pick<RemoteSpelling, 'key' | 'typeText'>,
): TextEdit[] | undefined {
  const command = memberEntry(entry.body, entry.commandKey);
  const args = memberEntry(entry.body, 'args');
  if (!command || !args) return undefined;
  const [a, b] = command.keyStart < args.keyStart ? [command, args] : [args, command];
  const between = text.slice(a.node.end, b.keyStart);
  if (!/^[\s,]*$/.test(between)) return undefined;
  const edits: TextEdit[] = [
    { start: a.keyStart, end: b.node.end, text: memberText(syntax, spelling.key, quote(url)) },
  ];
  const type = member(entry.body, 'type');
  if (type?.kind === 'string' && spelling.typeText !== undefined)
    edits.push({ start: type.start, end: type.end, text: spelling.typeText });
  return edits;
}

/** The spelling wrap most likely replaced, when the manifest that recorded it is gone. */
export function guessSpelling(client: ConfigClient): Pick<RemoteSpelling, 'key' | 'typeText'> {
  if (client === 'gemini-cli') return { key: 'httpUrl' };
  if (client === 'windsurf') return { key: 'serverUrl' };
  if (client === 'continue') return { key: 'url', typeText: 'streamable-http' };
  return { key: 'url', typeText: quote('http') };
}

export function sameEntry(s: Pick<RemoteSpelling, 'name' | 'project'>, entry: LocatedEntry): boolean {
  return s.name === entry.name && s.project === entry.project;
}
