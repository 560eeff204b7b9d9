// A config file as a tree of nodes that remember where they are in the text, so `wrap` can change
// one value and leave every other byte — comments, indentation, key order — as it was. The text is
// validated by the scanner's reader first (errors with line and column); these readers only run on
// text that reader accepted.

import { isMap, isScalar, isSeq, parseDocument, type Node as YamlNode } from 'yaml';

export interface TreeNode {
  kind: 'map' | 'seq' | 'string' | 'other';
  start: number;
  end: number;
  /** Strings: the decoded value. */
  value?: string;
  /** Maps: members in text order (a duplicated key appears twice; the last one counts). */
  entries?: { key: string; keyStart: number; node: TreeNode }[];
  items?: TreeNode[];
  /** YAML block collection (`- item` lines); JSON is always flow. */
  block?: boolean;
}

export type Syntax = 'json' | 'yaml';

const MAX_DEPTH = 64;

/** The member `key` of a map node (the last one when duplicated). */
export function member(node: TreeNode | undefined, key: string | number): TreeNode | undefined {
  if (!node) return undefined;
  if (node.kind === 'seq' && typeof key === 'number') return node.items?.[key];
  if (node.kind !== 'map') return undefined;
  let found: TreeNode | undefined;
  for (const e of node.entries ?? []) if (e.key === String(key)) found = e.node;
  return found;
}

export function memberEntry(
  node: TreeNode,
  key: string,
): { key: string; keyStart: number; node: TreeNode } | undefined {
  let found: { key: string; keyStart: number; node: TreeNode } | undefined;
  for (const e of node.entries ?? []) if (e.key === key) found = e;
  return found;
}

/** Reads JSON with comments and trailing commas (already validated) into positioned nodes. */
export function parseJsonTree(text: string): TreeNode {
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const skip = () => {
    for (;;) {
      const c = text[i];
      if (c === ' ' || c === '\t' || c === '\r' || c === '\n') i++;
      else if (c === '/' && text[i + 1] === '/') while (i < text.length && text[i] !== '\n') i++;
      else if (c === '/' && text[i + 1] === '*') {
        const close = text.indexOf('*/', i + 2);
        i = close === -1 ? text.length : close + 2;
      } else return;
    }
  };
  const string = (): TreeNode => {
    const start = i;
    i++;
    while (i < text.length && text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
    i++;
    return { kind: 'string', start, end: i, value: JSON.parse(text.slice(start, i)) as string };
  };
  const value = (depth: number): TreeNode => {
    if (depth > MAX_DEPTH) throw new Error('nesting too deep');
    skip();
    const start = i;
    const c = text[i];
    if (c === '"') return string();
    if (c === '{') {
      i++;
      const entries: NonNullable<TreeNode['entries']> = [];
      for (;;) {
        skip();
        if (text[i] === '}' || i >= text.length) break;
        const keyStart = i;
        const key = string().value ?? '';
        skip();
        i++; // ':'
        const node = value(depth + 1);
        entries.push({ key, keyStart, node });
        skip();
        if (text[i] === ',') i++;
      }
      i++;
      return { kind: 'map', start, end: i, entries };
    }
    if (c === '[') {
      i++;
      const items: TreeNode[] = [];
      for (;;) {
        skip();
        if (text[i] === ']' || i >= text.length) break;
        items.push(value(depth + 1));
        skip();
        if (text[i] === ',') i++;
      }
      i++;
      return { kind: 'seq', start, end: i, items };
    }
    while (i < text.length && /[^\s,\]}/]/.test(text[i] ?? '')) i++;
    return { kind: 'other', start, end: i };
  };
  return value(0);
}

function fromYaml(node: unknown, depth: number): TreeNode {
  const n = node as YamlNode | null;
  const range = n?.range ?? [0, 0, 0];
  if (depth > MAX_DEPTH) throw new Error('nesting too deep');
  if (isMap(n)) {
    const entries: NonNullable<TreeNode['entries']> = [];
    for (const pair of n.items) {
      if (!isScalar(pair.key)) continue;
      const keyRange = (pair.key as YamlNode).range ?? [0, 0, 0];
      entries.push({
        key: String(pair.key.value),
        keyStart: keyRange[0],
        node:
          pair.value === null
            ? { kind: 'other', start: keyRange[1], end: keyRange[1] }
            : fromYaml(pair.value, depth + 1),
      });
    }
    return { kind: 'map', start: range[0], end: range[1], entries, block: !n.flow };
  }
  if (isSeq(n)) {
    return {
      kind: 'seq',
      start: range[0],
      end: range[1],
      items: n.items.map((item) => fromYaml(item, depth + 1)),
      block: !n.flow,
    };
  }
  if (isScalar(n) && typeof n.value === 'string')
    return { kind: 'string', start: range[0], end: range[1], value: n.value };
  return { kind: 'other', start: range[0], end: range[1] };
}

export function parseYamlTree(text: string): TreeNode {
  const doc = parseDocument(text, { uniqueKeys: true });
  return fromYaml(doc.contents, 0);
}

export function parseTree(text: string, syntax: Syntax): TreeNode {
  return syntax === 'yaml' ? parseYamlTree(text) : parseJsonTree(text);
}

/** A replacement of `text[start, end)`. */
export interface TextEdit {
  start: number;
  end: number;
  text: string;
}

export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  let out = text;
  for (const e of [...edits].sort((a, b) => b.start - a.start))
    out = out.slice(0, e.start) + e.text + out.slice(e.end);
  return out;
}

/** A plain-object view of a JSON(C) tree, for sniffing the format of an unnamed file. */
export function parseTreeValue(text: string, syntax: Syntax): unknown {
  const toValue = (n: TreeNode): unknown => {
    if (n.kind === 'string') return n.value;
    if (n.kind === 'seq') return (n.items ?? []).map(toValue);
    if (n.kind === 'map') {
      const o: Record<string, unknown> = {};
      for (const e of n.entries ?? [])
        Object.defineProperty(o, e.key, {
          value: toValue(e.node),
          enumerable: true,
          configurable: true,
          writable: true,
        });
      return o;
    }
    return null;
  };
  return toValue(parseTree(text, syntax));
}
