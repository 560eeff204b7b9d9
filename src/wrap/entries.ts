// Where each client keeps its servers' launch lines, and the edits that route one entry through
// `portcullis proxy` (or back). The spellings follow the scanner's reader (src/scan/configs/
// entry.ts): a `transport` block (Continue JSON), Zed's `command: { path, args }`, `url`/
// `serverUrl`/`httpUrl` for remote servers.

import { basename } from 'node:path';
import type { ConfigFormat } from '../scan/configs/locations.js';
import { member, memberEntry, type Syntax, type TextEdit, type TreeNode } from './tree.js';

export interface LocatedEntry {
  name: string;
  /** Claude Code per-project entries. */
  project?: string;
  /** The map that holds the launch line (the entry, its `transport`, or Zed's `command` object). */
  body: TreeNode;
  /** `command`, or `path` inside Zed's command object. */
  commandKey: 'command' | 'path';
  command?: TreeNode;
  args?: TreeNode;
  url?: string;
}

function mapEntries(
  map: TreeNode | undefined,
  project?: string,
): { name: string; node: TreeNode; project?: string }[] {
  if (map?.kind !== 'map') return [];
  const seen = new Map<string, TreeNode>();
  for (const e of map.entries ?? []) seen.set(e.key, e.node); // the last duplicate counts
  return [...seen].map(([name, node]) => ({ name, node, ...(project !== undefined ? { project } : {}) }));
}

function listEntries(list: TreeNode | undefined): { name: string; node: TreeNode }[] {
  if (list?.kind !== 'seq') return [];
  return (list.items ?? []).map((node, i) => {
    const n = member(node, 'name');
    return { name: n?.kind === 'string' && n.value ? n.value : `#${i + 1}`, node };
  });
}

function rawEntries(
  format: ConfigFormat,
  root: TreeNode,
): { name: string; node: TreeNode; project?: string }[] {
  switch (format) {
    case 'mcpServers':
      return mapEntries(member(root, 'mcpServers'));
    case 'claudeCode': {
      const out = mapEntries(member(root, 'mcpServers'));
      const projects = member(root, 'projects');
      for (const [project, section] of mapEntries(projects).map((p) => [p.name, p.node] as const))
        out.push(...mapEntries(member(section, 'mcpServers'), project));
      return out;
    }
    case 'vscodeMcp':
      return mapEntries(member(root, 'servers'));
    case 'vscodeSettings': {
      const mcp = member(root, 'mcp');
      return mcp?.kind === 'map'
        ? mapEntries(member(mcp, 'servers'))
        : mapEntries(member(root, 'mcp.servers'));
    }
    case 'zedSettings':
      return mapEntries(member(root, 'context_servers'));
    case 'continueConfig': {
      const list = member(root, 'mcpServers');
      if (list) return listEntries(list);
      return listEntries(member(member(root, 'experimental'), 'modelContextProtocolServers'));
    }
    case 'continueBlock': {
      const servers = member(root, 'mcpServers');
      return servers?.kind === 'seq' ? listEntries(servers) : mapEntries(servers);
    }
  }
}

/** Every server entry of the config with its launch line located. */
export function locateEntries(format: ConfigFormat, root: TreeNode): LocatedEntry[] {
  const out: LocatedEntry[] = [];
  for (const { name, node, project } of rawEntries(format, root)) {
    if (node.kind !== 'map') continue;
    const transport = member(node, 'transport');
    let body = transport?.kind === 'map' ? transport : node;
    let commandKey: LocatedEntry['commandKey'] = 'command';
    let command = member(body, 'command');
    let args = member(body, 'args');
    if (command?.kind === 'map') {
      // Zed: "command": { "path": ..., "args": [...] }
      body = command;
      commandKey = 'path';
      command = member(body, 'path');
      args = member(body, 'args') ?? args;
    }
    let url: string | undefined;
    for (const key of ['url', 'serverUrl', 'httpUrl']) {
      const u = member(body, key);
      if (u?.kind === 'string' && u.value) url = u.value;
    }
    out.push({
      name,
      ...(project !== undefined ? { project } : {}),
      body,
      commandKey,
      ...(command ? { command } : {}),
      ...(args ? { args } : {}),
      ...(url !== undefined ? { url } : {}),
    });
  }
  return out;
}

/** The entry's command line, when it is a stdio entry whose strings can be read. */
export function commandLine(entry: LocatedEntry): string[] | undefined {
  if (entry.command?.kind !== 'string' || !entry.command.value) return undefined;
  const args: string[] = [];
  if (entry.args) {
    if (entry.args.kind !== 'seq') return undefined;
    for (const item of entry.args.items ?? []) {
      if (item.kind !== 'string') return undefined;
      args.push(item.value ?? '');
    }
  }
  return [entry.command.value, ...args];
}

const LAUNCHER = /^portcullis(?:\.js|\.mjs|\.cjs|\.cmd|\.exe)?$/i;

/**
 * Where the original command starts in a command line that already runs `portcullis proxy`
 * (index after `--`), or undefined when the line is not wrapped.
 */
export function wrappedAt(line: readonly string[]): number | undefined {
  const proxyAt = line.findIndex(
    (a, i) => a === 'proxy' && i > 0 && LAUNCHER.test(basename(line[i - 1] ?? '')),
  );
  if (proxyAt === -1) return undefined;
  const dash = line.indexOf('--', proxyAt);
  return dash === -1 || dash + 1 >= line.length ? undefined : dash + 1;
}

function lineStart(text: string, at: number): number {
  return text.lastIndexOf('\n', at - 1) + 1;
}

function quote(s: string): string {
  return JSON.stringify(s);
}

/**
 * Edits that make the entry run `line` instead of its command: the command value replaced, and
 * the new leading arguments inserted before the existing ones (which keep their formatting and
 * comments). `prefix` is what comes before the original arguments; `command` the new command.
 */
export function prependEdits(
  text: string,
  syntax: Syntax,
  entry: LocatedEntry,
  command: string,
  prefix: readonly string[],
): TextEdit[] {
  const cmd = entry.command;
  if (!cmd) return [];
  const edits: TextEdit[] = [{ start: cmd.start, end: cmd.end, text: quote(command) }];
  const args = entry.args;
  // New lines end the way the file's lines do.
  const nl = text.includes('\r\n') ? '\r\n' : '\n';
  const inline = prefix.map(quote).join(', ');
  if (args?.kind !== 'seq') {
    // No arguments yet: a new member after the command.
    const keyEntry = memberEntry(entry.body, entry.commandKey);
    const keyAt = keyEntry?.keyStart ?? cmd.start;
    const column = keyAt - lineStart(text, keyAt);
    if (syntax === 'yaml') {
      const eol = text.indexOf('\n', cmd.end);
      const at = eol === -1 ? text.length : eol;
      const at2 = eol > 0 && text[eol - 1] === '\r' ? eol - 1 : at;
      edits.push({ start: at2, end: at2, text: `${nl}${' '.repeat(column)}args: [${inline}]` });
    } else {
      const ownLine = text.slice(lineStart(text, keyAt), keyAt).trim() === '';
      const indent = text.slice(lineStart(text, keyAt), keyAt);
      edits.push({
        start: cmd.end,
        end: cmd.end,
        text: ownLine ? `,${nl}${indent}"args": [${inline}]` : `, "args": [${inline}]`,
      });
    }
    return edits;
  }
  const first = args.items?.[0];
  if (!first) {
    edits.push({ start: args.start, end: args.end, text: `[${inline}]` });
    return edits;
  }
  const before = text.slice(lineStart(text, first.start), first.start);
  if (args.block) {
    if (/^[ \t]*-[ \t]+$/.test(before)) {
      edits.push({
        start: first.start,
        end: first.start,
        text: prefix.map((p) => `${quote(p)}${nl}${before}`).join(''),
      });
    } else {
      // An unusual block layout: rewrite the list as a flow list (its comments are lost).
      const all = [...prefix, ...(args.items ?? []).map((i) => i.value ?? text.slice(i.start, i.end))];
      edits.push({ start: args.start, end: args.end, text: `[${all.map(quote).join(', ')}]` });
    }
    return edits;
  }
  const multiLine = before.trim() === '';
  edits.push({
    start: first.start,
    end: first.start,
    text: prefix.map((p) => (multiLine ? `${quote(p)},${nl}${before}` : `${quote(p)}, `)).join(''),
  });
  return edits;
}

/** Edits that take a wrapped entry back to its original command and arguments. */
export function unwrapEdits(entry: LocatedEntry, originalAt: number): TextEdit[] {
  const cmd = entry.command;
  const items = entry.args?.items ?? [];
  const original = items[originalAt - 1];
  if (!cmd || !entry.args || !original || original.kind !== 'string') return [];
  const edits: TextEdit[] = [{ start: cmd.start, end: cmd.end, text: quote(original.value ?? '') }];
  const rest = items[originalAt];
  const firstItem = items[0];
  if (!firstItem) return [];
  if (rest) edits.push({ start: firstItem.start, end: rest.start, text: '' });
  else edits.push({ start: entry.args.start, end: entry.args.end, text: '[]' });
  return edits;
}
