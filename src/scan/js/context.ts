// State shared while converting one file: the facts under construction, the line table, function
// id allocation, and side tables the registration recogniser reads (source positions of IR
// nodes, which comparisons are equality tests).

import type { Language } from '../../core/types.js';
import type { Expr, FileFacts, Note } from '../facts.js';
import { LineIndex, snippetAt } from './lines.js';

/** Cap on notes per file so a hostile file cannot produce megabytes of them. */
const MAX_NOTES = 50;

export interface TypeImport {
  local: string;
  module: string;
  imported: string;
}

export class FileContext {
  readonly lines: LineIndex;
  readonly facts: FileFacts;
  /** UTF-16 start offset of IR nodes that registrations and snippets need (calls, objects, funcs). */
  readonly starts = new WeakMap<object, number>();
  /** UTF-16 end offset of calls, so snippets stop where the call does. */
  readonly ends = new WeakMap<object, number>();
  /** IR `other` nodes that are `==`/`===` comparisons (also switch cases): parts are the operands. */
  readonly equalityTests = new WeakSet<Expr>();
  /** IR nodes that stand for a spread (`...x`) in a call's arguments or an array. */
  readonly spreads = new WeakSet<Expr>();
  /** Type-only imports: not facts (no runtime binding) but evidence of which library a file uses. */
  readonly typeImports: TypeImport[] = [];
  private readonly usedIds = new Set<string>();
  private noteCount = 0;

  constructor(
    readonly source: string,
    file: string,
    language: Language,
  ) {
    this.lines = new LineIndex(source);
    this.facts = {
      file,
      language,
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

  /** A file-unique FunctionFact id: `base`, or `base@LINE:COL` when `base` is taken. */
  allocateId(base: string, offset: number): string {
    let id = base;
    if (this.usedIds.has(id)) id = `${base}@${this.lines.line(offset)}:${this.lines.column(offset)}`;
    let k = 2;
    while (this.usedIds.has(id))
      id = `${base}@${this.lines.line(offset)}:${this.lines.column(offset)}#${k++}`;
    this.usedIds.add(id);
    return id;
  }

  hasId(id: string): boolean {
    return this.usedIds.has(id);
  }

  /** A one-line excerpt (≤ 120 chars) of the source of an IR node with a recorded start. */
  snippet(node: object, fallbackOffset: number): string {
    const start = this.starts.get(node) ?? fallbackOffset;
    const end = this.ends.get(node);
    return snippetAt(
      end !== undefined ? this.source.slice(start, end) : this.source,
      end !== undefined ? 0 : start,
    );
  }

  note(offset: number, message: string): void {
    this.pushNote(this.facts.notes, { line: this.lines.line(offset), message });
  }

  noteAtLine(line: number, message: string): void {
    this.pushNote(this.facts.notes, { line, message });
  }

  private pushNote(list: Note[], note: Note): void {
    this.noteCount++;
    if (this.noteCount < MAX_NOTES) list.push(note);
    else if (this.noteCount === MAX_NOTES) list.push({ line: note.line, message: 'further notes omitted' });
  }
}
