// Which agent framework a local name comes from, decided by the file's imports (never by the
// variable's name): `from langchain_core.tools import tool` makes `tool` LangChain's decorator.

import type { Framework } from '../../core/types.js';
import type { Expr, ImportFact } from '../facts.js';

export type Family = 'mcp' | 'langchain' | 'smolagents' | 'crewai' | 'openai-agents';

/** The Framework a family's decorators and classes register for (`.tool` on servers is decided separately). */
export const FAMILY_FRAMEWORK: Record<Family, Framework> = {
  mcp: 'mcp-fastmcp',
  langchain: 'langchain',
  smolagents: 'smolagents',
  crewai: 'crewai',
  'openai-agents': 'openai-agents',
};

/** The framework family of a Python module path, or undefined for anything else (including relative). */
export function familyOfModule(module: string): Family | undefined {
  if (module.startsWith('.')) return undefined;
  const root = module.split('.')[0] as string;
  if (root === 'mcp' || root === 'fastmcp') return 'mcp';
  if (root === 'langchain' || root.startsWith('langchain_') || root === 'langgraph') return 'langchain';
  if (root === 'smolagents') return 'smolagents';
  if (root === 'crewai' || root === 'crewai_tools') return 'crewai';
  if (root === 'agents') return 'openai-agents';
  return undefined;
}

export interface ImportedName {
  family: Family | undefined;
  module: string;
  /** The imported name (`tool`, `BaseTool`) or `*` for a module binding. */
  imported: string;
}

export class ImportTable {
  private readonly byLocal = new Map<string, ImportedName>();
  readonly families = new Set<Family>();

  constructor(imports: ImportFact[]) {
    for (const imp of imports) {
      const family = familyOfModule(imp.module);
      if (family) this.families.add(family);
      // First binding wins, as in straight-line module code.
      if (!this.byLocal.has(imp.local))
        this.byLocal.set(imp.local, { family, module: imp.module, imported: imp.imported });
    }
  }

  get(local: string): ImportedName | undefined {
    return this.byLocal.get(local);
  }

  /**
   * Resolves `name`, `mod.name`, `pkg.mod.name` to the imported symbol: its family and the final
   * attribute name (`tool`, `Tool`, `BaseTool`).
   */
  resolve(expr: Expr): { family: Family | undefined; name: string; viaModule: boolean } | undefined {
    if (expr.k === 'name') {
      const imp = this.byLocal.get(expr.name);
      if (!imp) return undefined;
      return { family: imp.family, name: imp.imported === '*' ? expr.name : imp.imported, viaModule: false };
    }
    if (expr.k === 'attr') {
      let root: Expr = expr.object;
      let guard = 0;
      while (root.k === 'attr' && guard++ < 20) root = root.object;
      if (root.k !== 'name') return undefined;
      const imp = this.byLocal.get(root.name);
      if (imp?.imported !== '*') {
        // `from mcp import types` binds a submodule by name: treat it like a module binding.
        if (imp?.family) return { family: imp.family, name: expr.name, viaModule: true };
        return undefined;
      }
      return { family: imp.family, name: expr.name, viaModule: true };
    }
    return undefined;
  }
}

/** The name a callee or decorator ends in: `tool` for `tool`, `mcp.tool`, `tool(...)`. */
export function calleeName(expr: Expr): string | undefined {
  const target = expr.k === 'call' ? expr.callee : expr;
  if (target.k === 'name') return target.name;
  if (target.k === 'attr') return target.name;
  return undefined;
}
