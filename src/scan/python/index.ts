// The Python front end: one source file → FileFacts (see ../facts.ts).

import type { FileFacts } from '../facts.js';
import { FileContext } from './context.js';
import { findRegistrations } from './registrations.js';
import { convertModule } from './statements.js';
import {
  defaultParseBudgetMs,
  initTreeSitterPython,
  isTreeSitterPythonReady,
  type PyNode,
  parseToNodes,
} from './syntax-tree.js';

const MAX_PARSE_ERRORS = 50;

/** Loads web-tree-sitter and the Python grammar. Idempotent; later calls reuse the first load. */
export function initPython(): Promise<void> {
  return initTreeSitterPython();
}

/**
 * Converts one Python file to facts. Synchronous once `initPython()` has resolved; throws if not.
 * Never throws on bad input: syntax errors are listed in `parseErrors` and the rest is analysed.
 */
export interface ParsePythonOptions {
  /** Parse time budget in ms (default: 3 s + 10 ms per KB); hostile input past it yields no facts. */
  parseBudgetMs?: number;
}

export function parsePython(source: string, file: string, options: ParsePythonOptions = {}): FileFacts {
  if (!isTreeSitterPythonReady()) {
    throw new Error('Python front end not initialised: await initPython() before parsePython()');
  }
  const ctx = new FileContext(source, file);
  const { root, errorRoot, skipped, timedOut } = parseToNodes(
    source,
    ctx.lines,
    options.parseBudgetMs ?? defaultParseBudgetMs(source.length),
  );
  if (timedOut) {
    ctx.facts.parseErrors.push({
      line: 1,
      message: 'parse abandoned: the file took too long to parse (not analysed)',
    });
  }
  if (errorRoot) collectParseErrors(ctx, errorRoot);
  for (const [start, end] of skipped) {
    const from = ctx.lines.line(start);
    const to = ctx.lines.line(Math.max(start, end - 1));
    ctx.note(from, `syntax error: lines ${from}-${to} skipped so that the code after them could be analysed`);
  }
  convertModule(ctx, root);
  findRegistrations(ctx);
  return ctx.facts;
}

function collectParseErrors(ctx: FileContext, root: PyNode): void {
  const errors = ctx.facts.parseErrors;
  const stack: PyNode[] = [root];
  while (stack.length > 0 && errors.length < MAX_PARSE_ERRORS) {
    const node = stack.pop() as PyNode;
    if (node.type === 'ERROR') {
      errors.push({ line: ctx.line(node), message: `syntax error near "${ctx.snippet(node).slice(0, 40)}"` });
    } else if (node.missing) {
      errors.push({ line: ctx.line(node), message: `syntax error: missing "${node.type}"` });
    }
    for (let i = node.children.length - 1; i >= 0; i--) stack.push(node.children[i] as PyNode);
  }
  errors.sort((a, b) => a.line - b.line);
}
