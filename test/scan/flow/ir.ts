// Terse builders for the scanner IR (src/scan/facts.ts), so flow-engine tests read like the code
// they stand for. Dotted strings are member chains: `call('requests.post', [s('u')])`.

import type { Framework, Language } from '../../../src/core/types.js';
import type {
  ClassFact,
  ExportFact,
  Expr,
  FileFacts,
  FunctionFact,
  ImportFact,
  ParamFact,
  RegisteredParam,
  RegistrationFact,
  Stmt,
  Target,
} from '../../../src/scan/facts.js';

export const s = (value: string): Expr => ({ k: 'str', value });
export const n = (value: number): Expr => ({ k: 'num', value });
export const lit = (value: boolean | null): Expr => ({ k: 'lit', value });
export const id = (name: string, line = 1): Expr => ({ k: 'name', name, line });

/** `a.b.c` as a member chain (a bare name when there is no dot). */
export function path(dotted: string, line = 1): Expr {
  const [first, ...rest] = dotted.split('.');
  let e: Expr = id(first as string, line);
  for (const r of rest) e = { k: 'attr', object: e, name: r, line };
  return e;
}

export const at = (object: Expr | string, name: string, line = 1): Expr => ({
  k: 'attr',
  object: typeof object === 'string' ? path(object, line) : object,
  name,
  line,
});
export const ix = (object: Expr | string, index: Expr, line = 1): Expr => ({
  k: 'index',
  object: typeof object === 'string' ? path(object, line) : object,
  index,
  line,
});

export interface CallOpts {
  kw?: Record<string, Expr>;
  line?: number;
  col?: number;
  isNew?: boolean;
}

export function call(callee: Expr | string, args: Expr[] = [], opts: CallOpts = {}): Expr {
  const line = opts.line ?? 1;
  const e: Expr = {
    k: 'call',
    callee: typeof callee === 'string' ? path(callee, line) : callee,
    args,
    kwargs: Object.entries(opts.kw ?? {}).map(([name, value]) => ({ name, value })),
    line,
    column: opts.col ?? 1,
  };
  if (opts.isNew) e.isNew = true;
  return e;
}

export const newCall = (callee: Expr | string, args: Expr[] = [], opts: CallOpts = {}): Expr =>
  call(callee, args, { ...opts, isNew: true });
export const cat = (...parts: Expr[]): Expr => ({ k: 'concat', parts });
export const arr = (...items: Expr[]): Expr => ({ k: 'array', items });
export const other = (...parts: Expr[]): Expr => ({ k: 'other', parts });
export const choice = (...options: Expr[]): Expr => ({ k: 'choice', options });
export const func = (fid: string): Expr => ({ k: 'func', id: fid });

/** Object literal; a key starting with `...` is a spread of its value. */
export function obj(props: Record<string, Expr>): Expr {
  return {
    k: 'object',
    props: Object.entries(props).map(([key, value]) => ({ key: key.startsWith('...') ? null : key, value })),
  };
}

// ---- targets and statements

export const tname = (name: string): Target => ({ k: 'name', name });
export const tmember = (object: Expr | string, name: string | null): Target => ({
  k: 'member',
  object: typeof object === 'string' ? path(object) : object,
  name,
});
export const tpattern = (keys: Record<string, string> | string[]): Target => ({
  k: 'pattern',
  items: Array.isArray(keys)
    ? keys.map((k) => ({ key: null, target: tname(k) }))
    : Object.entries(keys).map(([key, local]) => ({ key, target: tname(local) })),
});

export const assign = (target: string | Target, value: Expr, line = 1): Stmt => ({
  k: 'assign',
  target: typeof target === 'string' ? tname(target) : target,
  value,
  line,
});
export const ex = (value: Expr, line = 1): Stmt => ({ k: 'expr', value, line });
export const ret = (value: Expr | null, line = 1): Stmt => ({ k: 'return', value, line });
export const when = (test: Expr, body: Stmt[], orelse: Stmt[] = [], line = 1): Stmt => ({
  k: 'if',
  test,
  body,
  orelse,
  line,
});
export const loop = (target: string | null, iter: Expr | null, body: Stmt[], line = 1): Stmt => ({
  k: 'loop',
  target: target ? tname(target) : null,
  iter,
  body,
  line,
});
export const withStmt = (value: Expr, target: string | null, body: Stmt[], line = 1): Stmt => ({
  k: 'with',
  items: [{ value, target: target ? tname(target) : null }],
  body,
  line,
});
export const block = (...body: Stmt[]): Stmt => ({ k: 'block', body, line: 1 });
export const raise = (value: Expr, line = 1): Stmt => ({ k: 'throw', value, line });

// ---- declarations

export interface FnOpts {
  className?: string;
  line?: number;
  endLine?: number;
  name?: string;
  doc?: string;
}

export function fn(
  fid: string,
  params: (string | ParamFact)[],
  body: Stmt[],
  opts: FnOpts = {},
): FunctionFact {
  const f: FunctionFact = {
    id: fid,
    name: opts.name ?? fid.slice(fid.lastIndexOf('.') + 1),
    params: params.map((p) => (typeof p === 'string' ? { name: p } : p)),
    line: opts.line ?? 1,
    endLine: opts.endLine ?? opts.line ?? 1,
    body,
    decorators: [],
  };
  if (opts.className) f.className = opts.className;
  if (opts.doc) f.doc = opts.doc;
  return f;
}

export const imp = (local: string, module: string, imported = '*', line = 1): ImportFact => ({
  local,
  module,
  imported,
  line,
});

export const exp = (exported: string, more: Partial<ExportFact> = {}): ExportFact => ({
  exported,
  line: 1,
  ...more,
});

export function cls(name: string, methods: string[], more: Partial<ClassFact> = {}): ClassFact {
  return {
    name,
    line: 1,
    endLine: 1,
    bases: [],
    fields: [],
    methods: methods.map((m) => `${name}.${m}`),
    ...more,
  };
}

export interface RegOpts {
  framework?: Framework;
  name?: Expr | string | null;
  defaultName?: string;
  description?: Expr | string | null;
  params?: RegisteredParam[];
  schema?: Expr;
  handler?: string | Expr | null;
  line?: number;
}

export function reg(opts: RegOpts): RegistrationFact {
  const r: RegistrationFact = {
    framework: opts.framework ?? 'mcp-sdk',
    line: opts.line ?? 1,
    column: 1,
    name: typeof opts.name === 'string' ? s(opts.name) : (opts.name ?? null),
    description: typeof opts.description === 'string' ? s(opts.description) : (opts.description ?? null),
    params: opts.params ?? [],
    handler:
      opts.handler === undefined || opts.handler === null
        ? null
        : typeof opts.handler === 'string'
          ? { kind: 'function', id: opts.handler }
          : { kind: 'expr', expr: opts.handler },
  };
  if (opts.defaultName) r.defaultName = opts.defaultName;
  if (opts.schema) r.schema = opts.schema;
  return r;
}

export interface FileOpts {
  language?: Language;
  module?: Stmt[];
  imports?: ImportFact[];
  exports?: ExportFact[];
  functions?: FunctionFact[];
  classes?: ClassFact[];
  registrations?: RegistrationFact[];
}

/** A FileFacts; `module` statements become the `<module>` function. */
export function file(name: string, opts: FileOpts = {}): FileFacts {
  const language =
    opts.language ?? (name.endsWith('.py') ? 'python' : name.endsWith('.js') ? 'javascript' : 'typescript');
  return {
    file: name,
    language,
    parseErrors: [],
    notes: [],
    imports: opts.imports ?? [],
    exports: opts.exports ?? [],
    functions: [
      fn('<module>', [], opts.module ?? [], { line: 1, endLine: 100000 }),
      ...(opts.functions ?? []),
    ],
    classes: opts.classes ?? [],
    registrations: opts.registrations ?? [],
    unresolved: [],
  };
}
