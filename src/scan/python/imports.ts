// `import …` and `from … import …` → ImportFacts (recorded wherever they appear, also inside functions).

import type { FileContext } from './context.js';
import { CANDIDATE_CALLEES } from './expressions.js';
import { childByField, type PyNode } from './syntax-tree.js';

function compact(text: string): string {
  return text.replace(/[\s\\]+/g, '');
}

export function convertImport(ctx: FileContext, node: PyNode): void {
  const line = ctx.line(node);
  for (const child of node.children) {
    if (child.field !== 'name') continue;
    if (child.type === 'aliased_import') {
      const name = childByField(child, 'name');
      const alias = childByField(child, 'alias');
      if (name && alias)
        ctx.facts.imports.push({
          local: ctx.text(alias),
          module: compact(ctx.text(name)),
          imported: '*',
          line,
        });
    } else if (child.type === 'dotted_name') {
      // `import os.path` binds `os`, which is the module `os`.
      const first = compact(ctx.text(child)).split('.')[0] as string;
      ctx.facts.imports.push({ local: first, module: first, imported: '*', line });
    }
  }
}

export function convertImportFrom(ctx: FileContext, node: PyNode): void {
  if (node.type === 'future_import_statement') return;
  const moduleNode = childByField(node, 'module_name');
  if (!moduleNode) return;
  const module = compact(ctx.text(moduleNode));
  const line = ctx.line(node);
  for (const child of node.children) {
    if (child.type === 'wildcard_import') {
      ctx.facts.imports.push({ local: '*', module, imported: '*', line });
    } else if (child.field === 'name' && child.type === 'aliased_import') {
      const name = childByField(child, 'name');
      const alias = childByField(child, 'alias');
      if (!name || !alias) continue;
      const imported = compact(ctx.text(name));
      ctx.facts.imports.push({ local: ctx.text(alias), module, imported, line });
      if (CANDIDATE_CALLEES.has(imported)) ctx.candidateAliases.add(ctx.text(alias));
    } else if (child.field === 'name' && child.type === 'dotted_name') {
      const name = compact(ctx.text(child));
      ctx.facts.imports.push({ local: name, module, imported: name, line });
    }
  }
}
