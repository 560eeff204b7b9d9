// Registrations that are objects or classes rather than calls on a server: TypeScript FastMCP
// `addTool({…})`, LangChain `new DynamicStructuredTool({…})` and `StructuredTool` subclasses.

import type { ClassFact, Expr, RegistrationFact } from '../facts.js';
import { dottedName, objectProp } from './ir-util.js';
import type { RegistrationFinder } from './registrations.js';

/** TypeScript FastMCP (`fastmcp`): `server.addTool({ name, description, parameters, execute })`. */
export function recogniseFastMcpTool(host: RegistrationFinder, e: Extract<Expr, { k: 'call' }>): void {
  const arg = e.args[0] as Expr;
  const imported = host.libs.has('fastmcp') || host.libs.has('mcp');
  if (host.ctx.spreads.has(arg)) {
    if (imported) host.unresolved(e, 'addTool() called with a spread argument');
    return;
  }
  const def = host.consts.resolve(arg);
  if (def.k !== 'object') {
    if (imported) host.unresolved(e, 'addTool() definition is not an object literal');
    return;
  }
  host.claimed.add(def);
  const name = objectProp(def, 'name');
  const execute = objectProp(def, 'execute');
  if (!name || !execute || (!imported && !objectProp(def, 'description'))) return;
  if (!host.consts.isStaticString(name)) {
    host.unresolved(e, 'addTool() with a tool name computed at run time');
    return;
  }
  const reg = host.registration('mcp-fastmcp', e, name, objectProp(def, 'description') ?? null, execute);
  const schema = objectProp(def, 'parameters') ?? objectProp(def, 'inputSchema');
  if (schema) reg.schema = schema;
  host.push(reg);
}

/** LangChain `new DynamicStructuredTool({ name, description, schema, func })` and `new DynamicTool({…})`. */
export function recogniseDynamicTool(
  host: RegistrationFinder,
  e: Extract<Expr, { k: 'call' }>,
  callee: Expr,
): void {
  const path = dottedName(callee);
  const cls = path?.[path.length - 1];
  if (cls !== 'DynamicStructuredTool' && cls !== 'DynamicTool') return;
  const imp = path && path.length === 1 ? host.importOf.get(cls) : undefined;
  if (imp && imp.lib !== 'langchain') return;
  const options = e.args[0] ? host.consts.resolve(e.args[0]) : undefined;
  if (options?.k !== 'object') {
    host.unresolved(e, `new ${cls}() options are not an object literal`);
    return;
  }
  host.claimed.add(options);
  const reg = host.registration(
    'langchain',
    e,
    objectProp(options, 'name') ?? null,
    objectProp(options, 'description') ?? null,
    objectProp(options, 'func'),
  );
  const schema = objectProp(options, 'schema');
  if (schema) reg.schema = schema;
  if (!reg.name) {
    host.unresolved(e, `new ${cls}() without a name`);
    return;
  }
  host.push(reg);
}

/** LangChain `class X extends StructuredTool { name = …; description = …; schema = …; _call() {} }`. */
export function recogniseToolClass(host: RegistrationFinder, cls: ClassFact): void {
  const base = cls.bases[0];
  if (!base) return;
  const path = dottedName(base);
  const baseName = path?.[path.length - 1];
  if (!baseName) return;
  const imp = path && path.length === 1 ? host.importOf.get(baseName) : undefined;
  const field = (n: string) => cls.fields.find((f) => f.name === n)?.value;
  const call =
    cls.methods.find((m) => m.endsWith('._call')) ?? cls.methods.find((m) => m.endsWith('.invoke'));
  const fromLangchain = imp?.lib === 'langchain';
  const known = baseName === 'StructuredTool' || baseName === 'DynamicStructuredTool';
  const shaped = call !== undefined && field('name') !== undefined && field('description') !== undefined;
  if (
    !(fromLangchain && (baseName.endsWith('Tool') || call)) &&
    !(known && (call || field('name'))) &&
    !(baseName === 'Tool' && shaped)
  ) {
    return;
  }
  const reg: RegistrationFact = {
    framework: 'langchain',
    line: cls.line,
    column: 1,
    name: field('name') ?? null,
    description: field('description') ?? null,
    params: [],
    handler: call ? { kind: 'function', id: call } : null,
  };
  if (!reg.name) reg.defaultName = cls.name;
  const schema = field('schema');
  if (schema) reg.schema = schema;
  host.claimedClasses.add(cls.name);
  host.push(reg);
}
