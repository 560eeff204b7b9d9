// Tool names across servers: the same name from two servers (the client picks one, an attacker's
// server can win), names that differ only by case or separators, and names spelt with look-alike
// letters from another script (`reаd_file` with a Cyrillic а) or invisible characters.

import type { ToolDefinition } from '../../core/types.js';
import { normalizeText } from '../index.js';
import type { Judgement } from './judge.js';
import { visible } from './visible.js';

export interface NameIndex {
  bySkeleton: Map<string, ToolDefinition[]>;
}

/** What a name looks like: homoglyphs folded, invisible characters dropped, case and separators ignored. */
export function nameSkeleton(name: string): string {
  return normalizeText(name)
    .text.toLowerCase()
    .replace(/[\s_.\-/:]+/g, '');
}

const indexes = new WeakMap<readonly ToolDefinition[], NameIndex>();

export function nameIndex(tools: readonly ToolDefinition[]): NameIndex {
  const hit = indexes.get(tools);
  if (hit) return hit;
  const bySkeleton = new Map<string, ToolDefinition[]>();
  for (const t of tools) {
    const k = nameSkeleton(t.name);
    const l = bySkeleton.get(k);
    if (l) l.push(t);
    else bySkeleton.set(k, [t]);
  }
  const index = { bySkeleton };
  indexes.set(tools, index);
  return index;
}

/** Two tools come from different servers when they come from different manifests or packages. */
function otherServer(a: ToolDefinition, b: ToolDefinition): boolean {
  if (a.file === b.file) return false;
  // Source tools of one package may legitimately register a name in two files (modes, versions).
  return a.language === 'manifest' || b.language === 'manifest';
}

export function judgeName(tool: ToolDefinition, all: readonly ToolDefinition[]): Judgement[] {
  const out: Judgement[] = [];
  const n = normalizeText(tool.name);
  const disguised = n.hidden.length > 0 || /[^\x20-\x7e]/.test(tool.name);
  const others = (nameIndex(all).bySkeleton.get(nameSkeleton(tool.name)) ?? []).filter((t) => t !== tool);
  const shown = visible(tool.name, 80);
  if (disguised) {
    const twin = others.find((t) => t.name !== tool.name);
    out.push({
      messageId: 'confusableName',
      severity: twin ? 'high' : 'medium',
      field: 'name',
      excerpt: shown,
      data: {
        name: shown,
        twin: twin ? ` and imitates \`${twin.name}\` (${twin.file}:${twin.line})` : '',
      },
    });
  }
  for (const o of others) {
    if (!otherServer(tool, o)) continue;
    if (o.name === tool.name) {
      out.push({
        messageId: 'collision',
        severity: 'medium',
        field: 'name',
        excerpt: shown,
        data: { name: shown, other: `${o.file}:${o.line}` },
      });
      break;
    }
    if (!disguised && !/[^\x20-\x7e]/.test(o.name)) {
      out.push({
        messageId: 'nearCollision',
        severity: 'medium',
        field: 'name',
        excerpt: shown,
        data: { name: shown, other: `\`${o.name}\` (${o.file}:${o.line})` },
      });
      break;
    }
  }
  return out;
}
