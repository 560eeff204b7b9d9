// The language-neutral facts both front ends (python/, js/) produce from one source file.
//
// Front ends are thin: they turn syntax into this small IR and recognise tool registrations by
// their shape. Everything semantic — alias and constant resolution, which API is a sink, taint
// from parameters and secrets to sinks, schema interpretation — happens once, in flow.ts, over
// this IR, so Python and TS/JS get the same analysis.
//
// Conventions:
// - Lines and columns are 1-based.
// - Nesting deeper than MAX_IR_DEPTH is cut: the front end emits `{ k: 'other', parts: [] }` there
//   and adds a note, so hostile 3,000-deep input cannot overflow a stack anywhere downstream.
// - `await`, parentheses, type assertions (`x as T`, `x!`, `<T>x`), `satisfies`, and Python
//   starred/keyword unpacking wrappers are transparent: emit the inner expression.

import type { Framework, Language } from '../core/types.js';

export const MAX_IR_DEPTH = 200;

/** An expression, reduced to what data flow and constant folding need. */
export type Expr =
  /** String literal. Python bytes literals are decoded as latin1. Template/f-strings use `concat`. */
  | { k: 'str'; value: string }
  | { k: 'num'; value: number }
  | { k: 'lit'; value: boolean | null }
  /** An identifier reference (`requests`, `x`, `self`, `this`). */
  | { k: 'name'; name: string; line: number }
  /** Static member access `object.name` (Python attribute, JS non-computed member, optional chaining). */
  | { k: 'attr'; object: Expr; name: string; line: number }
  /** Computed member access `object[index]` (Python subscript, JS computed member). */
  | { k: 'index'; object: Expr; index: Expr; line: number }
  /**
   * A call (also JS `new X(...)`, with `isNew`). Positional args in order; Python keyword args in
   * `kwargs`. A JS spread arg or Python `*args` becomes an `other` positional arg; `**kw` becomes
   * a kwarg named `**`. Tagged templates are calls with the template as the single arg.
   */
  | {
      k: 'call';
      callee: Expr;
      args: Expr[];
      kwargs: { name: string; value: Expr }[];
      line: number;
      column: number;
      isNew?: boolean;
    }
  /**
   * String building whose result is the parts joined in order: `a + b` (when either side may be a
   * string), template literals, f-strings (`{x}` parts become the expression), `%`-format and
   * `"".join([..])` with a literal list. Numeric `+` may also be emitted as concat; folding copes.
   */
  | { k: 'concat'; parts: Expr[] }
  /**
   * Object / dict literal. `key` is null for computed keys and spreads (`...x`, `**x`); a computed
   * key keeps its expression in `computed` (`{ [TOOL.name]: handler }`) for the flow engine to fold.
   */
  | { k: 'object'; props: { key: string | null; value: Expr; computed?: Expr }[] }
  /** Array / list / tuple / set literal. */
  | { k: 'array'; items: Expr[] }
  /** A function value defined inline (lambda, arrow, function expression); `id` is a FunctionFact id. */
  | { k: 'func'; id: string }
  /** `test ? a : b`, `a if test else b`, `a || b`, `a ?? b`, `a or b`: the value is one of `options`. */
  | { k: 'choice'; options: Expr[]; test?: Expr }
  /** Anything else; its value depends on `parts` (binary math, comparisons, unary ops, comprehensions…). */
  | { k: 'other'; parts: Expr[] };

/** An assignment target. */
export type Target =
  | { k: 'name'; name: string }
  /** `obj.name = …`, `obj[…] = …`, `self.x = …`: name is null for computed keys. */
  | { k: 'member'; object: Expr; name: string | null }
  /** Destructuring / tuple unpacking. `key` is the property name for object patterns, else null (positional). */
  | { k: 'pattern'; items: { key: string | null; target: Target }[]; rest?: Target };

export type Stmt =
  /** Assignment or declaration with initialiser (also augmented `+=`: emit value as concat of target and rhs). */
  | { k: 'assign'; target: Target; value: Expr; line: number }
  | { k: 'expr'; value: Expr; line: number }
  | { k: 'return'; value: Expr | null; line: number }
  /** `if`/`elif`/`else`, `switch` cases (test = `discriminant == case`), and `&&`-guarded statements. */
  | { k: 'if'; test: Expr; body: Stmt[]; orelse: Stmt[]; line: number }
  /** `for x in iter`, `for (const x of iter)`, `while (test)`: iter's data flows into target. */
  | { k: 'loop'; target: Target | null; iter: Expr | null; body: Stmt[]; line: number }
  /** Python `with open(p) as f:` / `async with`: each item's value flows into its target. */
  | { k: 'with'; items: { value: Expr; target: Target | null }[]; body: Stmt[]; line: number }
  /** try/except/finally, plain blocks, class bodies inside functions: statements run in order. */
  | { k: 'block'; body: Stmt[]; line: number }
  /** `raise`/`throw`: kept because messages can carry data to logs; treated like an expression. */
  | { k: 'throw'; value: Expr | null; line: number };

export interface ParamFact {
  name: string;
  /** Default value (Python `x=Field(description=...)` keeps the Field call here). */
  default?: Expr;
  /** Type annotation as source text (`str`, `Annotated[str, Field(description="…")]`, `string`). */
  annotation?: string;
  /** Python `Annotated[...]` metadata or other per-parameter description expressions. */
  descriptionExpr?: Expr;
  /** `*args`/`...rest`. */
  rest?: boolean;
  /** Names bound by destructuring the parameter (`({ path, url }) => …`): each is tainted by the parameter. */
  destructured?: string[];
}

export interface FunctionFact {
  /** Unique within the file: qualified name (`fetch`, `Weather._run`) or `<lambda@LINE:COL>`. */
  id: string;
  /** Display name (`fetch`, `_run`, `<arrow>`). */
  name: string;
  /** Enclosing class, for methods. */
  className?: string;
  params: ParamFact[];
  line: number;
  endLine: number;
  /** Docstring (Python) or leading JSDoc text without comment markers (JS), if any. */
  doc?: string;
  body: Stmt[];
  /** Decorators as expressions (`mcp.tool()`, `tool("name")`), outermost first. */
  decorators: Expr[];
}

export interface ClassFact {
  name: string;
  line: number;
  endLine: number;
  /** Base classes / `extends` as expressions. */
  bases: Expr[];
  /** Class-level field assignments (`name = "x"`, `description: str = "…"`, TS class properties). */
  fields: { name: string; value: Expr; line: number }[];
  /** FunctionFact ids of the methods (`Weather._run`). */
  methods: string[];
}

/** `import x`, `from m import n as x`, `import x from 'm'`, `import { n as x } from 'm'`. */
export interface ImportFact {
  /** The local binding. */
  local: string;
  /**
   * Module as written, with a `node:` prefix removed. Python relative modules keep their dots
   * (`.util`, `..pkg.mod`, `.` for `from . import x`). `import os.path` binds local `os` to module `os`.
   */
  module: string;
  /** `*` for a namespace/module binding, `default` for a JS default import, else the imported name. */
  imported: string;
  line: number;
}

/** What a module exports (JS). Python modules export every top-level binding; no ExportFacts needed. */
export interface ExportFact {
  /** Exported name (`default` for default exports, `*` for `export * from`). */
  exported: string;
  /** Local binding or FunctionFact id it refers to, when defined in this file. */
  local?: string;
  /** Re-export source module (`export { a } from './x'`), as written. */
  from?: string;
  /** Name imported from `from` (`*` for namespace re-exports). */
  imported?: string;
  line: number;
}

/** A parameter read from a schema or signature by the front end. */
export interface RegisteredParam {
  name: string;
  description?: Expr;
  type?: string;
  required?: boolean;
}

/** A recognised tool registration. */
export interface RegistrationFact {
  framework: Framework;
  /** The registration call / decorator / class line. */
  line: number;
  column: number;
  /** Tool name as an expression (folded by flow.ts); null when derived from the handler (`@tool` → function name). */
  name: Expr | null;
  /** Fallback name when `name` is null: the handler function or class name. */
  defaultName?: string;
  /** Description expression (folded by flow.ts); docstrings are `str`. Null when there is none. */
  description: Expr | null;
  /** Parameters the front end read directly (Python signatures with Field/Annotated/docstring Args). */
  params: RegisteredParam[];
  /**
   * A schema expression for flow.ts to interpret when parameters are declared as data: a zod
   * object or raw shape (`{ path: z.string().describe('…') }`), a JSON Schema object literal, or a
   * reference to a variable holding one.
   */
  schema?: Expr;
  /**
   * The handler: a FunctionFact id in this file, or an expression naming a function (imported or
   * defined elsewhere) for flow.ts to resolve. For low-level MCP servers that dispatch on the tool
   * name, the front end synthesises one FunctionFact per branch (`id` like `call_tool#get_weather`,
   * params copied from the dispatcher) and points at it.
   */
  handler: { kind: 'function'; id: string } | { kind: 'expr'; expr: Expr } | null;
}

/** Something that looks like a tool registration but was not understood. Listed, never dropped. */
export interface UnresolvedRegistration {
  line: number;
  column: number;
  /** Why it was not understood, for the coverage report. */
  reason: string;
  /** A short excerpt of the source (≤ 120 chars). */
  snippet: string;
}

/**
 * A dispatch on a tool's name — a CallTool handler, or a function that switches on a tool name
 * (`switch (params.name) { case 'x': … }`, `if (name === TOOL.name)`, `HANDLERS[name](args)`) —
 * kept for the package-level step that links tool definitions written in other files to their
 * handler (flow/dispatch.ts). Keys are expressions because they may name imported constants.
 */
export interface DispatchFact {
  line: number;
  /** One per branch: the compared key and the synthesised branch function (or handler expression). */
  branches: { key: Expr; handler: NonNullable<RegistrationFact['handler']> }[];
  /** Handler maps indexed by the tool name (`HANDLERS[name]`), resolved by the engine across files. */
  maps: Expr[];
  /**
   * What runs for a tool without a branch of its own: the CallTool handler (without the other
   * tools' branches). Absent for dispatch functions, which are not known to receive every call.
   */
  fallback?: NonNullable<RegistrationFact['handler']>;
}

export interface Note {
  line: number;
  message: string;
}

export interface FileFacts {
  /** Path relative to the working directory, `/`-separated. */
  file: string;
  language: Language;
  /** Syntax errors (the rest of the file is still analysed). */
  parseErrors: Note[];
  /** Depth cuts and other places the front end gave up on. */
  notes: Note[];
  imports: ImportFact[];
  exports: ExportFact[];
  /** Includes a `<module>` function holding top-level statements (constants, module-level requires). */
  functions: FunctionFact[];
  classes: ClassFact[];
  registrations: RegistrationFact[];
  unresolved: UnresolvedRegistration[];
  /** Name dispatches for package-level handler linking (JS front end; absent elsewhere). */
  dispatches?: DispatchFact[];
}

export const MODULE_FUNCTION_ID = '<module>';
