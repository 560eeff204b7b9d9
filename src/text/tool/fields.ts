// Every text of a tool that reaches the model: name, title, description, and the whole input schema —
// property descriptions, titles, defaults, enum values, examples, constants — each with its field path
// (`inputSchema.properties.path.default`). The schema is untrusted: depth, node count and text size
// are capped, and only own enumerable keys are read.

import type { ToolDefinition } from '../../core/types.js';

export type FieldKind =
  | 'name'
  | 'title'
  | 'description'
  | 'param-description'
  | 'schema-value'
  | 'schema-title';

export interface ToolField {
  /** Path of the field, e.g. `description`, `inputSchema.properties.x.description`, `parameters.x.description`. */
  field: string;
  kind: FieldKind;
  text: string;
  /** The parameter the field belongs to, when it does. */
  param?: string;
}

export const MAX_SCHEMA_DEPTH = 24;
export const MAX_SCHEMA_NODES = 4000;
/** Total characters of text taken from one tool (the model reads no more than a few pages anyway). */
export const MAX_TOOL_TEXT = 200_000;

const SUBSCHEMA_MAPS = ['properties', 'patternProperties', '$defs', 'definitions', 'dependentSchemas'];
const SUBSCHEMA_ONE = [
  'items',
  'additionalProperties',
  'not',
  'if',
  'then',
  'else',
  'contains',
  'propertyNames',
];
const SUBSCHEMA_LISTS = ['anyOf', 'oneOf', 'allOf', 'prefixItems', 'items'];
const VALUE_KEYS = ['default', 'const', 'examples', 'enum', 'example'];

function isRecord(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function keyPath(base: string, key: string): string {
  return /^[A-Za-z_$][\w$-]*$/.test(key) ? `${base}.${key}` : `${base}[${JSON.stringify(key)}]`;
}

class Collector {
  readonly out: ToolField[] = [];
  private nodes = 0;
  private chars = 0;

  add(field: string, kind: FieldKind, text: string, param?: string): void {
    if (text.trim() === '' || this.chars >= MAX_TOOL_TEXT) return;
    const t = text.length + this.chars > MAX_TOOL_TEXT ? text.slice(0, MAX_TOOL_TEXT - this.chars) : text;
    this.chars += t.length;
    const f: ToolField = { field, kind, text: t };
    if (param !== undefined) f.param = param;
    this.out.push(f);
  }

  /** Strings inside a value (a default object, an enum list), each with its path. */
  values(value: unknown, path: string, param: string | undefined, depth: number): void {
    if (depth > MAX_SCHEMA_DEPTH || ++this.nodes > MAX_SCHEMA_NODES) return;
    if (typeof value === 'string') this.add(path, 'schema-value', value, param);
    else if (Array.isArray(value))
      value.forEach((v, i) => {
        this.values(v, `${path}[${i}]`, param, depth + 1);
      });
    else if (isRecord(value))
      for (const k of Object.keys(value)) {
        // A key of a default object speaks to the model as much as its value.
        if (k.length > 24) this.add(`${path} (key)`, 'schema-value', k, param);
        this.values(value[k], keyPath(path, k), param, depth + 1);
      }
  }

  schema(node: unknown, path: string, param: string | undefined, depth: number): void {
    if (!isRecord(node) || depth > MAX_SCHEMA_DEPTH || ++this.nodes > MAX_SCHEMA_NODES) return;
    if (typeof node.description === 'string')
      this.add(`${path}.description`, param ? 'param-description' : 'description', node.description, param);
    if (typeof node.title === 'string') this.add(`${path}.title`, 'schema-title', node.title, param);
    for (const k of VALUE_KEYS)
      if (Object.hasOwn(node, k)) this.values(node[k], `${path}.${k}`, param, depth + 1);
    for (const k of SUBSCHEMA_MAPS) {
      const m = node[k];
      if (!isRecord(m)) continue;
      for (const name of Object.keys(m)) {
        const sub = keyPath(`${path}.${k}`, name);
        // Property names are read by the model too; a sentence-long one is a message.
        if (name.length > 40) this.add(`${sub} (name)`, 'schema-value', name, param ?? name);
        this.schema(m[name], sub, k === 'properties' && param === undefined ? name : param, depth + 1);
      }
    }
    for (const k of SUBSCHEMA_ONE)
      if (isRecord(node[k])) this.schema(node[k], `${path}.${k}`, param, depth + 1);
    for (const k of SUBSCHEMA_LISTS) {
      const l = node[k];
      if (Array.isArray(l))
        l.forEach((s, i) => {
          this.schema(s, `${path}.${k}[${i}]`, param, depth + 1);
        });
    }
  }
}

/** The tool's texts in reading order: name, title, description, then the schema or parameters. */
export function toolFields(tool: ToolDefinition): ToolField[] {
  const c = new Collector();
  c.add('name', 'name', tool.name);
  if (tool.title) c.add('title', 'title', tool.title);
  c.add('description', 'description', tool.description);
  if (isRecord(tool.inputSchema)) c.schema(tool.inputSchema, 'inputSchema', undefined, 0);
  else
    for (const p of tool.parameters)
      if (p.description)
        c.add(`parameters.${p.name}.description`, 'param-description', p.description, p.name);
  return c.out;
}

/** Parameters with their descriptions, from the schema when there is one. */
export function toolParameters(tool: ToolDefinition): { name: string; description: string; type?: string }[] {
  return tool.parameters.map((p) => {
    const out: { name: string; description: string; type?: string } = {
      name: p.name,
      description: p.description ?? '',
    };
    if (p.type !== undefined) out.type = p.type;
    return out;
  });
}
