// Tool parameters as the model sees them: from a handler's signature (Field defaults, Annotated
// metadata, docstring sections), from pydantic `args_schema` classes, from JSON Schema literals,
// and from smolagents `inputs` dicts.

import type { Expr, FunctionFact, ParamFact, RegisteredParam, RegistrationFact } from '../facts.js';
import type { FileContext } from './context.js';
import { docstringParams } from './docstring-params.js';

/** Parameters the framework fills in itself; the model never supplies them. */
const INJECTED_NAMES = new Set(['self', 'cls', 'run_manager', 'config', 'callbacks']);
const INJECTED_TYPE =
  /^(?:[\w.]*\.)?(?:Context|RunContext|RunContextWrapper|ToolContext|CallbackManagerForToolRun|AsyncCallbackManagerForToolRun|RunnableConfig|InjectedState|InjectedToolCallId)\b/;

/** `Annotated[T, …]` → `T`; anything else unchanged. */
export function baseType(annotation: string): string {
  const trimmed = annotation.trim();
  const m = /^(?:typing\.|typing_extensions\.)?Annotated\s*\[/.exec(trimmed);
  if (!m) return trimmed;
  let depth = 0;
  for (let i = m[0].length; i < trimmed.length; i++) {
    const c = trimmed[i];
    if (c === '[' || c === '(' || c === '{') depth++;
    else if (c === ']' || c === ')' || c === '}') {
      if (depth === 0) return trimmed.slice(m[0].length, i).trim();
      depth--;
    } else if (c === ',' && depth === 0) return trimmed.slice(m[0].length, i).trim();
  }
  return trimmed;
}

function isInjected(param: ParamFact): boolean {
  if (INJECTED_NAMES.has(param.name)) return true;
  if (!param.annotation) return false;
  const base = baseType(param.annotation).replace(/^(?:typing\.)?Optional\[(.*)\]$/, '$1');
  return INJECTED_TYPE.test(base) || /^Annotated\[.*Injected/.test(param.annotation);
}

/** `Field(description=…)`-style call → its description; `…`/no default marks a required field. */
function fieldInfo(value: Expr | undefined): { description?: Expr; required: boolean } {
  if (!value) return { required: true };
  if (value.k !== 'call') return { required: false };
  const description = value.kwargs.find((kw) => kw.name === 'description')?.value;
  const name =
    value.callee.k === 'name' ? value.callee.name : value.callee.k === 'attr' ? value.callee.name : '';
  if (!/^(Field|Query|Body|Param|Path)$/.test(name)) {
    return description ? { description, required: false } : { required: false };
  }
  const first = value.args[0];
  const hasDefault =
    value.kwargs.some((kw) => kw.name === 'default' || kw.name === 'default_factory') ||
    (first !== undefined && !(first.k === 'other' && first.parts.length === 0));
  return description ? { description, required: !hasDefault } : { required: !hasDefault };
}

/** The handler's own parameters, minus injected ones, with descriptions from every source. */
export function signatureParams(fn: FunctionFact): RegisteredParam[] {
  const docs = fn.doc ? docstringParams(fn.doc) : undefined;
  const out: RegisteredParam[] = [];
  for (const param of fn.params) {
    if (param.rest || isInjected(param)) continue;
    const info = fieldInfo(param.default);
    const reg: RegisteredParam = { name: param.name, required: info.required };
    const doc = docs?.get(param.name);
    const description =
      info.description ?? param.descriptionExpr ?? (doc ? { k: 'str', value: doc } : undefined);
    if (description) reg.description = description;
    if (param.annotation) reg.type = baseType(param.annotation);
    out.push(reg);
  }
  return out;
}

/** Fields of a pydantic model class defined in this file (`args_schema=SearchInput`). */
export function modelParams(ctx: FileContext, className: string): RegisteredParam[] | undefined {
  const fields = ctx.annotatedFields.get(className);
  if (!fields) return undefined;
  const out: RegisteredParam[] = [];
  for (const field of fields) {
    if (
      field.name.startsWith('_') ||
      field.name === 'model_config' ||
      /^(typing\.)?ClassVar\b/.test(field.annotation)
    )
      continue;
    const info = fieldInfo(field.value);
    const reg: RegisteredParam = {
      name: field.name,
      type: baseType(field.annotation),
      required: info.required,
    };
    const description = info.description ?? field.descriptionExpr;
    if (description) reg.description = description;
    out.push(reg);
  }
  return out;
}

/** `{"type": "object", "properties": {...}, "required": [...]}` literal → parameters. */
export function jsonSchemaParams(schema: Expr): RegisteredParam[] | undefined {
  if (schema.k !== 'object') return undefined;
  const properties = schema.props.find((p) => p.key === 'properties')?.value;
  if (properties?.k !== 'object') return undefined;
  const requiredExpr = schema.props.find((p) => p.key === 'required')?.value;
  const required = new Set<string>();
  if (requiredExpr?.k === 'array')
    for (const item of requiredExpr.items) if (item.k === 'str') required.add(item.value);
  const out: RegisteredParam[] = [];
  for (const prop of properties.props) {
    if (prop.key === null) continue;
    const reg: RegisteredParam = { name: prop.key, required: required.has(prop.key) };
    if (prop.value.k === 'object') {
      const description = prop.value.props.find((p) => p.key === 'description')?.value;
      if (description) reg.description = description;
      const type = prop.value.props.find((p) => p.key === 'type')?.value;
      if (type?.k === 'str') reg.type = type.value;
    }
    out.push(reg);
  }
  return out;
}

/** smolagents `inputs = {"q": {"type": "string", "description": "…", "nullable": True}}`. */
export function smolagentsInputs(inputs: Expr): RegisteredParam[] | undefined {
  if (inputs.k !== 'object') return undefined;
  const out: RegisteredParam[] = [];
  for (const prop of inputs.props) {
    if (prop.key === null) continue;
    const reg: RegisteredParam = { name: prop.key, required: true };
    if (prop.value.k === 'object') {
      const description = prop.value.props.find((p) => p.key === 'description')?.value;
      if (description) reg.description = description;
      const type = prop.value.props.find((p) => p.key === 'type')?.value;
      if (type?.k === 'str') reg.type = type.value;
      const nullable = prop.value.props.find((p) => p.key === 'nullable')?.value;
      if (nullable?.k === 'lit' && nullable.value === true) reg.required = false;
    }
    out.push(reg);
  }
  return out;
}

/** A pydantic `args_schema` class in this file → its fields; otherwise keep the expression as `schema`. */
export function applyArgsSchema(ctx: FileContext, reg: RegistrationFact, schema: Expr | undefined): void {
  if (!schema) return;
  if (schema.k === 'name') {
    const fields = modelParams(ctx, schema.name);
    if (fields) {
      reg.params = fields;
      return;
    }
  }
  reg.schema = schema;
}
