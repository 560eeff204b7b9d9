// Tool classes: LangChain / CrewAI `BaseTool` subclasses (`name`, `description`, `args_schema`,
// `_run` / `_arun`) and smolagents `Tool` subclasses (`inputs`, `forward`), also through local
// intermediate base classes.

import type { ClassFact, Expr, RegistrationFact } from '../facts.js';
import type { FileContext } from './context.js';
import { FAMILY_FRAMEWORK, type Family, type ImportTable } from './frameworks.js';
import { applyArgsSchema, signatureParams, smolagentsInputs } from './tool-params.js';

/** Classes deriving (in this file, transitively) from a framework tool base. */
function toolBaseFamily(
  ctx: FileContext,
  imports: ImportTable,
  cls: ClassFact,
  seen: Set<string>,
): { family: Family; kind: 'BaseTool' | 'Tool' } | undefined {
  if (seen.has(cls.name) || seen.size > 20) return undefined;
  seen.add(cls.name);
  for (const base of cls.bases) {
    const resolved = imports.resolve(base);
    if (resolved?.family) {
      if (resolved.name === 'BaseTool' && (resolved.family === 'langchain' || resolved.family === 'crewai')) {
        return { family: resolved.family, kind: 'BaseTool' };
      }
      if (resolved.name === 'Tool' && resolved.family === 'smolagents')
        return { family: 'smolagents', kind: 'Tool' };
      continue;
    }
    if (base.k === 'name') {
      const local = ctx.classesByName.get(base.name);
      if (local) {
        const found = toolBaseFamily(ctx, imports, local, seen);
        if (found) return found;
      }
    }
  }
  return undefined;
}

export function classRegistration(ctx: FileContext, imports: ImportTable, cls: ClassFact): void {
  const base = toolBaseFamily(ctx, imports, cls, new Set());
  if (!base) return;
  const field = (name: string): Expr | undefined => cls.fields.find((f) => f.name === name)?.value;
  const method = (name: string): string | undefined => cls.methods.find((id) => id === `${cls.name}.${name}`);
  const handlerId = base.kind === 'Tool' ? method('forward') : (method('_run') ?? method('_arun'));
  const nameExpr = field('name');
  // An intermediate base class with neither a name nor a handler is not a tool itself.
  if (!handlerId && !nameExpr) return;
  const node = ctx.classNodes.get(cls.name);
  const reg: RegistrationFact = {
    framework: FAMILY_FRAMEWORK[base.family],
    line: cls.line,
    column: node ? ctx.column(node) : 1,
    name: nameExpr ?? null,
    description: field('description') ?? null,
    params: [],
    handler: handlerId ? { kind: 'function', id: handlerId } : null,
  };
  if (!nameExpr) reg.defaultName = cls.name;
  const handler = handlerId ? ctx.functionsById.get(handlerId) : undefined;
  if (base.kind === 'Tool') {
    const inputs = field('inputs');
    const params = inputs ? smolagentsInputs(inputs) : undefined;
    if (params) reg.params = params;
    else if (inputs) reg.schema = inputs;
    else if (handler) reg.params = signatureParams(handler);
  } else {
    const schema = field('args_schema');
    if (handler) reg.params = signatureParams(handler);
    applyArgsSchema(ctx, reg, schema);
  }
  ctx.facts.registrations.push(reg);
}
