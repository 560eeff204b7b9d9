// Variable scopes of the abstract interpreter. A function's scope sits on its closure scope (the
// enclosing function's, or the module's globals); branches and loop bodies run in overlays whose
// writes are joined back into the scope they came from.

import { join, type V } from './values.js';

export class Scope {
  readonly vars = new Map<string, V>();

  constructor(readonly parent?: Scope) {}

  get(name: string): V | undefined {
    for (let s: Scope | undefined = this; s; s = s.parent) {
      const v = s.vars.get(name);
      if (v !== undefined) return v;
    }
    return undefined;
  }

  /** Whether `name` is bound in this scope itself (not an ancestor). */
  hasOwn(name: string): boolean {
    return this.vars.has(name);
  }

  set(name: string, v: V): void {
    this.vars.set(name, v);
  }
}

/** Join the writes of two overlays of `base` (either may be absent: a branch not taken) into `base`. */
export function mergeOverlays(base: Scope, a: Scope, b: Scope | undefined): void {
  const names = new Set<string>(a.vars.keys());
  if (b) for (const n of b.vars.keys()) names.add(n);
  for (const n of names) {
    const va = a.get(n);
    const vb = b ? b.get(n) : base.get(n);
    base.set(n, join(va, vb));
  }
}
