// Tool-definition objects: `{ name, description, inputSchema }` (and `parameters`, `schema`,
// `argsSchema`, `inputs`…) written as data, wherever they sit — exported one per file, listed in
// an array, passed to a helper (`defineTool({ schema: { name, … }, handle })`) — with the handler
// a sibling function property when there is one. Shape alone decides, with hard negatives for
// look-alikes: OpenAPI parameters (`in`) and operations (`operationId`, `responses`), arrays of
// parameters, structured-output formats (`schema` without any handler).

import type { Expr } from '../facts.js';
import { objectProp } from './ir-util.js';

/** Same-file constant lookup (JS `Constants`, or the Python front end's module assignments). */
export interface ConstantLookup {
  resolve(e: Expr): Expr;
}

type Obj = Extract<Expr, { k: 'object' }>;

/** Keys that hold a tool's argument schema, most specific first. */
export const SCHEMA_KEYS = [
  'inputSchema',
  'input_schema',
  'argsSchema',
  'args_schema',
  'argsShape',
  'parameters',
  'inputs',
  'schema',
  'args',
] as const;

/** Schema keys also used by look-alikes (structured-output formats, CLI commands): a handler must be beside them. */
const NEEDS_HANDLER = new Set(['schema', 'args']);

/** Sibling properties that hold a definition's handler. */
export const HANDLER_KEYS = [
  'handler',
  'handle',
  'execute',
  'run',
  'func',
  'callback',
  'call',
  'invoke',
  'fn',
  'tool',
] as const;

/** Keys under which helpers nest the definition (`{ schema: { name, … }, handle }`). */
const NESTING_KEYS = ['schema', 'tool', 'definition', 'spec', 'metadata', 'config'];

/** Keys that mark an OpenAPI parameter/operation or similar look-alike, never a tool. */
const NEGATIVE_KEYS = new Set(['in', 'operationId', 'responses', 'requestBody', '$ref']);

export interface ToolDefinitionShape {
  /** The object holding `name` (the inner one for nested forms). */
  def: Obj;
  name: Expr;
  description: Expr;
  schema: Expr;
  schemaKey: string;
  handler?: Expr;
}

/** What a value looks like without running anything: used to accept or reject a field. */
type Kind = 'string' | 'ref' | 'object' | 'function' | 'other';

function kindOf(consts: ConstantLookup, e: Expr, funcs: (e: Expr) => boolean): Kind {
  const r = consts.resolve(e);
  if (r.k === 'str' || r.k === 'concat') return 'string';
  if (r.k === 'func' || funcs(r)) return 'function';
  if (r.k === 'object') return 'object';
  if (r.k === 'name' || r.k === 'attr' || r.k === 'index') return 'ref';
  if (r.k === 'call') return 'ref';
  if (r.k === 'choice') {
    const kinds = r.options.map((o) => kindOf(consts, o, funcs));
    return kinds.every((k) => k === 'string' || k === 'ref') ? 'string' : 'other';
  }
  return 'other';
}

export interface ShapeOptions {
  /** Whether an expression is a function value (a FunctionFact, a named function…). */
  isFunction: (e: Expr) => boolean;
  /** Names that are parameters of the enclosing function: a definition named by one is a template. */
  templateNames?: ReadonlySet<string>;
  /**
   * Whether a name is imported from another file. A tool name that does not fold in this file
   * must come from an import (a constants module); a local (`tool.name` while converting tools
   * to a wire format, `meta.name` from a call) is a copy of a definition, not one.
   */
  isImported?: (name: string) => boolean;
}

function rootName(e: Expr): string | undefined {
  let cur = e;
  for (let i = 0; i < 16; i++) {
    if (cur.k === 'name') return cur.name;
    if (cur.k === 'attr' || cur.k === 'index') cur = cur.object;
    else return undefined;
  }
  return undefined;
}

/** The flat shape `{ name, description, <schema key> }`, or undefined. */
function flatShape(
  consts: ConstantLookup,
  obj: Obj,
  opts: ShapeOptions,
): Omit<ToolDefinitionShape, 'handler'> | undefined {
  if (obj.props.some((p) => p.key !== null && NEGATIVE_KEYS.has(p.key))) return undefined;
  const name = objectProp(obj, 'name');
  const description = objectProp(obj, 'description');
  if (!name || !description) return undefined;
  const nameKind = kindOf(consts, name, opts.isFunction);
  if (nameKind !== 'string' && nameKind !== 'ref') return undefined;
  if (nameKind === 'ref') {
    const resolved = consts.resolve(name);
    if (resolved.k === 'call') return undefined;
    const root = rootName(resolved);
    // `{ name, description, inputSchema }` returned by `makeTool(name, …)`: a template, not a tool.
    if (root === undefined || opts.templateNames?.has(root) || !opts.isImported?.(root)) return undefined;
  }
  const descKind = kindOf(consts, description, opts.isFunction);
  if (descKind !== 'string' && descKind !== 'ref') return undefined;
  for (const key of SCHEMA_KEYS) {
    const schema = objectProp(obj, key);
    if (!schema) continue;
    const r = consts.resolve(schema);
    // Arrays are OpenAPI parameter lists; literals and functions are not schemas.
    if (r.k !== 'object' && r.k !== 'call' && r.k !== 'name' && r.k !== 'attr' && r.k !== 'index')
      return undefined;
    if (key === 'inputs' && r.k !== 'object' && r.k !== 'name') return undefined;
    // `{ …, inputSchema: tool.inputSchema }` with `tool` a parameter: a conversion, not a definition.
    const schemaRoot = r.k === 'name' || r.k === 'attr' || r.k === 'index' ? rootName(r) : undefined;
    if (schemaRoot !== undefined && opts.templateNames?.has(schemaRoot)) return undefined;
    return { def: obj, name, description, schema: unwrapSchema(schema), schemaKey: key };
  }
  return undefined;
}

function handlerOf(obj: Obj, opts: ShapeOptions): Expr | undefined {
  for (const key of HANDLER_KEYS) {
    const v = objectProp(obj, key);
    if (v && opts.isFunction(v)) return v;
  }
  return undefined;
}

/** Calls that convert a schema without changing its fields: the schema is their first argument. */
const SCHEMA_CONVERTERS = new Set([
  'zodToJsonSchema',
  'toJsonSchema',
  'toJSONSchema',
  'zodSchema',
  'jsonSchema',
]);

/** `zodToJsonSchema(X)` → `X`, so flow.ts reads the zod shape it knows instead of an opaque call. */
export function unwrapSchema(e: Expr): Expr {
  let cur = e;
  for (let i = 0; i < 4; i++) {
    if (cur.k !== 'call' || !cur.args[0]) return cur;
    const callee = cur.callee;
    const name = callee.k === 'name' ? callee.name : callee.k === 'attr' ? callee.name : undefined;
    if (!name || !SCHEMA_CONVERTERS.has(name)) return cur;
    cur = cur.args[0];
  }
  return cur;
}

/**
 * Reads a tool definition from an object literal: flat, or nested one level under `schema` /
 * `tool` / `definition` with the handler beside it. `schema` as the only schema key (also how
 * structured-output formats look) needs a handler to count.
 */
export function readToolDefinition(
  consts: ConstantLookup,
  obj: Obj,
  opts: ShapeOptions,
): ToolDefinitionShape | undefined {
  const flat = flatShape(consts, obj, opts);
  if (flat) {
    const handler = handlerOf(obj, opts);
    if (NEEDS_HANDLER.has(flat.schemaKey) && !handler) return undefined;
    return handler ? { ...flat, handler } : flat;
  }
  const handler = handlerOf(obj, opts);
  if (!handler) return undefined;
  for (const key of NESTING_KEYS) {
    const inner = objectProp(obj, key);
    if (!inner) continue;
    const r = consts.resolve(inner);
    if (r.k !== 'object') continue;
    const nested = flatShape(consts, r, opts);
    if (nested) return { ...nested, handler };
  }
  return undefined;
}

/**
 * The line of an object literal's own `name` key (depth 1), scanning the source from the
 * object's `{`. Strings, templates and comments are skipped; the scan is linear and capped.
 */
export function nameKeyOffset(source: string, objectStart: number, cap = 200_000): number | undefined {
  if (source.charCodeAt(objectStart) !== 123 /* { */) return undefined;
  let depth = 0;
  const end = Math.min(source.length, objectStart + cap);
  let i = objectStart;
  let expectKey = false;
  while (i < end) {
    const c = source[i] as string;
    if (c === '"' || c === "'" || c === '`') {
      const start = i;
      i = skipString(source, i, end);
      if (depth === 1 && expectKey && source.slice(start + 1, i - 1) === 'name' && c !== '`') {
        if (followedByColon(source, i, end)) return start;
      }
      expectKey = false;
      continue;
    }
    if (c === '/' && source[i + 1] === '/') {
      while (i < end && source[i] !== '\n') i++;
      continue;
    }
    if (c === '/' && source[i + 1] === '*') {
      const close = source.indexOf('*/', i + 2);
      i = close < 0 ? end : close + 2;
      continue;
    }
    if (c === '{' || c === '[' || c === '(') {
      depth++;
      expectKey = depth === 1;
      i++;
      continue;
    }
    if (c === '}' || c === ']' || c === ')') {
      depth--;
      if (depth <= 0) return undefined;
      i++;
      continue;
    }
    if (c === ',') {
      expectKey = depth === 1;
      i++;
      continue;
    }
    if (depth === 1 && expectKey && isIdentStart(c)) {
      const start = i;
      while (i < end && isIdentPart(source[i] as string)) i++;
      if (source.slice(start, i) === 'name' && followedByColonOrShorthand(source, i, end)) return start;
      expectKey = false;
      continue;
    }
    if (c !== ' ' && c !== '\n' && c !== '\r' && c !== '\t') expectKey = false;
    i++;
  }
  return undefined;
}

function skipString(source: string, i: number, end: number): number {
  const quote = source[i];
  let j = i + 1;
  while (j < end) {
    const c = source[j];
    if (c === '\\') j += 2;
    else if (c === quote) return j + 1;
    else j++;
  }
  return end;
}

function nextNonSpace(source: string, i: number, end: number): string | undefined {
  let j = i;
  while (j < end && /\s/.test(source[j] as string)) j++;
  return source[j];
}

function followedByColon(source: string, i: number, end: number): boolean {
  return nextNonSpace(source, i, end) === ':';
}

function followedByColonOrShorthand(source: string, i: number, end: number): boolean {
  const c = nextNonSpace(source, i, end);
  return c === ':' || c === ',' || c === '}';
}

function isIdentStart(c: string): boolean {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c === '_' || c === '$';
}

function isIdentPart(c: string): boolean {
  return isIdentStart(c) || (c >= '0' && c <= '9');
}

/**
 * `makeTool('x', 'desc', schema)` where `makeTool` is a same-file function returning an object
 * built from its parameters: that object with the call's arguments put in for the parameters
 * (everywhere inside it, bounded).
 */
export function instantiateTemplate(
  call: Extract<Expr, { k: 'call' }>,
  params: string[],
  returned: Obj,
): Obj {
  const byParam = new Map<string, Expr>();
  params.forEach((p, i) => {
    const arg = call.args[i];
    if (arg) byParam.set(p, arg);
  });
  let budget = 5_000;
  const put = (e: Expr, depth: number): Expr => {
    if (budget-- <= 0 || depth > 40) return e;
    switch (e.k) {
      case 'name':
        return byParam.get(e.name) ?? e;
      case 'attr':
        return { ...e, object: put(e.object, depth + 1) };
      case 'index':
        return { ...e, object: put(e.object, depth + 1), index: put(e.index, depth + 1) };
      case 'call':
        return {
          ...e,
          callee: put(e.callee, depth + 1),
          args: e.args.map((a) => put(a, depth + 1)),
          kwargs: e.kwargs.map((k) => ({ name: k.name, value: put(k.value, depth + 1) })),
        };
      case 'concat':
      case 'other':
        return { ...e, parts: e.parts.map((x) => put(x, depth + 1)) };
      case 'choice':
        return { ...e, options: e.options.map((x) => put(x, depth + 1)) };
      case 'object':
        return { k: 'object', props: e.props.map((p) => ({ key: p.key, value: put(p.value, depth + 1) })) };
      case 'array':
        return { k: 'array', items: e.items.map((x) => put(x, depth + 1)) };
      default:
        return e;
    }
  };
  return put(returned, 0) as Obj;
}
