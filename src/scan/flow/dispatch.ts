// Package-level handler linking: a tool definition written in one file (`{ name, description,
// inputSchema }` in tools/get.js) and the dispatch that runs it in another (a CallTool handler's
// `switch (request.params.name)`, a `handleToolCall(name, args)` switch, a handler map
// `{ [TOOL.name]: handler }` or `HANDLERS[tool.name]`). The front ends record each dispatch with
// its keys as expressions (DispatchFact); here the keys fold in their own file's scope, so an
// imported `TOOL.name` or a constants module resolves, and each tool name maps to its branch.

import type { DispatchFact, FileFacts, FunctionFact, RegistrationFact } from '../facts.js';
import type { Engine, FileState } from './engine.js';
import { FnInterp } from './interp.js';
import { constStr, type V } from './values.js';

export interface LinkedHandler {
  file: string;
  handler: NonNullable<RegistrationFact['handler']>;
}

const PLACEHOLDER_FN: FunctionFact = {
  id: '<dispatch>',
  name: '<dispatch>',
  params: [],
  line: 1,
  endLine: 1,
  body: [],
  decorators: [],
};

/** Bound on map entries read per dispatch (hostile maps stay linear). */
const MAX_MAP_ENTRIES = 5_000;

export class PackageDispatch {
  private byName: Map<string, LinkedHandler[]> | undefined;
  private readonly fallbacks: LinkedHandler[] = [];

  constructor(
    private readonly engine: Engine,
    private readonly files: readonly FileFacts[],
  ) {}

  /** The handler a definition-only tool named `name` in `file` gets, if any dispatch names it. */
  handlerFor(name: string, file: string): LinkedHandler | undefined {
    const byName = this.build();
    const named = byName.get(name);
    if (named && named.length > 0) return nearest(named, file);
    // A CallTool handler with no branch for the name runs it (`callTool(request.params.name, …)`).
    return this.fallbacks.length > 0 ? nearest(this.fallbacks, file) : undefined;
  }

  private build(): Map<string, LinkedHandler[]> {
    if (this.byName) return this.byName;
    const byName = new Map<string, LinkedHandler[]>();
    this.byName = byName;
    const add = (name: string, link: LinkedHandler): void => {
      const list = byName.get(name);
      if (!list) byName.set(name, [link]);
      else if (!list.some((l) => l.file === link.file)) list.push(link);
    };
    for (const facts of this.files) {
      if (!facts.dispatches?.length) continue;
      const st = this.engine.state(facts.file) as FileState | undefined;
      if (!st) continue;
      for (const d of facts.dispatches) this.read(facts.file, st, d, add);
    }
    return byName;
  }

  private read(
    file: string,
    st: FileState,
    d: DispatchFact,
    add: (name: string, link: LinkedHandler) => void,
  ): void {
    // Keys and maps are module-level references (imports, constants): the module scope folds them.
    const ev = new FnInterp(this.engine, st, PLACEHOLDER_FN, st.globals, true);
    for (const b of d.branches) {
      const key = constStr(ev.eval(b.key, 0));
      if (key === undefined) continue;
      // A map entry is a handler only when it is code (`DESCRIPTIONS[name]` maps to text).
      if (b.handler.kind === 'expr' && !isCode(this.engine.deref(ev.eval(b.handler.expr, 0)))) continue;
      add(key, { file, handler: b.handler });
    }
    for (const m of d.maps) {
      const map = this.engine.deref(ev.eval(m, 0));
      if (map.k !== 'obj') continue;
      let budget = MAX_MAP_ENTRIES;
      for (const [key, value] of map.props) {
        if (budget-- <= 0) break;
        const fn = this.engine.deref(value);
        if (fn.k === 'union') {
          const only = fn.options.filter((o) => o.k === 'fn');
          if (only.length === 1 && only[0]?.k === 'fn')
            add(key, { file: only[0].file, handler: { kind: 'function', id: only[0].id } });
        } else if (fn.k === 'fn') add(key, { file: fn.file, handler: { kind: 'function', id: fn.id } });
      }
    }
    if (d.fallback) this.fallbacks.push({ file, handler: d.fallback });
  }
}

function isCode(v: V): boolean {
  if (v.k === 'union') return v.options.some(isCode);
  return v.k === 'fn' || v.k === 'class' || v.k === 'inst';
}

/**
 * The candidate closest to the tool's file (longest shared directory prefix), so a package that
 * ships `src/` and `dist/` links each copy to its own dispatch; ties keep the first.
 */
function nearest(links: readonly LinkedHandler[], file: string): LinkedHandler | undefined {
  let best: LinkedHandler | undefined;
  let bestScore = -1;
  for (const l of links) {
    const score = sharedDirs(l.file, file);
    if (score > bestScore) {
      best = l;
      bestScore = score;
    }
  }
  return best;
}

function sharedDirs(a: string, b: string): number {
  const pa = a.split('/');
  const pb = b.split('/');
  let n = 0;
  while (n < pa.length - 1 && n < pb.length - 1 && pa[n] === pb[n]) n++;
  return n;
}
