// Closures run where they are called. A function written inside the function being interpreted
// (a callback: `new Promise((resolve) => exec(command, …))`, `.then((x) => fetch(url + x))`,
// `setTimeout(() => …)`, `items.map((i) => …)`) reads the enclosing function's variables. Its
// stand-alone summary would see the enclosing parameters as symbols of the wrong function, so it
// is interpreted inline instead, on the caller's live scope: captured parameters stay the
// enclosing function's, and their flows survive. Bounded: inline depth, no recursion into a
// closure already being inlined, and a total budget per analysis.

import { MODULE_FUNCTION_ID } from '../facts.js';
import { bindArgs } from './binding.js';
import type { CallArgs } from './call-args.js';
import type { Engine } from './engine.js';
import { FnInterp } from './interp.js';
import { Scope } from './scope.js';
import type { EffectRec } from './summary.js';
import { opaque, shapeProp, type V } from './values.js';

const MAX_INLINE_DEPTH = 6;
const MAX_INLINE_RUNS = 20_000;
const MAX_CALL_PATH = 16;

export class ClosureRunner {
  private readonly active = new Set<string>();
  private runs = 0;

  constructor(private readonly engine: Engine) {}

  /** Whether function `id` of `file` is written inside function `outer` (at any depth). */
  private within(file: string, id: string, outer: string): boolean {
    const st = this.engine.state(file);
    if (!st || outer === MODULE_FUNCTION_ID) return false;
    let cur: string | undefined = id;
    for (let i = 0; i < 32 && cur; i++) {
      cur = this.engine.containerOf(st, cur);
      if (cur === outer) return true;
    }
    return false;
  }

  /** The closure's result when it was run inline; undefined when it must be summarised instead. */
  run(ip: FnInterp, fnV: V & { k: 'fn' }, call: CallArgs): V | undefined {
    if (fnV.file !== ip.file || fnV.self) return undefined;
    const key = `${fnV.file}#${fnV.id}`;
    if (this.active.has(key) || this.active.size >= MAX_INLINE_DEPTH || this.runs >= MAX_INLINE_RUNS)
      return undefined;
    if (!this.within(fnV.file, fnV.id, ip.fn.id)) return undefined;
    const st = this.engine.state(fnV.file);
    const fn = this.engine.index.fn(fnV.file, fnV.id);
    if (!st || !fn) return undefined;
    this.runs++;
    this.active.add(key);
    try {
      const scope = new Scope(ip.scope);
      for (const child of st.nested.get(fn.id) ?? []) {
        scope.set(child.name, { k: 'fn', file: fnV.file, id: child.id });
        this.engine.recordClosure(fnV.file, child.id, scope);
      }
      const args = bindArgs(fn, call, undefined, st.lang);
      fn.params.forEach((p, i) => {
        const a = args[i] ?? opaque();
        scope.set(p.name, a);
        for (const d of p.destructured ?? []) scope.set(d, shapeProp(a, d) ?? opaque(a));
      });
      const inner = new FnInterp(this.engine, st, fn, scope, false);
      const s = inner.run();
      for (const e of s.effects) ip.addCalleeEffect(this.lift(e, ip));
      return s.ret;
    } finally {
      this.active.delete(key);
    }
  }

  /** The closure's effect as the caller's: its call path and gate extended, values unchanged. */
  private lift(e: EffectRec, ip: FnInterp): EffectRec {
    const out: EffectRec = { ...e, callPath: [ip.name, ...e.callPath].slice(0, MAX_CALL_PATH) };
    const gate = ip.gate;
    const g = e.gate && gate ? `${gate}; ${e.gate}` : (e.gate ?? gate);
    if (g) out.gate = g;
    else delete out.gate;
    return out;
  }
}
