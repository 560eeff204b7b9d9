// The abstract interpreter over one function's statements: an environment from names to abstract
// values, branches joined, loops run twice, every step counted against a budget and every
// recursion depth-capped, so hostile IR neither hangs nor overflows.

import type { Location } from '../../core/types.js';
import type { LangFamily } from '../catalog/apis.js';
import { ENV_MAPPINGS } from '../catalog/apis.js';
import { HOME_ENV_NAMES, isSecretEnvName } from '../catalog/sensitive.js';
import type { Expr, FunctionFact, Stmt, Target } from '../facts.js';
import { evalCall } from './calls.js';
import type { Engine, FileState } from './engine.js';
import { describeGate } from './gates.js';
import { mergeOverlays, Scope } from './scope.js';
import { dynamicMember } from './sinks.js';
import { EffectList, type EffectRec, type Summary } from './summary.js';
import {
  arrValue,
  concatValues,
  constStr,
  join,
  konst,
  MARK_COUNTER,
  MARK_ENVVAR,
  MAX_KEYS,
  marksOf,
  mkTaint,
  objValue,
  opaque,
  retaint,
  shapeProp,
  stepTaints,
  type Taint,
  TOP,
  taintOf,
  type V,
  withMarks,
  withTaint,
} from './values.js';

const MAX_DEPTH = 180;
const MAX_STEPS = 60_000;
const GLOBAL_OBJECTS = new Set(['globalThis', 'window', 'global', 'self']);

export class FnInterp {
  readonly effects = new EffectList();
  readonly lang: LangFamily;
  readonly file: string;
  readonly name: string;
  ret: V | undefined;
  private readonly gates: string[] = [];
  private steps = 0;
  private loopDepth = 0;
  scope: Scope;

  constructor(
    readonly engine: Engine,
    readonly st: FileState,
    readonly fn: FunctionFact,
    scope: Scope,
    readonly isModule: boolean,
  ) {
    this.lang = st.lang;
    this.file = st.facts.file;
    this.name = fn.name;
    this.scope = scope;
  }

  run(): Summary {
    this.exec(this.fn.body, 0);
    this.engine.work += this.steps;
    return { name: this.name, effects: this.effects.items, ret: this.ret ?? TOP };
  }

  loc(line: number, column?: number): Location {
    return column ? { file: this.file, line, column } : { file: this.file, line };
  }

  get gate(): string | undefined {
    return this.gates.length ? this.gates.join('; ') : undefined;
  }

  addEffect(e: Omit<EffectRec, 'callPath'>): void {
    const rec: EffectRec = { ...e, callPath: [this.name] };
    const g = this.gate;
    if (g) rec.gate = g;
    this.effects.add(rec);
  }

  /** Instantiate a callee's effects here (already substituted). */
  addCalleeEffect(e: EffectRec): void {
    this.effects.add(e);
  }

  budgetLeft(): boolean {
    return this.steps < MAX_STEPS;
  }

  // ---- statements

  exec(stmts: Stmt[], depth: number): void {
    if (depth > MAX_DEPTH) return;
    const pushed = this.gates.length;
    for (const s of stmts) {
      if (++this.steps > MAX_STEPS) break;
      const gateAfter = this.stmt(s, depth);
      if (gateAfter) this.gates.push(gateAfter);
    }
    this.gates.length = pushed;
  }

  /** Runs one statement; returns a gate for the rest of the block (an early exit under a gate). */
  private stmt(s: Stmt, depth: number): string | undefined {
    switch (s.k) {
      case 'assign': {
        // A declaration the front end could not express (`class X {}` → X = other()) keeps the
        // class or function the engine bound for it.
        if (s.value.k === 'other' && s.value.parts.length === 0 && s.target.k === 'name') {
          const cur = this.scope.get(s.target.name);
          if (cur && (cur.k === 'class' || cur.k === 'fn')) return undefined;
        }
        const v = this.eval(s.value, depth + 1);
        this.bind(s.target, v, s.line, depth + 1);
        return undefined;
      }
      case 'expr':
      case 'throw':
        if (s.value) this.eval(s.value, depth + 1);
        return undefined;
      case 'return': {
        if (s.value) {
          const v = this.eval(s.value, depth + 1);
          this.ret = join(this.ret, retaint(v, stepTaints(taintOf(v), this.loc(s.line))));
        }
        return undefined;
      }
      case 'if':
        return this.ifStmt(s, depth);
      case 'loop': {
        const iter = s.iter ? this.eval(s.iter, depth + 1) : undefined;
        // Two passes carry values around the loop; nested loops get one each (2^depth otherwise).
        const passes = this.loopDepth === 0 ? 2 : 1;
        this.loopDepth++;
        for (let pass = 0; pass < passes; pass++) {
          const base = this.scope;
          const overlay = new Scope(base);
          this.scope = overlay;
          if (s.target && iter) this.bind(s.target, elementOf(iter), s.line, depth + 1);
          this.exec(s.body, depth + 1);
          this.scope = base;
          mergeOverlays(base, overlay, undefined);
        }
        this.loopDepth--;
        return undefined;
      }
      case 'with':
        for (const item of s.items) {
          const v = this.eval(item.value, depth + 1);
          if (item.target) this.bind(item.target, v, s.line, depth + 1);
        }
        this.exec(s.body, depth + 1);
        return undefined;
      case 'block':
        this.exec(s.body, depth + 1);
        return undefined;
      default:
        return undefined;
    }
  }

  private ifStmt(s: Extract<Stmt, { k: 'if' }>, depth: number): string | undefined {
    const test = this.eval(s.test, depth + 1);
    const gate = describeGate(test, s.test, this.loc(s.line));
    const base = this.scope;
    const a = new Scope(base);
    const b = new Scope(base);
    this.scope = a;
    if (gate) this.gates.push(gate);
    this.exec(s.body, depth + 1);
    if (gate) this.gates.pop();
    this.scope = b;
    this.exec(s.orelse, depth + 1);
    this.scope = base;
    mergeOverlays(base, a, b);
    // `if (trigger) return;` gates everything after it in the block.
    if (gate && exits(s.body) && !exits(s.orelse)) return gate;
    if (gate && exits(s.orelse) && !exits(s.body)) return gate;
    return undefined;
  }

  bind(t: Target, v: V, line: number, depth: number): void {
    if (depth > MAX_DEPTH) return;
    switch (t.k) {
      case 'name': {
        let val = retaint(v, stepTaints(taintOf(v), this.loc(line)));
        if (!this.isModule && this.st.mutableGlobals.has(t.name))
          val = withTaint(val, undefined, MARK_COUNTER);
        this.scope.set(t.name, val);
        return;
      }
      case 'member':
        this.bindMember(t, v, depth);
        return;
      case 'pattern': {
        t.items.forEach((item, i) => {
          const key = item.key ?? String(i);
          const part =
            v.k === 'arr' || v.k === 'obj'
              ? (shapeProp(v, key) ?? opaque(v))
              : this.attr(v, key, false, line);
          this.bind(item.target, part, line, depth + 1);
        });
        if (t.rest) this.bind(t.rest, opaque(v), line, depth + 1);
        return;
      }
    }
  }

  private bindMember(t: Extract<Target, { k: 'member' }>, v: V, depth: number): void {
    const obj = t.object;
    // CommonJS exports.
    if (obj.k === 'name' && obj.name === 'module' && t.name === 'exports' && !this.scope.get('module')) {
      this.st.cjsWhole = v;
      return;
    }
    const isExports =
      (obj.k === 'name' && obj.name === 'exports' && !this.scope.get('exports')) ||
      (obj.k === 'attr' && obj.name === 'exports' && obj.object.k === 'name' && obj.object.name === 'module');
    if (isExports && t.name) {
      this.st.cjs.set(t.name, v);
      return;
    }
    const target = this.eval(obj, depth + 1);
    if (target.k === 'inst' && t.name) {
      this.engine.setField(target.file, target.cls, t.name, v);
      return;
    }
    // `cfg.url = …` on a local shape: rebind the variable to the updated shape.
    if (obj.k === 'name' && (target.k === 'obj' || target.k === 'top')) {
      const props = target.k === 'obj' ? new Map(target.props) : new Map<string, V>();
      if (t.name) props.set(t.name, v);
      const out: V = { k: 'obj', props };
      const rest = target.k === 'obj' ? target.rest : undefined;
      const r = t.name ? rest : join(rest, v);
      if (r) out.rest = r;
      if (target.taint) out.taint = target.taint;
      this.scope.set(obj.name, out);
    }
  }

  // ---- expressions

  eval(e: Expr, depth: number): V {
    if (depth > MAX_DEPTH || ++this.steps > MAX_STEPS) return TOP;
    switch (e.k) {
      case 'str':
        return konst(e.value);
      case 'num':
        return konst(e.value);
      case 'lit':
        return konst(e.value);
      case 'name':
        return this.lookup(e.name, e.line);
      case 'attr':
        return this.attr(this.eval(e.object, depth + 1), e.name, false, e.line);
      case 'index':
        return this.index(e, depth);
      case 'call':
        return evalCall(this, e, depth + 1);
      case 'concat':
        return concatValues(e.parts.map((p) => this.eval(p, depth + 1)));
      case 'object': {
        const entries: [string, V][] = [];
        let rest: V | undefined;
        for (const p of e.props) {
          const v = this.eval(p.value, depth + 1);
          const key = p.key ?? (p.computed ? constStr(this.eval(p.computed, depth + 1)) : undefined);
          if (key !== undefined) entries.push([key, v]);
          else if (p.computed) rest = join(rest, v);
          else if (v.k === 'obj') {
            for (const [k, pv] of v.props) entries.push([k, pv]);
            if (v.rest) rest = join(rest, v.rest);
          } else rest = join(rest, v);
        }
        return objValue(entries, rest);
      }
      case 'array':
        return arrValue(e.items.map((i) => this.eval(i, depth + 1)));
      case 'func':
        return this.funcValue(e.id);
      case 'choice': {
        if (e.test) this.eval(e.test, depth + 1);
        let out: V | undefined;
        for (const o of e.options) out = join(out, this.eval(o, depth + 1));
        return out ?? TOP;
      }
      case 'other':
        return this.other(e.parts, depth);
    }
  }

  funcValue(id: string): V {
    this.engine.recordClosure(this.file, id, this.scope);
    return { k: 'fn', file: this.file, id };
  }

  lookup(name: string, line: number): V {
    const v = this.scope.get(name);
    if (v !== undefined) {
      if (v.k === 'imp') return this.engine.deref(v);
      if (!this.isModule && this.st.mutableGlobals.has(name) && this.st.globals.get(name) === v)
        return withTaint(v.k === 'const' ? TOP : v, v.taint, MARK_COUNTER);
      return v;
    }
    if (this.lang === 'js' && GLOBAL_OBJECTS.has(name)) return { k: 'ref', path: 'globalThis' };
    void line;
    return { k: 'ref', path: name };
  }

  /** Member access `obj.name` (computed when reached by indexing or getattr). */
  attr(obj: V, name: string, computed: boolean, line: number, nameBuilt = false): V {
    switch (obj.k) {
      case 'ref': {
        if (obj.path === 'globalThis') {
          const out: V = { k: 'ref', path: name };
          if (computed || obj.obf) out.obf = true;
          return out;
        }
        if (ENV_MAPPINGS.has(obj.path) && (computed || this.lang === 'js')) {
          return this.envRead(konst(name), obj.path, this.loc(line));
        }
        const path = `${obj.path}.${name}`;
        if (path.length > 240) return opaque(obj);
        const out: V = { k: 'ref', path };
        if (obj.target) out.target = obj.target;
        if (obj.mode) out.mode = obj.mode;
        if (obj.taint) out.taint = obj.taint;
        if (obj.marks) out.marks = obj.marks;
        if (obj.obf || computed || nameBuilt) out.obf = true;
        if (ENV_MAPPINGS.has(path)) {
          out.taint = [
            mkTaint({ kind: 'secret', detail: 'entire environment', location: this.loc(line) }, []),
          ];
        }
        return out;
      }
      case 'mod':
        return this.engine.moduleExport(obj.file, name, 0);
      case 'imp':
        return this.attr(this.engine.deref(obj), name, computed, line, nameBuilt);
      case 'class':
      case 'inst': {
        const m = this.engine.methodOf(obj.file, obj.k === 'class' ? obj.name : obj.cls, name, 0);
        if (m) {
          const fnv: V = { k: 'fn', file: m.file, id: m.id };
          if (obj.k === 'inst') fnv.self = obj;
          return fnv;
        }
        const f = this.engine.field(obj.file, obj.k === 'class' ? obj.name : obj.cls, name);
        return f ?? TOP;
      }
      case 'obj':
      case 'arr':
        return shapeProp(obj, name) ?? (obj.k === 'obj' && !obj.rest ? TOP : opaque(obj));
      case 'sym':
        if (name === 'length') return withMarks(TOP, marksOf(obj));
        return {
          k: 'sym',
          index: obj.index,
          keys: obj.keys.length < MAX_KEYS ? [...obj.keys, name] : obj.keys,
        };
      case 'const':
        if (typeof obj.v === 'string' && name === 'length') return konst(obj.v.length);
        return opaque(obj);
      case 'top':
        // A length says how much, not what: it does not carry the data.
        return name === 'length' ? withMarks(TOP, marksOf(obj)) : opaque(obj);
      case 'union': {
        let out: V | undefined;
        for (const o of obj.options) out = join(out, this.attr(o, name, computed, line, nameBuilt));
        return out ?? TOP;
      }
      case 'fn':
      case 'schema':
        return TOP;
      default:
        return opaque(obj);
    }
  }

  private index(e: Extract<Expr, { k: 'index' }>, depth: number): V {
    const obj = this.eval(e.object, depth + 1);
    // Python `s[::-1]` arrives as an index by a slice whose only part is -1.
    if (e.index.k === 'other' && e.index.parts.length === 1) {
      const p = e.index.parts[0];
      if (p?.k === 'num' && p.value === -1 && obj.k === 'const' && typeof obj.v === 'string') {
        return konst([...obj.v].reverse().join(''), true);
      }
      this.eval(e.index, depth + 1);
      return opaque(obj);
    }
    const idx = this.eval(e.index, depth + 1);
    const key = constStr(idx);
    if (key !== undefined) return this.attr(obj, key, true, e.line, idx.built === true);
    if (obj.k === 'ref' && ENV_MAPPINGS.has(obj.path)) return this.envRead(idx, obj.path, this.loc(e.line));
    if (obj.k === 'ref') return dynamicMember(obj, idx);
    if (obj.k === 'obj' || obj.k === 'arr') {
      let out: V | undefined = obj.rest;
      const vals = obj.k === 'obj' ? [...obj.props.values()] : obj.items;
      for (const v of vals.slice(0, 16)) out = join(out, v);
      return withTaint(out ?? TOP, idx.taint);
    }
    return opaque(obj, idx);
  }

  /** A read of one environment variable: an `env` or `secret` effect and a tainted value. */
  envRead(nameV: V, mapping: string, loc: Location): V {
    const name = constStr(nameV);
    const secret = name !== undefined && isSecretEnvName(name);
    const effect: Omit<EffectRec, 'callPath'> = {
      capability: secret ? 'secret' : 'env',
      api: mapping,
      location: loc,
    };
    if (name !== undefined) effect.target = konst(name);
    this.addEffect(effect);
    const src: Taint = secret
      ? mkTaint({ kind: 'secret', detail: name as string, location: loc }, [])
      : mkTaint({ kind: 'env', detail: name ?? '*', location: loc }, []);
    const base: V = name !== undefined && HOME_ENV_NAMES.has(name.toUpperCase()) ? konst('~') : { k: 'top' };
    return { ...base, taint: [src], marks: MARK_ENVVAR };
  }

  private other(parts: Expr[], depth: number): V {
    // Generator/list comprehensions of `chr(c) for c in [..]` fold to the characters.
    if (parts.length === 2) {
      const [elt, iterExpr] = parts as [Expr, Expr];
      if (
        elt.k === 'call' &&
        elt.callee.k === 'name' &&
        elt.callee.name === 'chr' &&
        !this.scope.get('chr')
      ) {
        const iter = this.eval(iterExpr, depth + 1);
        if (iter.k === 'arr' && iter.items.every((i) => i.k === 'const' && typeof i.v === 'number')) {
          return arrValue(
            iter.items.map((i) =>
              konst(
                String.fromCodePoint(Math.max(0, Math.min(0x10ffff, i.k === 'const' ? Number(i.v) : 0))),
                true,
              ),
            ),
          );
        }
      }
    }
    const vals = parts.map((p) => this.eval(p, depth + 1));
    // Python `Path(...) / 'x'`: a path join.
    const first = vals[0];
    if (vals.length === 2 && first?.k === 'ref' && first.path === 'pathlib.Path()' && first.target) {
      const second = vals[1] as V;
      const seg = second.k === 'ref' && second.target ? second.target : second;
      return { ...first, target: concatValues([first.target, konst('/'), seg]) };
    }
    return opaque(...vals);
  }
}

function exits(body: Stmt[]): boolean {
  const last = body[body.length - 1];
  return last !== undefined && (last.k === 'return' || last.k === 'throw');
}

/** The element a loop over `iter` binds: an array's items joined, else opaque data of it. */
function elementOf(iter: V): V {
  if (iter.k === 'arr') {
    let out: V | undefined = iter.rest;
    for (const i of iter.items.slice(0, 16)) out = join(out, i);
    return out ?? TOP;
  }
  if (iter.k === 'sym') return { k: 'sym', index: iter.index, keys: iter.keys };
  return opaque(iter);
}
