// Per-file state shared by the expression, statement and registration passes.

import {
  type ClassFact,
  type Expr,
  type FileFacts,
  type FunctionFact,
  MAX_IR_DEPTH,
  MODULE_FUNCTION_ID,
  type Stmt,
  type UnresolvedRegistration,
} from '../facts.js';
import { LineIndex, type PyNode } from './syntax-tree.js';

/** A call whose callee may register a tool (`Tool(...)`, `X.from_function(...)`, `mcp.add_tool(...)`). */
export interface CandidateCall {
  expr: Extract<Expr, { k: 'call' }>;
  node: PyNode;
  /** FunctionFact id of the enclosing function (MODULE_FUNCTION_ID at top level). */
  functionId: string;
  /** Inside a loop or comprehension: a literal-looking registration there is built from data. */
  inLoop: boolean;
}

/** `if name == "x"` / `case "x":` tests, remembered for low-level `call_tool` dispatch. */
export interface DispatchTest {
  subject: string;
  /** String values, or DOTTED_PREFIX + `Cls.NAME` for dotted constants resolved later. */
  values: string[];
}

/** Marks a dispatch value that is a dotted constant (NUL cannot occur in Python identifiers). */
export const DOTTED_PREFIX = '\u0000.';

/** An annotated class-level field (`path: str = Field(description=…)`), for pydantic schemas. */
export interface AnnotatedField {
  name: string;
  annotation: string;
  value?: Expr;
  descriptionExpr?: Expr;
  line: number;
}

const MAX_NOTES = 200;

export class FileContext {
  readonly lines: LineIndex;
  readonly facts: FileFacts;
  /** Qualified-name scope: enclosing class and function names. */
  readonly scope: string[] = [];
  /** Id of the function whose body is being converted. */
  functionId = '<module>';
  /** Qualified name of the class whose body is being converted directly (its defs are methods). */
  currentClass: string | null = null;
  /** > 0 while inside a loop body or comprehension. */
  loopDepth = 0;
  /** Statements produced while converting expressions (walrus), placed before the current statement. */
  pending: Stmt[] = [];
  readonly candidateCalls: CandidateCall[] = [];
  /** `*args` call arguments (the IR writes them as `other`, indistinguishable from `-x` otherwise). */
  readonly starArgs = new WeakSet<Expr>();
  /** Local aliases of registration callees (`from langchain.tools import Tool as LCTool`). */
  readonly candidateAliases = new Set<string>();
  readonly dispatchTests = new WeakMap<Stmt, DispatchTest>();
  readonly functionNodes = new Map<string, PyNode>();
  readonly functionsById = new Map<string, FunctionFact>();
  readonly classNodes = new Map<string, PyNode>();
  readonly classesByName = new Map<string, ClassFact>();
  /** Class name → its annotated fields, in order. */
  readonly annotatedFields = new Map<string, AnnotatedField[]>();
  private readonly cutLines = new Set<number>();
  private readonly usedIds = new Set<string>();

  constructor(
    readonly source: string,
    file: string,
  ) {
    this.lines = new LineIndex(source);
    this.facts = {
      file,
      language: 'python',
      parseErrors: [],
      notes: [],
      imports: [],
      exports: [],
      functions: [],
      classes: [],
      registrations: [],
      unresolved: [],
    };
  }

  line(node: PyNode): number {
    return this.lines.line(node.start);
  }

  column(node: PyNode): number {
    return this.lines.column(node.start);
  }

  text(node: PyNode): string {
    return this.source.slice(node.start, node.end);
  }

  snippet(node: PyNode): string {
    const raw = this.source.slice(node.start, Math.min(node.end, node.start + 400));
    const flat = raw.replace(/\s+/g, ' ').trim();
    return flat.length > 120 ? `${flat.slice(0, 117)}...` : flat;
  }

  note(line: number, message: string): void {
    if (this.facts.notes.length < MAX_NOTES) this.facts.notes.push({ line, message });
  }

  /** The `other` placeholder for a nesting cut, noted once per line. */
  depthCut(node: PyNode): Expr {
    const line = this.line(node);
    if (!this.cutLines.has(line)) {
      this.cutLines.add(line);
      this.note(
        line,
        `nesting deeper than ${MAX_IR_DEPTH} levels: the rest of this construct was not analysed`,
      );
    }
    return { k: 'other', parts: [] };
  }

  unresolved(node: PyNode, reason: string): void {
    const entry: UnresolvedRegistration = {
      line: this.line(node),
      column: this.column(node),
      reason,
      snippet: this.snippet(node),
    };
    this.facts.unresolved.push(entry);
  }

  /** A file-unique function id: the qualified name, suffixed with its line when redefined. */
  uniqueId(qualified: string, line: number): string {
    let id = qualified;
    if (this.usedIds.has(id)) id = `${qualified}@${line}`;
    for (let n = 2; this.usedIds.has(id); n++) id = `${qualified}@${line}#${n}`;
    this.usedIds.add(id);
    return id;
  }

  addFunction(fn: FunctionFact, node: PyNode): void {
    this.facts.functions.push(fn);
    this.functionNodes.set(fn.id, node);
    this.functionsById.set(fn.id, fn);
  }

  addClass(cls: ClassFact, node: PyNode): void {
    this.facts.classes.push(cls);
    this.classNodes.set(cls.name, node);
    this.classesByName.set(cls.name, cls);
  }

  private assignments: Map<string, Expr> | undefined;

  /** The last value each top-level statement assigns to a plain name (after conversion). */
  moduleAssignments(): Map<string, Expr> {
    if (!this.assignments) {
      this.assignments = new Map();
      for (const stmt of this.functionsById.get(MODULE_FUNCTION_ID)?.body ?? []) {
        if (stmt.k === 'assign' && stmt.target.k === 'name')
          this.assignments.set(stmt.target.name, stmt.value);
      }
    }
    return this.assignments;
  }

  takePending(): Stmt[] {
    if (this.pending.length === 0) return this.pending;
    const out = this.pending;
    this.pending = [];
    return out;
  }
}
