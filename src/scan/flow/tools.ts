// Tool assembly: one ToolDefinition per registration — name, description and parameters folded
// from the registration's expressions in the scope it sits in, the handler resolved, and the
// handler's summary (plus the registration file's import-time effects) turned into Effects and
// Flows with parameter names for the handler's formals.

import type { DataSource, Effect, Flow, Location, ToolDefinition, ToolParameter } from '../../core/types.js';
import { sensitiveKindOfPath } from '../catalog/sensitive.js';
import {
  type Expr,
  type FileFacts,
  type FunctionFact,
  MODULE_FUNCTION_ID,
  type RegistrationFact,
} from '../facts.js';
import type { PackageDispatch } from './dispatch.js';
import type { Engine, FileState } from './engine.js';
import { FnInterp } from './interp.js';
import { parametersFromSchema } from './schema.js';
import { type EffectRec, renderTarget } from './summary.js';
import { constStr, render, type Taint, taintOf, type V } from './values.js';

export interface UnresolvedEntry {
  file: string;
  line: number;
  reason: string;
  snippet: string;
}

const PLACEHOLDER_FN: FunctionFact = {
  id: '<registration>',
  name: '<registration>',
  params: [],
  line: 1,
  endLine: 1,
  body: [],
  decorators: [],
};

/** Keys that wrap tool arguments (`request.params.arguments.path`, `input.path`). */
const WRAPPER_KEYS = new Set([
  'params',
  'arguments',
  'args',
  'input',
  'body',
  'query',
  'data',
  'request',
  'kwargs',
  'payload',
]);

export function assembleTool(
  engine: Engine,
  facts: FileFacts,
  reg: RegistrationFact,
  unresolved: UnresolvedEntry[],
  dispatch?: PackageDispatch,
): ToolDefinition {
  const file = facts.file;
  const st = engine.state(file) as FileState;
  const scope = engine.scopeAt(file, reg.line, functionsWithin(reg)) ?? st.globals;
  const ev = new FnInterp(engine, st, PLACEHOLDER_FN, scope, true);
  const snippet = (text: string) => text.slice(0, 120);

  let name: string | undefined;
  if (reg.name) name = constStr(ev.eval(reg.name, 0));
  if (name === undefined && reg.name === null) name = reg.defaultName;
  if (name === undefined) name = reg.defaultName;
  if (name === undefined) {
    name = `<dynamic@${file}:${reg.line}>`;
    unresolved.push({
      file,
      line: reg.line,
      reason: 'tool name is not statically known',
      snippet: snippet(name),
    });
  }

  let description = '';
  let descriptionResolved = true;
  if (reg.description) {
    const d = ev.eval(reg.description, 0);
    const full = d.k === 'const' && typeof d.v === 'string' ? d.v : undefined;
    if (full !== undefined) description = full;
    else {
      descriptionResolved = false;
      description = staticParts(d);
    }
  }

  const parameters: ToolParameter[] = reg.params.map((p) => {
    const out: ToolParameter = { name: p.name };
    if (p.description) {
      const d = render(ev.eval(p.description, 0));
      if (d !== undefined) out.description = d;
    }
    if (p.type !== undefined) out.type = p.type;
    if (p.required !== undefined) out.required = p.required;
    return out;
  });
  if (reg.schema) {
    const fromSchema = parametersFromSchema(engine.deref(ev.eval(reg.schema, 0)));
    if (fromSchema) {
      for (const p of fromSchema) {
        const i = parameters.findIndex((x) => x.name === p.name);
        if (i < 0) parameters.push(p);
        else parameters[i] = { ...p, ...dropUndefined(parameters[i] as ToolParameter) };
      }
    } else {
      unresolved.push({
        file,
        line: reg.line,
        reason: `schema of tool "${name}" is not statically known`,
        snippet: '',
      });
    }
  }

  const tool: ToolDefinition = {
    id: `${file}#${name}`,
    name,
    file,
    line: reg.line,
    language: facts.language,
    framework: reg.framework,
    description,
    descriptionResolved,
    parameters,
    effects: [],
    flows: [],
    claims: [],
  };

  let handler = resolveHandler(engine, ev, file, reg.handler);
  // A definition with no handler beside it: the package's dispatch on its name, in any file.
  if (!handler && !reg.handler && dispatch && !name.startsWith('<dynamic@')) {
    const link = dispatch.handlerFor(name, file);
    const linkState = link ? engine.state(link.file) : undefined;
    if (link && linkState) {
      const linkEv = new FnInterp(engine, linkState, PLACEHOLDER_FN, linkState.globals, true);
      handler = resolveHandler(engine, linkEv, link.file, link.handler);
    }
  }
  const declared = new Set(parameters.map((p) => p.name));
  const collector = new ToolCollector(tool, declared);
  /** Where the data the handler uses was read (`file:line:col` of each source). */
  const usedSources = new Set<string>();
  if (handler) {
    tool.handler = {
      name: handler.fn.name.startsWith('<') ? name : handler.fn.name,
      file: handler.file,
      line: handler.fn.line,
    };
    const s = engine.summary(handler.file, handler.fn.id);
    if (s) {
      const label = handler.fn.name.startsWith('<') ? name : handler.fn.name;
      for (const e of s.effects) collector.add(e, handler.fn, label);
      for (const e of s.effects) {
        noteSources(usedSources, e.data);
        noteSources(usedSources, taintOf(e.target));
      }
      noteSources(usedSources, taintOf(s.ret));
    }
  } else if (reg.handler) {
    unresolved.push({ file, line: reg.line, reason: `handler of tool "${name}" not found`, snippet: '' });
  }
  // Import-time actions (network, processes, dynamic code, writes) run when the server starts:
  // every tool of the file carries them. An import-time read (an API key, a config file) is this
  // tool's only when its handler uses what was read.
  const moduleSummary = engine.moduleSummary(file);
  if (moduleSummary) {
    for (const e of moduleSummary.effects) {
      if (MODULE_READS.has(e.capability) && !usedSources.has(locKey(e.location))) continue;
      collector.add(e, undefined, MODULE_FUNCTION_ID);
    }
  }
  return tool;
}

const MODULE_READS: ReadonlySet<string> = new Set(['env', 'secret', 'file.read']);

function locKey(l: Location): string {
  return `${l.file}:${l.line}:${l.column ?? 0}`;
}

function noteSources(out: Set<string>, taints: readonly Taint[] | undefined): void {
  for (const t of taints ?? []) {
    const src = t.src;
    if (src.kind === 'secret' || src.kind === 'env' || src.kind === 'file') out.add(locKey(src.location));
  }
}

/** Ids of the functions written inside a registration's expressions (the inline handler…). */
function functionsWithin(reg: RegistrationFact): Set<string> {
  const out = new Set<string>();
  if (reg.handler?.kind === 'function') out.add(reg.handler.id);
  const stack: Expr[] = [];
  for (const e of [
    reg.name,
    reg.description,
    reg.schema,
    reg.handler?.kind === 'expr' ? reg.handler.expr : null,
  ]) {
    if (e) stack.push(e);
  }
  let budget = 10_000;
  while (stack.length && budget-- > 0) {
    const e = stack.pop() as Expr;
    switch (e.k) {
      case 'func':
        out.add(e.id);
        break;
      case 'attr':
        stack.push(e.object);
        break;
      case 'index':
        stack.push(e.object, e.index);
        break;
      case 'call':
        stack.push(e.callee, ...e.args, ...e.kwargs.map((k) => k.value));
        break;
      case 'concat':
      case 'other':
        stack.push(...e.parts);
        break;
      case 'choice':
        stack.push(...e.options);
        break;
      case 'object':
        stack.push(...e.props.map((p) => p.value));
        break;
      case 'array':
        stack.push(...e.items);
        break;
      default:
        break;
    }
  }
  return out;
}

function dropUndefined(p: ToolParameter): Partial<ToolParameter> {
  const out: Partial<ToolParameter> = {};
  for (const [k, v] of Object.entries(p)) if (v !== undefined) (out as Record<string, unknown>)[k] = v;
  return out;
}

function staticParts(v: V): string {
  if (v.k === 'str') {
    return v.parts
      .map((p) => (p.k === 'const' && p.v !== null ? String(p.v) : '…'))
      .join('')
      .trim();
  }
  return '';
}

function resolveHandler(
  engine: Engine,
  ev: FnInterp,
  file: string,
  h: RegistrationFact['handler'],
): { file: string; fn: FunctionFact } | undefined {
  if (!h) return undefined;
  if (h.kind === 'function') {
    const fn = engine.index.fn(file, h.id);
    return fn ? { file, fn } : undefined;
  }
  let v = engine.deref(ev.eval(h.expr, 0));
  if (v.k === 'union') v = v.options.find((o) => o.k === 'fn') ?? v;
  if (v.k === 'fn') {
    const fn = engine.index.fn(v.file, v.id);
    return fn ? { file: v.file, fn } : undefined;
  }
  if (v.k === 'class' || v.k === 'inst') {
    const cls = v.k === 'class' ? v.name : v.cls;
    for (const m of ['_run', '_arun', 'run', 'forward', '__call__', 'execute', 'call']) {
      const found = engine.methodOf(v.file, cls, m, 0);
      const fn = found ? engine.index.fn(found.file, found.id) : undefined;
      if (found && fn) return { file: found.file, fn };
    }
  }
  return undefined;
}

class ToolCollector {
  private readonly flowKeys = new Set<string>();

  constructor(
    private readonly tool: ToolDefinition,
    private readonly declared: Set<string>,
  ) {}

  add(rec: EffectRec, handler: FunctionFact | undefined, label: string): void {
    const effect: Effect = {
      capability: rec.capability,
      api: rec.api,
      location: rec.location,
      callPath: [label, ...rec.callPath.slice(1)],
    };
    const target = renderTarget(rec.target, rec.capability);
    if (target !== undefined) effect.target = target;
    if (rec.capability.startsWith('file.') || rec.capability === 'secret') {
      const s = sensitiveKindOfPath(target);
      if (s) effect.sensitive = s;
    }
    if (rec.obfuscated) effect.obfuscated = true;
    if (rec.unresolved) effect.unresolved = true;
    if (rec.method) effect.method = rec.method;
    if (rec.gate) effect.gate = rec.gate;
    this.tool.effects.push(effect);
    for (const t of rec.data ?? []) this.addFlow(t, effect, handler);
  }

  private addFlow(t: Taint, sink: Effect, handler: FunctionFact | undefined): void {
    const source = this.sourceOf(t, handler);
    if (!source) return;
    const key = `${JSON.stringify(source.kind === 'param' ? source.name : [source.kind, source.detail, source.location])}|${this.tool.effects.length}`;
    if (this.flowKeys.has(key)) return;
    this.flowKeys.add(key);
    const path: Location[] = [];
    if (source.kind !== 'param') path.push(source.location);
    for (const l of t.path) {
      const last = path[path.length - 1];
      if (!last || last.file !== l.file || last.line !== l.line) path.push(l);
    }
    const last = path[path.length - 1];
    if (!last || last.file !== sink.location.file || last.line !== sink.location.line)
      path.push(sink.location);
    const flow: Flow = { source, sink, path };
    this.tool.flows.push(flow);
  }

  private sourceOf(t: Taint, handler: FunctionFact | undefined): DataSource | undefined {
    const src = t.src;
    if (src.kind === 'file') return undefined;
    if (src.kind !== 'formal') return src;
    if (!handler) return undefined;
    const formal = handler.params[src.index];
    if (!formal || formal.name === 'self' || formal.name === 'cls') return undefined;
    for (const k of src.keys) if (this.declared.has(k)) return { kind: 'param', name: k };
    if (this.declared.has(formal.name)) return { kind: 'param', name: formal.name };
    // `request.params.arguments.path` → path: skip wrapper keys while more keys follow.
    let i = 0;
    while (i < src.keys.length - 1 && WRAPPER_KEYS.has(src.keys[i] as string)) i++;
    const key = src.keys[i];
    if (key !== undefined && !(i === src.keys.length - 1 && WRAPPER_KEYS.has(key) && i > 0)) {
      return { kind: 'param', name: key };
    }
    return { kind: 'param', name: formal.name };
  }
}
