// Reads one client config file into servers, errors and notes. A malformed file is an error entry
// with file:line, never an exception: one broken config must not hide the others.

import { readFileSync, statSync } from 'node:fs';
import { basename, dirname, extname } from 'node:path';
import { isMap, isPair, isScalar, isSeq, LineCounter, type Node, parseDocument } from 'yaml';
import { PortcullisError } from '../../core/errors.js';
import { parseJsonc } from '../../core/json-text.js';
import {
  type ConfigDocument,
  type DocPath,
  type EntryProblem,
  isRecord,
  readServerList,
  readServerMap,
} from './entry.js';
import type { ConfigFormat } from './locations.js';
import type { ConfigClient, ConfigFileResult, ConfigServer } from './types.js';

/** ~/.claude.json carries chat history too and grows large; anything bigger than this is refused. */
export const MAX_CONFIG_BYTES = 64 * 1024 * 1024;
const MAX_YAML_ALIASES = 100;

function formatPath(path: DocPath): string {
  let out = '';
  for (const p of path) out += typeof p === 'number' ? `[${p}]` : out === '' ? p : `.${p}`;
  return out;
}

function jsonDocument(text: string, file: string, notes: ConfigFileResult['notes']): ConfigDocument {
  const parsed = parseJsonc(text, file);
  for (const d of parsed.duplicates) {
    notes.push({ line: d.line, message: `duplicate key "${d.key}": the last one is used` });
  }
  return { value: parsed.value, lineOf: (path) => parsed.locate(path).line };
}

function yamlDocument(text: string, file: string): ConfigDocument {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: true, uniqueKeys: true });
  const error = doc.errors[0];
  if (error) {
    const pos = error.linePos?.[0];
    const message = (error.message.split('\n')[0] ?? error.message).replace(
      / at line \d+, column \d+:?$/,
      '',
    );
    throw new PortcullisError('INPUT_INVALID', `invalid YAML: ${message}`, {
      file,
      ...(pos ? { line: pos.line, column: pos.col } : {}),
    });
  }
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: MAX_YAML_ALIASES });
  } catch (err) {
    throw new PortcullisError('INPUT_INVALID', `invalid YAML: ${(err as Error).message}`, { file });
  }
  const lineAt = (offset: number | undefined): number =>
    offset === undefined ? 1 : lineCounter.linePos(offset).line;
  return {
    value,
    lineOf(path) {
      let node: unknown = doc.contents;
      let line = lineAt((doc.contents as Node | null)?.range?.[0]);
      for (const part of path) {
        if (isMap(node)) {
          const pair = node.items.find(
            (p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(part),
          );
          if (!pair) break;
          line = lineAt((pair.key as Node).range?.[0]);
          node = pair.value;
        } else if (isSeq(node) && typeof part === 'number') {
          const item = node.items[part] as Node | undefined;
          if (!item) break;
          line = lineAt(item.range?.[0]);
          node = item;
        } else break;
      }
      return line;
    },
  };
}

function serversOf(
  format: ConfigFormat,
  client: ConfigClient,
  configFile: string,
  doc: ConfigDocument,
  problems: EntryProblem[],
): ConfigServer[] {
  const root = doc.value;
  const base = { client, configFile, doc, problems };
  if (!isRecord(root)) {
    // An empty YAML block file is nothing to check, not an error.
    if (root === null || root === undefined) return [];
    problems.push({ path: [], message: 'a config file must be an object' });
    return [];
  }
  switch (format) {
    case 'mcpServers':
      return readServerMap(base, root.mcpServers, ['mcpServers']);
    case 'claudeCode': {
      const servers = readServerMap(base, root.mcpServers, ['mcpServers']);
      if (isRecord(root.projects)) {
        for (const [project, section] of Object.entries(root.projects)) {
          if (!isRecord(section)) continue;
          servers.push(
            ...readServerMap(base, section.mcpServers, ['projects', project, 'mcpServers'], { project }),
          );
        }
      }
      return servers;
    }
    case 'vscodeMcp':
      return readServerMap(base, root.servers, ['servers']);
    case 'vscodeSettings': {
      // Either nested `"mcp": { "servers": ... }` or the flat dotted key `"mcp.servers"`.
      if (isRecord(root.mcp)) return readServerMap(base, root.mcp.servers, ['mcp', 'servers']);
      return readServerMap(base, root['mcp.servers'], ['mcp.servers']);
    }
    case 'zedSettings':
      return readServerMap(base, root.context_servers, ['context_servers']);
    case 'continueConfig': {
      if (root.mcpServers !== undefined) return readServerList(base, root.mcpServers, ['mcpServers']);
      const experimental = isRecord(root.experimental) ? root.experimental : undefined;
      return readServerList(base, experimental?.modelContextProtocolServers, [
        'experimental',
        'modelContextProtocolServers',
      ]);
    }
    case 'continueBlock':
      // A Continue block (`mcpServers: [ ... ]`) or a JSON config copied from another client (`{ name: entry }`).
      return Array.isArray(root.mcpServers)
        ? readServerList(base, root.mcpServers, ['mcpServers'])
        : readServerMap(base, root.mcpServers, ['mcpServers']);
  }
}

function errorResult(
  client: ConfigClient,
  configFile: string,
  message: string,
  line = 1,
  column?: number,
): ConfigFileResult {
  return {
    client,
    configFile,
    servers: [],
    errors: [{ client, configFile, line, ...(column !== undefined ? { column } : {}), message }],
    notes: [],
  };
}

/** Parses JSON(C) or YAML (by extension) into a document; syntax errors carry line and column. */
export function parseConfigDocument(
  text: string,
  configFile: string,
  notes: ConfigFileResult['notes'],
): ConfigDocument {
  const ext = extname(configFile).toLowerCase();
  return ext === '.yaml' || ext === '.yml'
    ? yamlDocument(text, configFile)
    : jsonDocument(text, configFile, notes);
}

function documentResult(
  doc: ConfigDocument,
  configFile: string,
  client: ConfigClient,
  format: ConfigFormat,
  notes: ConfigFileResult['notes'],
): ConfigFileResult {
  const problems: EntryProblem[] = [];
  const servers = serversOf(format, client, configFile, doc, problems);
  const errors = problems.map((p) => ({
    client,
    configFile,
    line: doc.lineOf(p.path),
    field: formatPath(p.path),
    message: p.message,
  }));
  return { client, configFile, servers, errors, notes };
}

/** Parses config text. `configFile` is how the file is shown in results. */
export function parseConfigText(
  text: string,
  configFile: string,
  client: ConfigClient,
  format: ConfigFormat,
): ConfigFileResult {
  const notes: ConfigFileResult['notes'] = [];
  let doc: ConfigDocument;
  try {
    doc = parseConfigDocument(text, configFile, notes);
  } catch (err) {
    const loc = err instanceof PortcullisError ? err.location : undefined;
    return errorResult(client, configFile, (err as Error).message, loc?.line, loc?.column);
  }
  return documentResult(doc, configFile, client, format, notes);
}

/** Reads a file as text with the size, binary and encoding checks; a string is the error. */
export function readConfigSource(path: string): { text: string } | { error: string } {
  let bytes: Buffer;
  try {
    const st = statSync(path);
    if (!st.isFile()) return { error: 'not a regular file' };
    if (st.size > MAX_CONFIG_BYTES) return { error: `larger than ${MAX_CONFIG_BYTES} bytes; not read` };
    bytes = readFileSync(path);
  } catch (err) {
    return { error: `cannot read: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}` };
  }
  if (bytes.includes(0)) return { error: 'not a text file (contains NUL bytes)' };
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return { error: 'not a UTF-8 text file' };
  }
  return { text: text.charCodeAt(0) === 0xfeff ? text.slice(1) : text };
}

/** Reads a config file from disk; unreadable, oversized or binary files become error entries. */
export function readConfigFile(
  path: string,
  configFile: string,
  client: ConfigClient,
  format: ConfigFormat,
): ConfigFileResult {
  const source = readConfigSource(path);
  if ('error' in source) return errorResult(client, configFile, source.error);
  return parseConfigText(source.text, configFile, client, format);
}

/**
 * Reads a config file named by the user. The client and format come from the file's name and
 * folder, else from the shape of its content; a file that is no MCP config is an error entry.
 */
export function readNamedConfigFile(path: string, configFile: string): ConfigFileResult {
  const known = identifyConfigFile(path);
  if (known) return readConfigFile(path, configFile, known.client, known.format);
  const source = readConfigSource(path);
  if ('error' in source) return errorResult('unknown', configFile, source.error);
  const notes: ConfigFileResult['notes'] = [];
  let doc: ConfigDocument;
  try {
    doc = parseConfigDocument(source.text, configFile, notes);
  } catch (err) {
    const loc = err instanceof PortcullisError ? err.location : undefined;
    return errorResult('unknown', configFile, (err as Error).message, loc?.line, loc?.column);
  }
  const sniffed = sniffConfigFormat(doc.value);
  if (!sniffed) {
    return errorResult(
      'unknown',
      configFile,
      'not an MCP client config: no "mcpServers", "servers", "mcp.servers" or "context_servers"',
    );
  }
  return documentResult(doc, configFile, sniffed.client, sniffed.format, notes);
}

/**
 * Which client and format a config file named on the command line belongs to, from its name and
 * folder. Undefined when the name says nothing; the caller can then sniff the content.
 */
export function identifyConfigFile(path: string): { client: ConfigClient; format: ConfigFormat } | undefined {
  const name = basename(path).toLowerCase();
  const parent = basename(dirname(path)).toLowerCase();
  const grand = basename(dirname(dirname(path))).toLowerCase();
  if (name === 'claude_desktop_config.json') return { client: 'claude-desktop', format: 'mcpServers' };
  if (name === '.claude.json') return { client: 'claude-code', format: 'claudeCode' };
  if (name === '.mcp.json' || name === 'managed-mcp.json')
    return { client: 'claude-code', format: 'mcpServers' };
  if (name === 'mcp_config.json') return { client: 'windsurf', format: 'mcpServers' };
  if (name === 'mcp.json' && parent === '.cursor') return { client: 'cursor', format: 'mcpServers' };
  if (name === 'mcp.json' && (parent === '.vscode' || parent === 'user'))
    return { client: 'vscode', format: 'vscodeMcp' };
  if (name === 'settings.json' && (parent === '.gemini' || parent === 'gemini-cli' || parent === 'geminicli'))
    return { client: 'gemini-cli', format: 'mcpServers' };
  if (name === 'settings.json' && (parent === 'zed' || parent === '.zed'))
    return { client: 'zed', format: 'zedSettings' };
  if (name === 'settings.json' && (parent === '.vscode' || parent === 'user'))
    return { client: 'vscode', format: 'vscodeSettings' };
  if ((name === 'config.yaml' || name === 'config.json') && parent === '.continue')
    return { client: 'continue', format: 'continueConfig' };
  if (parent === 'mcpservers' && grand === '.continue')
    return { client: 'continue', format: 'continueBlock' };
  return undefined;
}

/** For a file whose name says nothing: the shape of its content decides the format. */
export function sniffConfigFormat(
  value: unknown,
): { client: ConfigClient; format: ConfigFormat } | undefined {
  if (!isRecord(value)) return undefined;
  if (isRecord(value.projects) && value.mcpServers !== undefined)
    return { client: 'claude-code', format: 'claudeCode' };
  if (isRecord(value.mcpServers)) return { client: 'unknown', format: 'mcpServers' };
  if (Array.isArray(value.mcpServers)) return { client: 'unknown', format: 'continueConfig' };
  if (isRecord(value.context_servers)) return { client: 'unknown', format: 'zedSettings' };
  if (isRecord(value.servers)) return { client: 'unknown', format: 'vscodeMcp' };
  if (isRecord(value.mcp) && isRecord(value.mcp.servers))
    return { client: 'unknown', format: 'vscodeSettings' };
  return undefined;
}
