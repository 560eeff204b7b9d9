// A small JSON Schema validator for tool arguments: the common keywords (type, properties, required,
// additionalProperties, enum, const, minimum/maximum, exclusiveMinimum/Maximum, minLength/maxLength,
// pattern, items, minItems/maxItems), compiled once at policy load. Arguments come from a model, so
// validation is bounded: nesting depth and visited nodes are capped and an argument beyond the caps
// fails validation rather than being skipped. Unknown keywords are ignored (documented).

import { MAX_MATCH_INPUT, unsafePatternReason } from './regex.js';

export const MAX_SCHEMA_DEPTH = 32;
export const MAX_VALUE_DEPTH = 64;
export const MAX_VISITED_NODES = 100_000;

export type Validator = (value: unknown) => string | undefined;

interface Budget {
  nodes: number;
}

type Check = (value: unknown, path: string, depth: number, budget: Budget) => string | undefined;

/** Compiles a schema; throws an Error naming the offending keyword when the schema itself is unusable. */
export function compileJsonSchema(schema: unknown): Validator {
  const check = compile(schema, 0, '#');
  return (value) => {
    const budget: Budget = { nodes: 0 };
    return check(value, '', 0, budget);
  };
}

function jsonType(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  return typeof v;
}

function typeMatches(expected: string, actual: string): boolean {
  return expected === actual || (expected === 'number' && actual === 'integer');
}

function deepEqual(a: unknown, b: unknown, depth = 0): boolean {
  if (depth > MAX_VALUE_DEPTH) return false;
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  if (ka.length !== kb.length) return false;
  for (const k of ka) {
    if (!Object.hasOwn(b, k)) return false;
    if (!deepEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], depth + 1))
      return false;
  }
  return true;
}

function compile(schema: unknown, depth: number, at: string): Check {
  if (depth > MAX_SCHEMA_DEPTH)
    throw new Error(`schema nested deeper than ${MAX_SCHEMA_DEPTH} levels at ${at}`);
  if (schema === true || schema === undefined) return () => undefined;
  if (schema === false) return (_v, path) => `${path || 'value'} is not allowed`;
  if (typeof schema !== 'object' || schema === null || Array.isArray(schema)) {
    throw new Error(`schema at ${at} must be an object or a boolean`);
  }
  const s = schema as Record<string, unknown>;
  const checks: Check[] = [];

  if (s.type !== undefined) {
    const types = Array.isArray(s.type) ? s.type : [s.type];
    if (!types.every((t) => typeof t === 'string'))
      throw new Error(`"type" at ${at} must be a string or strings`);
    const list = types as string[];
    checks.push((v, path) => {
      const actual = jsonType(v);
      return list.some((t) => typeMatches(t, actual))
        ? undefined
        : `${path || 'value'} must be ${list.join(' or ')}, not ${actual}`;
    });
  }
  if (Array.isArray(s.enum)) {
    const options = s.enum;
    checks.push((v, path) =>
      options.some((o) => deepEqual(o, v))
        ? undefined
        : `${path || 'value'} is not one of the allowed values`,
    );
  }
  if (Object.hasOwn(s, 'const')) {
    const c = s.const;
    checks.push((v, path) =>
      deepEqual(c, v) ? undefined : `${path || 'value'} must equal the constant value`,
    );
  }
  numberChecks(s, checks, at);
  stringChecks(s, checks, at);
  arrayChecks(s, checks, depth, at);
  objectChecks(s, checks, depth, at);

  return (v, path, d, budget) => {
    if (++budget.nodes > MAX_VISITED_NODES) return 'arguments are too large to validate';
    if (d > MAX_VALUE_DEPTH) return `${path || 'value'} is nested deeper than ${MAX_VALUE_DEPTH} levels`;
    for (const c of checks) {
      const err = c(v, path, d, budget);
      if (err) return err;
    }
    return undefined;
  };
}

function num(s: Record<string, unknown>, key: string, at: string): number | undefined {
  const v = s[key];
  if (v === undefined) return undefined;
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new Error(`"${key}" at ${at} must be a number`);
  return v;
}

function numberChecks(s: Record<string, unknown>, checks: Check[], at: string): void {
  const min = num(s, 'minimum', at);
  const max = num(s, 'maximum', at);
  const xmin = num(s, 'exclusiveMinimum', at);
  const xmax = num(s, 'exclusiveMaximum', at);
  if (min === undefined && max === undefined && xmin === undefined && xmax === undefined) return;
  checks.push((v, path) => {
    if (typeof v !== 'number') return undefined;
    const p = path || 'value';
    if (min !== undefined && !(v >= min)) return `${p} must be at least ${min}`;
    if (max !== undefined && !(v <= max)) return `${p} must be at most ${max}`;
    if (xmin !== undefined && !(v > xmin)) return `${p} must be greater than ${xmin}`;
    if (xmax !== undefined && !(v < xmax)) return `${p} must be less than ${xmax}`;
    return undefined;
  });
}

function stringChecks(s: Record<string, unknown>, checks: Check[], at: string): void {
  const minLength = num(s, 'minLength', at);
  const maxLength = num(s, 'maxLength', at);
  let pattern: RegExp | undefined;
  if (s.pattern !== undefined) {
    if (typeof s.pattern !== 'string') throw new Error(`"pattern" at ${at} must be a string`);
    const why = unsafePatternReason(s.pattern);
    if (why) throw new Error(`"pattern" at ${at}: ${why}`);
    pattern = new RegExp(s.pattern, 'u');
  }
  if (minLength === undefined && maxLength === undefined && !pattern) return;
  checks.push((v, path) => {
    if (typeof v !== 'string') return undefined;
    const p = path || 'value';
    // Lengths in code points, as JSON Schema counts them; the cheap code-unit bound first.
    if (maxLength !== undefined && v.length > maxLength && [...v].length > maxLength)
      return `${p} is longer than ${maxLength} characters`;
    if (minLength !== undefined && [...v].length < minLength)
      return `${p} is shorter than ${minLength} characters`;
    if (pattern) {
      if (v.length > MAX_MATCH_INPUT) return `${p} is too long to check against its pattern`;
      if (!pattern.test(v)) return `${p} does not match the required pattern`;
    }
    return undefined;
  });
}

function arrayChecks(s: Record<string, unknown>, checks: Check[], depth: number, at: string): void {
  const minItems = num(s, 'minItems', at);
  const maxItems = num(s, 'maxItems', at);
  const items = s.items === undefined ? undefined : compile(s.items, depth + 1, `${at}/items`);
  if (minItems === undefined && maxItems === undefined && !items) return;
  checks.push((v, path, d, budget) => {
    if (!Array.isArray(v)) return undefined;
    const p = path || 'value';
    if (minItems !== undefined && v.length < minItems) return `${p} must have at least ${minItems} items`;
    if (maxItems !== undefined && v.length > maxItems) return `${p} must have at most ${maxItems} items`;
    if (items) {
      for (let i = 0; i < v.length; i++) {
        const err = items(v[i], `${p}[${i}]`, d + 1, budget);
        if (err) return err;
      }
    }
    return undefined;
  });
}

function objectChecks(s: Record<string, unknown>, checks: Check[], depth: number, at: string): void {
  const props = new Map<string, Check>();
  if (s.properties !== undefined) {
    if (typeof s.properties !== 'object' || s.properties === null)
      throw new Error(`"properties" at ${at} must be an object`);
    for (const [k, sub] of Object.entries(s.properties))
      props.set(k, compile(sub, depth + 1, `${at}/properties/${k}`));
  }
  const required = Array.isArray(s.required)
    ? s.required.filter((r): r is string => typeof r === 'string')
    : [];
  const additional =
    s.additionalProperties === undefined
      ? undefined
      : compile(s.additionalProperties, depth + 1, `${at}/additionalProperties`);
  if (props.size === 0 && required.length === 0 && !additional) return;
  checks.push((v, path, d, budget) => {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) return undefined;
    const obj = v as Record<string, unknown>;
    for (const r of required) if (!Object.hasOwn(obj, r)) return `${path ? `${path}.` : ''}${r} is required`;
    for (const key of Object.keys(obj)) {
      const child = `${path ? `${path}.` : ''}${key}`;
      const c = props.get(key) ?? additional;
      if (!c) continue;
      const err = c(obj[key], child, d + 1, budget);
      if (err) return err;
    }
    return undefined;
  });
}
