// A small kit for simulated environment servers: tools are declared with a JSON Schema that is also
// the validator, so what the model is told and what the handler accepts cannot drift apart. Tool
// failures are results (`isError`), never exceptions: a hostile or confused agent cannot crash a
// suite's server. Used by the messaging, travel and code suites.

import type { EnvServer, EnvTool, EnvToolResult, Json, ToolPort } from '../../types.js';

export type Args = Record<string, unknown>;

export type PropSpec =
  | {
      type: 'string';
      description: string;
      enum?: string[];
      pattern?: string;
      maxLength?: number;
    }
  | { type: 'integer' | 'number'; description: string; minimum?: number; maximum?: number }
  | { type: 'boolean'; description: string }
  | { type: 'array'; description: string; items: { type: 'string' }; maxItems?: number };

export interface ToolSpec<S> {
  name: string;
  description: string;
  properties: Record<string, PropSpec>;
  required?: string[];
  annotations: NonNullable<EnvTool['annotations']>;
  /** Returns the text for the model; throws ToolError for a failure the model should see. */
  handler(state: S, args: Args): string;
}

/** A failure the model sees as a failed call (unknown channel, no such file...). */
export class ToolError extends Error {}

export function fail(message: string): never {
  throw new ToolError(message);
}

const DEFAULT_MAX_STRING = 20_000;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Why `args` do not fit the tool's schema, or undefined when they do. */
export function argumentProblem<S>(spec: ToolSpec<S>, args: unknown): string | undefined {
  if (args === null || typeof args !== 'object' || Array.isArray(args)) return 'arguments must be an object';
  const given = args as Args;
  for (const key of Object.keys(given)) {
    if (!Object.hasOwn(spec.properties, key)) return `unknown argument "${key}"`;
  }
  for (const key of spec.required ?? []) {
    if (given[key] === undefined || given[key] === null) return `missing required argument "${key}"`;
  }
  for (const [key, prop] of Object.entries(spec.properties)) {
    const v = given[key];
    if (v === undefined || v === null) continue;
    const problem = valueProblem(prop, v);
    if (problem) return `argument "${key}" ${problem}`;
  }
  return undefined;
}

function valueProblem(prop: PropSpec, v: unknown): string | undefined {
  switch (prop.type) {
    case 'string': {
      if (typeof v !== 'string') return 'must be a string';
      if (v.length > (prop.maxLength ?? DEFAULT_MAX_STRING)) return 'is too long';
      if (prop.enum && !prop.enum.includes(v)) return `must be one of ${prop.enum.join(', ')}`;
      if (prop.pattern && !new RegExp(prop.pattern).test(v)) return `must match ${prop.pattern}`;
      return undefined;
    }
    case 'integer':
    case 'number': {
      if (typeof v !== 'number' || !Number.isFinite(v)) return 'must be a number';
      if (prop.type === 'integer' && !Number.isInteger(v)) return 'must be an integer';
      if (prop.minimum !== undefined && v < prop.minimum) return `must be at least ${prop.minimum}`;
      if (prop.maximum !== undefined && v > prop.maximum) return `must be at most ${prop.maximum}`;
      return undefined;
    }
    case 'boolean':
      return typeof v === 'boolean' ? undefined : 'must be true or false';
    case 'array': {
      if (!Array.isArray(v)) return 'must be an array';
      if (v.length > (prop.maxItems ?? 100)) return 'has too many items';
      if (!v.every((x) => typeof x === 'string' && x.length <= DEFAULT_MAX_STRING))
        return 'must hold strings';
      return undefined;
    }
  }
}

function toEnvTool<S>(spec: ToolSpec<S>): EnvTool {
  return {
    name: spec.name,
    description: spec.description,
    inputSchema: {
      type: 'object',
      properties: spec.properties,
      ...(spec.required && spec.required.length > 0 ? { required: spec.required } : {}),
    },
    annotations: spec.annotations,
  };
}

/** An environment server over a fixed list of tools; every call is validated, and no call throws. */
export function makeServer<S extends Json>(
  name: string,
  instructions: string,
  specs: ToolSpec<S>[],
): EnvServer<S> {
  const byName = new Map(specs.map((s) => [s.name, s]));
  const listed = specs.map(toEnvTool);
  return {
    name,
    instructions,
    tools: () => listed.map((t) => structuredClone(t)),
    call(state: S, tool: string, args: Record<string, unknown>): EnvToolResult {
      const spec = typeof tool === 'string' ? byName.get(tool) : undefined;
      if (!spec) return { text: `Unknown tool "${String(tool)}" on server ${name}.`, isError: true };
      const problem = argumentProblem(spec, args);
      if (problem) return { text: `${tool}: ${problem}.`, isError: true };
      try {
        return { text: spec.handler(state, args) };
      } catch (e) {
        if (e instanceof ToolError) return { text: `${tool}: ${e.message}`, isError: true };
        return {
          text: `${tool}: internal error (${e instanceof Error ? e.message : String(e)})`,
          isError: true,
        };
      }
    },
  };
}

// Typed readers for already-validated arguments.
export const str = (a: Args, k: string): string => (typeof a[k] === 'string' ? (a[k] as string) : '');
export const optStr = (a: Args, k: string): string | undefined =>
  typeof a[k] === 'string' ? (a[k] as string) : undefined;
export const num = (a: Args, k: string, dflt: number): number =>
  typeof a[k] === 'number' ? (a[k] as number) : dflt;
export const strList = (a: Args, k: string): string[] => (Array.isArray(a[k]) ? (a[k] as string[]) : []);

/** A calendar date `YYYY-MM-DD` that exists, or a ToolError. */
export function date(a: Args, k: string): string {
  const v = str(a, k).trim();
  if (!DATE.test(v)) fail(`"${k}" must be a date like 2025-06-03, got "${v.slice(0, 40)}".`);
  const d = new Date(`${v}T00:00:00Z`);
  if (Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== v)
    fail(`"${k}" is not a real date: ${v}.`);
  return v;
}

/** Lower case, accents off, punctuation to spaces: the form checks compare loose text in. */
export function loose(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9@.#:/-]+/g, ' ')
    .trim();
}

/** Digits only: `$412,500` and `412 500` both become `412500`. */
export function digits(text: string): string {
  return text.replace(/\D+/g, '');
}

/** JSON clone, which is also what a state file does to a state. */
export function cloneState<S extends Json>(state: S): S {
  return JSON.parse(JSON.stringify(state)) as S;
}

/** Calls one server's tools through a port and hands back the text the caller sees (errors included). */
export function caller(port: ToolPort, server: string): (tool: string, args?: Args) => Promise<string> {
  return async (tool, args = {}) => (await port.call(server, tool, args)).text;
}
