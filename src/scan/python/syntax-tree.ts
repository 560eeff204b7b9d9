// Loads tree-sitter-python and copies a parse tree into plain JS objects in one cursor pass.
//
// Why copy: every property read on a web-tree-sitter Node crosses into wasm and allocates; the
// front end reads each node several times, so one iterative cursor walk that records type, field
// and offsets is cheaper than repeated Node access, and it frees the wasm tree right away. The
// walk is iterative, so 3,000-deep input cannot overflow the JS stack here.

import { createRequire } from 'node:module';
import { Language, Parser, type Tree } from 'web-tree-sitter';

/** One syntax node. `start`/`end` are UTF-16 offsets into the source string. */
export interface PyNode {
  type: string;
  /** The grammar field this node fills in its parent (`left`, `body`…), or null. */
  field: string | null;
  named: boolean;
  start: number;
  end: number;
  /** Zero-width node the parser inserted during error recovery. */
  missing: boolean;
  children: PyNode[];
}

interface Loaded {
  parser: Parser;
  types: string[];
  named: boolean[];
  fields: (string | null)[];
}

let loaded: Loaded | null = null;
let loading: Promise<void> | null = null;

export function initTreeSitterPython(): Promise<void> {
  if (loaded) return Promise.resolve();
  if (!loading) {
    loading = (async () => {
      await Parser.init();
      const wasmPath = createRequire(import.meta.url).resolve('tree-sitter-python/tree-sitter-python.wasm');
      const language = await Language.load(wasmPath);
      const parser = new Parser();
      parser.setLanguage(language);
      const count = language.nodeTypeCount;
      const types: string[] = [];
      const named: boolean[] = [];
      for (let id = 0; id < count; id++) {
        types.push(language.nodeTypeForId(id) ?? '');
        named.push(language.nodeTypeIsNamed(id));
      }
      loaded = { parser, types, named, fields: language.fields };
    })().catch((error: unknown) => {
      loading = null;
      throw error;
    });
  }
  return loading;
}

export function isTreeSitterPythonReady(): boolean {
  return loaded !== null;
}

/** Parses `source` and returns the copied root (`module`) node. */
export function parseToNodes(source: string): { root: PyNode; hasError: boolean } {
  if (!loaded) throw new Error('Python front end not initialised: await initPython() before parsePython()');
  const { parser, types, named, fields } = loaded;
  // reset() so a previous cancelled or failed parse cannot leak state into this one.
  parser.reset();
  const tree: Tree | null = parser.parse(source);
  if (!tree) throw new Error('tree-sitter returned no tree');
  try {
    const hasError = tree.rootNode.hasError;
    const cursor = tree.walk();
    try {
      const root = copyTree(cursor, source, types, named, fields, hasError);
      return { root, hasError };
    } finally {
      cursor.delete();
    }
  } finally {
    tree.delete();
  }
}

const ERROR_TYPE_ID = 65535;

function copyTree(
  cursor: ReturnType<Tree['walk']>,
  source: string,
  types: string[],
  named: boolean[],
  fields: (string | null)[],
  hasError: boolean,
): PyNode {
  const makeNode = (): PyNode => {
    const typeId = cursor.nodeTypeId;
    const start = cursor.startIndex;
    const end = cursor.endIndex;
    const fieldId = cursor.currentFieldId;
    const isError = typeId === ERROR_TYPE_ID;
    return {
      type: isError ? 'ERROR' : (types[typeId] ?? ''),
      field: fieldId ? (fields[fieldId] ?? null) : null,
      named: isError || (named[typeId] ?? false),
      start,
      end,
      // Only error recovery inserts zero-width tokens; avoid the extra wasm call otherwise.
      missing: hasError && start === end && cursor.nodeIsMissing,
      children: [],
    };
  };
  const root = makeNode();
  const stack: PyNode[] = [root];
  let current = root;
  // Plain string literals need no children (we decode their text ourselves): skip their subtree.
  let descend = true;
  for (;;) {
    if (descend && cursor.gotoFirstChild()) {
      stack.push(current);
      current = makeNode();
      stack[stack.length - 1]?.children.push(current);
      descend = wantsChildren(current, source);
      continue;
    }
    let moved = false;
    while (stack.length > 1) {
      if (cursor.gotoNextSibling()) {
        current = makeNode();
        stack[stack.length - 1]?.children.push(current);
        descend = wantsChildren(current, source);
        moved = true;
        break;
      }
      cursor.gotoParent();
      current = stack.pop() as PyNode;
    }
    if (!moved) break;
  }
  return root;
}

function wantsChildren(node: PyNode, source: string): boolean {
  if (node.type === 'comment') return false;
  if (node.type !== 'string') return true;
  // Descend into f-strings (interpolations) and anything with errors; plain strings are decoded from text.
  for (let i = node.start; i < node.end && i < node.start + 3; i++) {
    const c = source.charCodeAt(i);
    if (c === 0x66 || c === 0x46 || c === 0x74 || c === 0x54) return true; // f F t T
    if (c === 0x22 || c === 0x27) return false;
  }
  return true;
}

/** Line starts for offset → line/column conversion (binary search, no per-node cost). */
export class LineIndex {
  private readonly starts: number[] = [0];
  constructor(source: string) {
    for (let i = source.indexOf('\n'); i !== -1; i = source.indexOf('\n', i + 1)) this.starts.push(i + 1);
  }
  line(offset: number): number {
    const starts = this.starts;
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((starts[mid] as number) <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  }
  column(offset: number): number {
    return offset - (this.starts[this.line(offset) - 1] as number) + 1;
  }
}

/** The first child filling `field`. */
export function childByField(node: PyNode, field: string): PyNode | undefined {
  for (const child of node.children) if (child.field === field) return child;
  return undefined;
}

/** Named children, without comments. */
export function namedChildren(node: PyNode): PyNode[] {
  const out: PyNode[] = [];
  for (const child of node.children) if (child.named && child.type !== 'comment') out.push(child);
  return out;
}

export function firstNamed(node: PyNode): PyNode | undefined {
  for (const child of node.children) if (child.named && child.type !== 'comment') return child;
  return undefined;
}

export function hasToken(node: PyNode, token: string): boolean {
  for (const child of node.children) if (!child.named && child.type === token) return true;
  return false;
}
