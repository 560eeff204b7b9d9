// The package-wide state of the analysis: each file's module scope (evaluated once, lazily, in
// import order), exports (ESM, CommonJS, re-exports), classes and their fields, closures, and the
// function summaries (computed once each; recursion and deep call chains are cut).

import type { Location } from '../../core/types.js';
import type { LangFamily } from '../catalog/apis.js';
import { sensitiveKindOfPath } from '../catalog/sensitive.js';
import { type Expr, type FileFacts, type FunctionFact, MODULE_FUNCTION_ID } from '../facts.js';
import { bindArgs, mutableGlobals, type Specialisation, specialisation } from './binding.js';
import type { CallArgs } from './call-args.js';
import { ClosureRunner } from './closures.js';
import { FnInterp } from './interp.js';
import { canonicalModule, type PackageIndex } from './modules.js';
import { Scope } from './scope.js';
import { hasSym, Substitution, type Summary } from './summary.js';
import { join, mkTaint, opaque, render, retaint, shapeProp, type Taint, TOP, type V } from './values.js';

const MAX_CALL_DEPTH = 40;
const MAX_SPECIALISATIONS = 8;

const MAX_EXPORT_DEPTH = 12;

export interface FileState {
  facts: FileFacts;
  lang: LangFamily;
  globals: Scope;
  cjs: Map<string, V>;
  cjsWhole?: V;
  status: 'busy' | 'done';
  moduleSummary?: Summary;
  /** Module globals that functions assign: reads of them inside functions are counters. */
  mutableGlobals: Set<string>;
  /** Function id → ids of functions declared directly inside it. */
  nested: Map<string, FunctionFact[]>;
  /** Function id → the function whose lines contain it (for closures not yet seen). */
  container?: Map<string, string>;
}

const EMPTY_MODULE: FunctionFact = {
  id: MODULE_FUNCTION_ID,
  name: MODULE_FUNCTION_ID,
  params: [],
  line: 1,
  endLine: 1,
  body: [],
  decorators: [],
};

export class Engine {
  private readonly states = new Map<string, FileState>();
  /** Summaries by `file#id`; null while being computed (recursion). */
  private readonly summaries = new Map<string, Summary | null>();
  private readonly closures = new Map<string, Scope>();
  readonly finalScopes = new Map<string, Scope>();
  private readonly fields = new Map<string, Map<string, V>>();
  private readonly fieldsInit = new Set<string>();
  private readonly specCounts = new Map<string, number>();
  private readonly exportCache = new Map<string, V>();
  private depth = 0;
  /** Interpreter steps spent so far (for scaling tests and benchmarks). */
  work = 0;
  private readonly closureRunner = new ClosureRunner(this);

  constructor(readonly index: PackageIndex) {}

  state(file: string): FileState | undefined {
    const existing = this.states.get(file);
    if (existing) return existing;
    const facts = this.index.files.get(file);
    if (!facts) return undefined;
    const st: FileState = {
      facts,
      lang: facts.language === 'python' ? 'py' : 'js',
      globals: new Scope(),
      cjs: new Map(),
      status: 'busy',
      mutableGlobals: new Set(),
      nested: new Map(),
    };
    this.states.set(file, st);
    this.bindDeclarations(st);
    const moduleFn = facts.functions.find((f) => f.id === MODULE_FUNCTION_ID) ?? EMPTY_MODULE;
    st.mutableGlobals = mutableGlobals(facts, moduleFn);
    const ip = new FnInterp(this, st, moduleFn, st.globals, true);
    st.moduleSummary = ip.run();
    st.status = 'done';
    return st;
  }

  private bindDeclarations(st: FileState): void {
    const { facts, globals } = st;
    const fnIds = new Set(facts.functions.map((f) => f.id));
    for (const fn of facts.functions) {
      if (fn.id === MODULE_FUNCTION_ID || fn.id.startsWith('<')) continue;
      const dot = fn.id.lastIndexOf('.');
      if (dot < 0) {
        if (!fn.className) globals.set(fn.id, { k: 'fn', file: facts.file, id: fn.id });
        continue;
      }
      const parent = fn.id.slice(0, dot);
      if (fnIds.has(parent) && !fn.className) {
        let list = st.nested.get(parent);
        if (!list) {
          list = [];
          st.nested.set(parent, list);
        }
        list.push(fn);
      }
    }
    for (const c of facts.classes) globals.set(c.name, { k: 'class', file: facts.file, name: c.name });
    for (const imp of facts.imports) globals.set(imp.local, this.importValue(st, imp.module, imp.imported));
  }

  private importValue(st: FileState, module: string, imported: string): V {
    const from = st.facts.file;
    if (st.lang === 'py') {
      if (imported !== '*') {
        const subSpec = /^\.+$/.test(module) ? module + imported : `${module}.${imported}`;
        const sub = this.index.resolve(from, subSpec);
        if (sub) return { k: 'mod', file: sub };
      }
      const file = this.index.resolve(from, module);
      if (file) return imported === '*' ? { k: 'mod', file } : { k: 'imp', file, name: imported };
      if (module.startsWith('.')) return TOP;
      return { k: 'ref', path: imported === '*' ? module : `${module}.${imported}` };
    }
    const file = this.index.resolve(from, module);
    if (file) return imported === '*' ? { k: 'mod', file } : { k: 'imp', file, name: imported };
    if (module.startsWith('.')) return TOP;
    const canonical = canonicalModule(module);
    return {
      k: 'ref',
      path: imported === '*' || imported === 'default' ? canonical : `${canonical}.${imported}`,
    };
  }

  recordClosure(file: string, id: string, scope: Scope): void {
    const key = `${file}#${id}`;
    if (!this.closures.has(key)) this.closures.set(key, scope);
  }

  /** The module summary (import-time effects) of a file. */
  moduleSummary(file: string): Summary | undefined {
    return this.state(file)?.moduleSummary;
  }

  /**
   * The summary of a function. `spec` specialises it for arguments that are functions, classes,
   * instances, modules or API references (callbacks handed `fs`, helpers handed a client): those
   * parameters are bound to the concrete value instead of a symbol. Specialisations are capped.
   */
  summary(file: string, id: string, spec?: Specialisation): Summary | undefined {
    const key = spec ? `${file}#${id}|${spec.key}` : `${file}#${id}`;
    const got = this.summaries.get(key);
    if (got !== undefined) return got ?? undefined;
    const st = this.state(file);
    const fn = this.index.fn(file, id);
    if (!st || !fn) return undefined;
    if (id === MODULE_FUNCTION_ID) return st.moduleSummary;
    if (this.depth >= MAX_CALL_DEPTH) return undefined;
    if (spec) {
      const n = this.specCounts.get(`${file}#${id}`) ?? 0;
      if (n >= MAX_SPECIALISATIONS) return undefined;
      this.specCounts.set(`${file}#${id}`, n + 1);
    }
    this.summaries.set(key, null);
    this.depth++;
    try {
      const parent = this.closureOf(st, fn);
      const scope = new Scope(parent);
      for (const child of st.nested.get(fn.id) ?? []) {
        scope.set(child.name, { k: 'fn', file, id: child.id });
        this.recordClosure(file, child.id, scope);
      }
      fn.params.forEach((p, i) => {
        const bound = spec?.args.get(i);
        if (bound) {
          // Concrete, but its data still maps back to the caller's argument.
          scope.set(p.name, retaint(bound, [mkTaint({ kind: 'formal', index: i, keys: [] }, [])]));
          return;
        }
        if (i === 0 && fn.className && st.lang === 'py' && (p.name === 'self' || p.name === 'cls')) {
          scope.set(
            p.name,
            p.name === 'self'
              ? { k: 'inst', file, cls: fn.className }
              : { k: 'class', file, name: fn.className },
          );
          return;
        }
        scope.set(p.name, { k: 'sym', index: i, keys: [] });
        for (const d of p.destructured ?? []) scope.set(d, { k: 'sym', index: i, keys: [d] });
      });
      if (st.lang === 'js' && (spec?.self || fn.className)) {
        scope.set('this', spec?.self ?? { k: 'inst', file, cls: fn.className as string });
      }
      const ip = new FnInterp(this, st, fn, scope, false);
      const s = ip.run();
      this.summaries.set(key, s);
      if (!spec) this.finalScopes.set(key, scope);
      return s;
    } finally {
      this.depth--;
    }
  }

  private closureOf(st: FileState, fn: FunctionFact): Scope {
    const key = `${st.facts.file}#${fn.id}`;
    const known = this.closures.get(key);
    if (known) return known;
    const containerId = this.containerOf(st, fn.id);
    if (containerId && containerId !== MODULE_FUNCTION_ID) {
      this.summary(st.facts.file, containerId);
      const after = this.closures.get(key) ?? this.finalScopes.get(`${st.facts.file}#${containerId}`);
      if (after) return after;
    }
    return st.globals;
  }

  /** The innermost function whose lines contain `id` (computed once per file by a sweep). */
  containerOf(st: FileState, id: string): string | undefined {
    if (!st.container) {
      const map = new Map<string, string>();
      const fns = st.facts.functions
        .filter((f) => f.id !== MODULE_FUNCTION_ID)
        .slice()
        .sort((a, b) => a.line - b.line || b.endLine - a.endLine);
      const stack: FunctionFact[] = [];
      for (const f of fns) {
        while (stack.length && (stack[stack.length - 1] as FunctionFact).endLine < f.endLine) stack.pop();
        // Functions on the same lines (`p.then((a) => …).then((b) => …)`) may be siblings: the
        // container is the nearest function that spans more lines.
        for (let k = stack.length - 1; k >= 0; k--) {
          const top = stack[k] as FunctionFact;
          if (top.line === f.line && top.endLine === f.endLine) continue;
          if (top.line <= f.line && top.endLine >= f.endLine) map.set(f.id, top.id);
          break;
        }
        stack.push(f);
      }
      st.container = map;
    }
    return st.container.get(id);
  }

  /**
   * The scope a registration at `line` of `file` sees: its innermost function's, else the
   * module's. `exclude` names the functions written inside the registration itself (the handler).
   */
  scopeAt(file: string, line: number, exclude: ReadonlySet<string> = new Set()): Scope | undefined {
    const st = this.state(file);
    if (!st) return undefined;
    let best: FunctionFact | undefined;
    for (const f of st.facts.functions) {
      if (f.id === MODULE_FUNCTION_ID || f.line > line || f.endLine < line || exclude.has(f.id)) continue;
      if (!best || f.line >= best.line) best = f;
    }
    if (best) {
      this.summary(file, best.id);
      const s = this.finalScopes.get(`${file}#${best.id}`);
      if (s) return s;
    }
    return st.globals;
  }

  // ---- calls

  invoke(ip: FnInterp, fnV: V & { k: 'fn' }, call: CallArgs): V {
    const fn = this.index.fn(fnV.file, fnV.id);
    if (!fn) return opaque(...call.args);
    const inline = this.closureRunner.run(ip, fnV, call);
    if (inline) return inline;
    const lang = this.state(fnV.file)?.lang ?? 'js';
    const args = bindArgs(fn, call, fnV.self, lang);
    const spec = specialisation(fn, args, fnV.self, lang);
    const s = (spec && this.summary(fnV.file, fnV.id, spec)) || this.summary(fnV.file, fnV.id);
    if (!s) return opaque(...call.args, ...call.kwargs.values());
    const sub = new Substitution(args, call.loc);
    for (const e of s.effects) ip.addCalleeEffect(sub.effect(e, ip.name, ip.gate));
    return sub.value(s.ret);
  }

  construct(ip: FnInterp, cls: V & { k: 'class' }, call: CallArgs): V {
    const inst: V = { k: 'inst', file: cls.file, cls: cls.name };
    const lang = this.state(cls.file)?.lang;
    const ctor = this.methodOf(cls.file, cls.name, lang === 'py' ? '__init__' : 'constructor', 0);
    if (ctor) {
      this.invoke(ip, { k: 'fn', file: ctor.file, id: ctor.id, self: inst }, call);
      // TypeScript parameter properties (`constructor(private url: string)`) assign implicitly.
      const fn = lang === 'js' ? this.index.fn(ctor.file, ctor.id) : undefined;
      fn?.params.forEach((p, i) => {
        const arg = call.args[i];
        if (arg && !p.rest && this.fields.get(`${cls.file}#${cls.name}`)?.get(p.name) === undefined) {
          this.setField(cls.file, cls.name, p.name, arg);
        }
      });
    }
    return inst;
  }

  methodOf(file: string, cls: string, name: string, depth: number): { file: string; id: string } | undefined {
    if (depth > 5) return undefined;
    const c = this.index.cls(file, cls);
    if (!c) return undefined;
    const id = `${cls}.${name}`;
    if (c.methods.includes(id)) return { file, id };
    for (const base of this.basesOf(file, cls)) {
      const m = this.methodOf(base.file, base.name, name, depth + 1);
      if (m) return m;
    }
    return undefined;
  }

  private basesOf(file: string, cls: string): { file: string; name: string }[] {
    const c = this.index.cls(file, cls);
    const st = this.state(file);
    if (!c || !st) return [];
    const out: { file: string; name: string }[] = [];
    for (const b of c.bases) {
      const v = this.evalInModule(st, b);
      if (v.k === 'class' && !(v.file === file && v.name === cls)) out.push({ file: v.file, name: v.name });
    }
    return out;
  }

  private evalInModule(st: FileState, e: Expr): V {
    const moduleFn = st.facts.functions.find((f) => f.id === MODULE_FUNCTION_ID) ?? EMPTY_MODULE;
    const ip = new FnInterp(this, st, moduleFn, st.globals, true);
    return ip.eval(e, 0);
  }

  field(file: string, cls: string, name: string): V | undefined {
    const key = `${file}#${cls}`;
    if (!this.fieldsInit.has(key)) {
      this.fieldsInit.add(key);
      const st = this.state(file);
      const c = this.index.cls(file, cls);
      if (st && c) {
        for (const f of c.fields) this.setField(file, cls, f.name, this.evalInModule(st, f.value));
        const ctor = this.methodOf(file, cls, st.lang === 'py' ? '__init__' : 'constructor', 0);
        if (ctor) this.summary(ctor.file, ctor.id);
      }
    }
    const own = this.fields.get(key)?.get(name);
    if (own) return own;
    for (const b of this.basesOf(file, cls)) {
      const v = b.file === file && b.name === cls ? undefined : this.field(b.file, b.name, name);
      if (v) return v;
    }
    return undefined;
  }

  setField(file: string, cls: string, name: string, v: V): void {
    const key = `${file}#${cls}`;
    let m = this.fields.get(key);
    if (!m) {
      m = new Map();
      this.fields.set(key, m);
    }
    // A field outlives the call that set it: formal parameters mean nothing elsewhere.
    const clean = hasSym(v) || v.k === 'sym' ? opaque() : v;
    const taint = clean.taint?.filter((t) => t.src.kind !== 'formal' && t.src.kind !== 'file');
    const stored = taint?.length ? { ...clean, taint } : { ...clean, taint: undefined };
    if (!stored.taint) delete stored.taint;
    m.set(name, join(m.get(name), stored));
  }

  // ---- modules

  deref(v: V): V {
    let cur = v;
    for (let i = 0; i < 10 && cur.k === 'imp'; i++) cur = this.moduleExport(cur.file, cur.name, 0);
    return cur.k === 'imp' ? TOP : cur;
  }

  moduleExport(file: string, name: string, depth: number): V {
    const key = `${file}\0${name}`;
    const cached = this.exportCache.get(key);
    if (cached) return cached;
    const v = this.resolveExport(file, name, depth);
    // Only settled answers are kept: an import cycle still being evaluated may answer TOP for now.
    if (v.k !== 'top' && this.states.get(file)?.status === 'done') this.exportCache.set(key, v);
    return v;
  }

  private resolveExport(file: string, name: string, depth: number): V {
    if (depth > MAX_EXPORT_DEPTH) return TOP;
    const st = this.state(file);
    if (!st) return TOP;
    for (const e of st.facts.exports) {
      if (e.exported !== name) continue;
      if (e.from !== undefined) {
        const target = this.index.resolve(file, e.from);
        const imported = e.imported ?? name;
        if (target)
          return imported === '*'
            ? { k: 'mod', file: target }
            : this.moduleExport(target, imported, depth + 1);
        const canonical = canonicalModule(e.from);
        return {
          k: 'ref',
          path: imported === '*' || imported === 'default' ? canonical : `${canonical}.${imported}`,
        };
      }
      if (e.local !== undefined) {
        const v = st.globals.get(e.local);
        if (v) return v.k === 'imp' ? this.moduleExport(v.file, v.name, depth + 1) : v;
        if (this.index.fn(file, e.local)) return { k: 'fn', file, id: e.local };
      }
    }
    const cjs = st.cjs.get(name);
    if (cjs) return cjs;
    if (st.cjsWhole) {
      if (name === 'default') return st.cjsWhole;
      const p = shapeProp(st.cjsWhole, name);
      if (p) return p;
    }
    const g = st.globals.get(name);
    if (g && (st.lang === 'py' || st.facts.exports.length === 0)) {
      return g.k === 'imp' ? this.moduleExport(g.file, g.name, depth + 1) : g;
    }
    for (const e of st.facts.exports) {
      if (e.exported !== '*' || e.from === undefined) continue;
      const target = this.index.resolve(file, e.from);
      if (!target) continue;
      const v = this.moduleExport(target, name, depth + 1);
      if (v.k !== 'top') return v;
    }
    return TOP;
  }

  /** Reading a file at `target` yields its content: a secret when the place is sensitive. */
  fileSource(target: V, loc: Location, moduleLevel = false): Taint | undefined {
    const path = render(target);
    const sensitive = sensitiveKindOfPath(path);
    if (sensitive && path) return mkTaint({ kind: 'secret', detail: path, location: loc, sensitive }, []);
    // At import time every read is marked, so a tool that uses what was read can be told apart.
    if (hasSym(target) || moduleLevel) return mkTaint({ kind: 'file', target, location: loc }, []);
    return undefined;
  }
}
