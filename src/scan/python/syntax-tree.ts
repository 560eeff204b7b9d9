// Loads tree-sitter-python and copies a parse tree into plain JS objects in one cursor pass.
//
// Why copy: every property read on a web-tree-sitter Node crosses into wasm and allocates; the
// front end reads each node several times, so one iterative cursor walk that records type, field
// and offsets is cheaper than repeated Node access, and it frees the wasm tree right away. The
// walk is iterative, so 3,000-deep input cannot overflow the JS stack here.

import { createRequire } from 'node:module';
import { Language, type Node, type ParseOptions, Parser, type Tree } from 'web-tree-sitter';

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

export interface ParsedPython {
  /** The tree the front end analyses (after error recovery, if any). */
  root: PyNode;
  /** The first parse, when it had syntax errors: where the errors are reported from. */
  errorRoot: PyNode | null;
  /** Source ranges [start, end) left out so that the code after a syntax error parses. */
  skipped: [number, number][];
  /** The parse ran out of time (pathological input): `root` is an empty module. */
  timedOut: boolean;
}

/**
 * Tree-sitter's error recovery is linear but slow on random text (~25 µs per character), so a
 * parse has a time budget: a generous base plus an allowance per character. Real code parses
 * in a small fraction of it.
 */
export function defaultParseBudgetMs(length: number): number {
  return 3000 + length / 100;
}

// Each recovery round re-parses the file: bound the rounds and the total text re-parsed.
const MAX_RECOVERY_ROUNDS = 32;
const RECOVERY_BUDGET_CHARS = 8_000_000;

/**
 * Parses `source`. When a statement's syntax error swallows the code after it (an unclosed
 * bracket makes tree-sitter read on to the end of the file), the statement is left out of a
 * re-parse from the next top-level line on, so the tools defined after it are still found.
 */
export function parseToNodes(
  source: string,
  lines: LineIndex,
  budgetMs = defaultParseBudgetMs(source.length),
): ParsedPython {
  if (!loaded) throw new Error('Python front end not initialised: await initPython() before parsePython()');
  const { parser } = loaded;
  // reset() so a previous failed parse cannot leak state into this one.
  parser.reset();
  const deadline = performance.now() + budgetMs;
  // The callback's return value cancels the parse (the .d.ts types it as void).
  const progressCallback = (() =>
    performance.now() > deadline) as unknown as ParseOptions['progressCallback'];
  let tree = parser.parse(source, null, { progressCallback });
  if (!tree) {
    parser.reset();
    const empty: PyNode = {
      type: 'module',
      field: null,
      named: true,
      start: 0,
      end: 0,
      missing: false,
      children: [],
    };
    return { root: empty, errorRoot: null, skipped: [], timedOut: true };
  }
  try {
    if (!tree.rootNode.hasError) {
      return { root: copy(tree, source, false), errorRoot: null, skipped: [], timedOut: false };
    }
    const errorRoot = copy(tree, source, true);
    const skipped: [number, number][] = [];
    for (
      let round = 0;
      round < MAX_RECOVERY_ROUNDS &&
      (round + 1) * source.length <= RECOVERY_BUDGET_CHARS &&
      tree.rootNode.hasError;
      round++
    ) {
      const cut = findCut(tree, source);
      if (!cut) break;
      skipped.push(cut);
      const next = parser.parse(source, null, {
        includedRanges: includedRanges(source.length, skipped, lines),
        progressCallback,
      });
      if (!next) {
        // Out of time: keep the last complete tree.
        skipped.pop();
        parser.reset();
        break;
      }
      tree.delete();
      tree = next;
    }
    return {
      root: skipped.length ? copy(tree, source, tree.rootNode.hasError) : errorRoot,
      errorRoot,
      skipped,
      timedOut: false,
    };
  } finally {
    tree.delete();
  }
}

function copy(tree: Tree, source: string, hasError: boolean): PyNode {
  if (!loaded) throw new Error('Python front end not initialised');
  const cursor = tree.walk();
  try {
    return copyTree(cursor, source, loaded.types, loaded.named, loaded.fields, hasError);
  } finally {
    cursor.delete();
  }
}

/**
 * The first statement with an error that swallowed a later top-level line: cut from its start to
 * the first top-level line after its first error. Top-level ERROR nodes are not cut themselves
 * (their children are still analysed); the statements inside them are considered instead.
 */
function findCut(tree: Tree, source: string): [number, number] | undefined {
  const candidates: Node[] = [];
  for (const child of tree.rootNode.children) {
    if (!child.hasError) continue;
    if (child.type === 'ERROR') {
      for (const inner of child.namedChildren)
        if (inner.hasError && inner.type !== 'ERROR') candidates.push(inner);
    } else {
      candidates.push(child);
    }
  }
  for (const statement of candidates) {
    const firstError = firstErrorOffset(statement);
    if (firstError === -1) continue;
    const resync = nextTopLevelLine(source, firstError, statement.endIndex);
    if (resync !== -1) return [statement.startIndex, resync];
  }
  return undefined;
}

/** Start of the first ERROR or MISSING node under `node`, in document order. */
function firstErrorOffset(node: Node): number {
  const cursor = node.walk();
  try {
    for (;;) {
      if (cursor.nodeType === 'ERROR' || cursor.nodeIsMissing) return cursor.startIndex;
      if (cursor.gotoFirstChild()) continue;
      while (!cursor.gotoNextSibling()) {
        if (!cursor.gotoParent() || cursor.nodeId === node.id) return -1;
      }
    }
  } finally {
    cursor.delete();
  }
}

/** Offset of the first line in (start, end) that starts at column 0 with a statement-like character. */
function nextTopLevelLine(source: string, start: number, end: number): number {
  for (let nl = source.indexOf('\n', start); nl !== -1 && nl + 1 < end; nl = source.indexOf('\n', nl + 1)) {
    const c = source.charCodeAt(nl + 1);
    const letter = (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c === 64; // A-Z a-z _ @
    if (letter) return nl + 1;
  }
  return -1;
}

function includedRanges(length: number, skipped: [number, number][], lines: LineIndex) {
  const cuts = [...skipped].sort((a, b) => a[0] - b[0]);
  const point = (offset: number) => ({ row: lines.line(offset) - 1, column: lines.column(offset) - 1 });
  const ranges = [];
  let from = 0;
  for (const [start, end] of cuts) {
    if (start > from)
      ranges.push({
        startIndex: from,
        endIndex: start,
        startPosition: point(from),
        endPosition: point(start),
      });
    from = Math.max(from, end);
  }
  if (from < length)
    ranges.push({
      startIndex: from,
      endIndex: length,
      startPosition: point(from),
      endPosition: point(length),
    });
  return ranges;
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
  // Every cursor getter is a wasm call: read only what the front end uses. Anonymous tokens
  // (operators, keywords, punctuation) only need their type, unless error recovery may have
  // inserted zero-width MISSING tokens that we report.
  const makeNode = (): PyNode => {
    const typeId = cursor.nodeTypeId;
    const isError = typeId === ERROR_TYPE_ID;
    const isNamed = isError || (named[typeId] ?? false);
    const type = isError ? 'ERROR' : (types[typeId] ?? '');
    if (!isNamed && !hasError) {
      return { type, field: null, named: false, start: 0, end: 0, missing: false, children: NO_CHILDREN };
    }
    const start = cursor.startIndex;
    const end = cursor.endIndex;
    const fieldId = cursor.currentFieldId;
    return {
      type,
      field: fieldId ? (fields[fieldId] ?? null) : null,
      named: isNamed,
      start,
      end,
      missing: hasError && start === end && cursor.nodeIsMissing,
      children: isNamed && !OPAQUE.has(type) ? [] : NO_CHILDREN,
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

/** Shared empty child list of leaves we never descend into (never mutated). */
const NO_CHILDREN: PyNode[] = [];

/** Named node types whose children the front end never reads (leaves, or text it decodes itself). */
const OPAQUE = new Set([
  'identifier',
  'integer',
  'float',
  'true',
  'false',
  'none',
  'comment',
  'string_content',
  'escape_sequence',
  'format_specifier',
  'type_conversion',
  'line_continuation',
]);

function wantsChildren(node: PyNode, source: string): boolean {
  if (!node.named) return node.type === 'ERROR';
  if (OPAQUE.has(node.type)) return false;
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

/** The operator token of a binary/unary/augmented operation: its first anonymous child. */
export function operatorOf(node: PyNode): string | undefined {
  for (const child of node.children) if (!child.named) return child.type;
  return undefined;
}
