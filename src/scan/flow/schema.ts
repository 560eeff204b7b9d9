// Tool parameters from schemas the code declares as data: zod (`z.object({...})`, raw shapes,
// chains with `.describe()` anywhere, `.optional()`/`.default()`), and JSON Schema object
// literals (`{ type: 'object', properties, required }`, also Python dicts). Zod calls are
// interpreted into `schema` values by the interpreter, so a schema held in a variable or
// imported from another file resolves like any other value.

import type { ToolParameter } from '../../core/types.js';
import { constStr, shapeProp, type V } from './values.js';

const ZOD_NAMESPACES = new Set([
  'zod',
  'zod.z',
  'zod.default',
  'zod.v4',
  'zod.v4.z',
  'zod.v3',
  'zod.v3.z',
  'zod.mini',
  'zod.v4.mini',
  'zod.v4-mini',
  'zod.z.coerce',
  'zod.coerce',
  'zod.v4.z.coerce',
]);

function prefixOf(path: string): string {
  const i = path.lastIndexOf('.');
  return i < 0 ? '' : path.slice(0, i);
}

export function isZodPath(path: string): boolean {
  return ZOD_NAMESPACES.has(path) || ZOD_NAMESPACES.has(prefixOf(path));
}

const TYPE_NAMES: Record<string, string> = {
  string: 'string',
  number: 'number',
  int: 'integer',
  bigint: 'integer',
  boolean: 'boolean',
  date: 'string',
  enum: 'string',
  nativeEnum: 'string',
  literal: 'string',
  array: 'array',
  tuple: 'array',
  set: 'array',
  object: 'object',
  strictObject: 'object',
  looseObject: 'object',
  record: 'object',
  map: 'object',
  any: 'any',
  unknown: 'any',
  union: 'any',
  discriminatedUnion: 'object',
  intersection: 'object',
  null: 'null',
  email: 'string',
  url: 'string',
  uuid: 'string',
};

/** `z.string()` and friends, called on the zod namespace; undefined for non-schema members. */
export function callSchema(path: string, args: V[]): V | undefined {
  if (!ZOD_NAMESPACES.has(prefixOf(path))) return undefined;
  const method = path.slice(path.lastIndexOf('.') + 1);
  const a0 = args[0];
  if (method === 'optional' || method === 'nullable' || method === 'nullish') {
    return a0?.k === 'schema'
      ? { ...a0, optional: method !== 'nullable' || a0.optional === true }
      : undefined;
  }
  const type = TYPE_NAMES[method];
  if (!type) return undefined;
  const out: V = { k: 'schema', type };
  if ((type === 'object' && method !== 'record' && method !== 'map') || method === 'discriminatedUnion') {
    const shape = method === 'discriminatedUnion' ? undefined : a0;
    if (shape?.k === 'obj') out.props = shape.props;
  }
  if (method === 'array' && a0) out.items = a0;
  if (method === 'literal' && a0?.k === 'const') out.type = typeof a0.v === 'number' ? 'number' : 'string';
  return out;
}

/** A method on a schema value (`.describe`, `.optional`, `.min`, `.extend`…): the updated schema. */
export function schemaMethod(s: V & { k: 'schema' }, name: string, args: V[]): V {
  const a0 = args[0];
  switch (name) {
    case 'describe': {
      const d = constStr(a0);
      return d === undefined ? s : { ...s, desc: d };
    }
    case 'meta': {
      const d = a0 ? constStr(shapeProp(a0, 'description')) : undefined;
      return d === undefined ? s : { ...s, desc: d };
    }
    case 'optional':
    case 'nullish':
    case 'default':
    case 'catch':
    case 'prefault':
      return { ...s, optional: true };
    case 'array':
      return { k: 'schema', type: 'array', items: s };
    case 'extend':
    case 'merge':
    case 'safeExtend': {
      const more = a0?.k === 'schema' ? a0.props : a0?.k === 'obj' ? a0.props : undefined;
      if (!more) return s;
      const props = new Map(s.props ?? []);
      for (const [k, v] of more) props.set(k, v);
      return { ...s, props };
    }
    case 'partial': {
      if (!s.props) return s;
      const props = new Map<string, V>();
      for (const [k, v] of s.props) props.set(k, v.k === 'schema' ? { ...v, optional: true } : v);
      return { ...s, props };
    }
    case 'int':
      return { ...s, type: 'integer' };
    default:
      return s;
  }
}

function paramFromSchema(name: string, v: V): ToolParameter {
  const p: ToolParameter = { name };
  if (v.k === 'schema') {
    if (v.desc !== undefined) p.description = v.desc;
    if (v.type !== 'any') p.type = v.type;
    p.required = v.optional !== true;
    return p;
  }
  if (v.k === 'obj') {
    const d = constStr(shapeProp(v, 'description'));
    if (d !== undefined) p.description = d;
    const t = constStr(shapeProp(v, 'type'));
    if (t !== undefined) p.type = t;
  }
  return p;
}

/** Parameters declared by a schema value, or undefined when the value is not a schema. */
export function parametersFromSchema(v: V | undefined): ToolParameter[] | undefined {
  if (!v) return undefined;
  if (v.k === 'schema') {
    if (!v.props) return v.type === 'object' ? [] : undefined;
    return [...v.props].map(([k, pv]) => paramFromSchema(k, pv));
  }
  if (v.k !== 'obj') return undefined;
  const properties = v.props.get('properties');
  if (properties?.k === 'obj') {
    const required = new Set<string>();
    const req = v.props.get('required');
    if (req?.k === 'arr')
      for (const r of req.items) if (r.k === 'const' && typeof r.v === 'string') required.add(r.v);
    return [...properties.props].map(([k, pv]) => ({ ...paramFromSchema(k, pv), required: required.has(k) }));
  }
  if (constStr(v.props.get('type')) === 'object') return [];
  // A raw zod shape `{ path: z.string() }`.
  return [...v.props].map(([k, pv]) => paramFromSchema(k, pv));
}
