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
  return skeletonOf(normalizeText(name).text);
}

function skeletonOf(normalized: string): string {
  return normalized.toLowerCase().replace(/[\s_.\-/:]+/g, '');
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

/**
 * Tools an impostor would imitate: where a swapped call sends mail or money, reads or writes files, runs
 * commands or fetches. Compared by skeleton.
 */
const SINK_NAMES = [
  'send_email',
  'send_mail',
  'send_message',
  'read_file',
  'write_file',
  'edit_file',
  'delete_file',
  'list_files',
  'transfer',
  'transfer_funds',
  'send_money',
  'make_payment',
  'create_payment',
  'execute_command',
  'run_command',
  'exec',
  'shell',
  'fetch',
  'fetch_url',
  'http_request',
  'web_search',
  'search',
  'login',
  'get_secret',
];
const SINK_SKELETONS = new Map(SINK_NAMES.map((n) => [nameSkeleton(n), n]));

/** Latin letters mixed with Cyrillic or Greek ones in one name: a disguise, not a language. */
function mixesScripts(name: string): boolean {
  return /[A-Za-z]/.test(name) && /[\u0370-\u03ff\u0400-\u04ff]/.test(name);
}

export function judgeName(tool: ToolDefinition, all: readonly ToolDefinition[]): Judgement[] {
  const out: Judgement[] = [];
  const n = normalizeText(tool.name);
  const disguised = n.hidden.length > 0 || /[^\x20-\x7e]/.test(tool.name);
  // The skeleton from the normalisation above: normalising the name again costs as much.
  const skeleton = skeletonOf(n.text);
  const others = (nameIndex(all).bySkeleton.get(skeleton) ?? []).filter((t) => t !== tool);
  const shown = visible(tool.name, 80);
  if (disguised) {
    const twin = others.find((t) => t.name !== tool.name);
    // Without a twin in this scan, a mixed-script name spelling a common sink tool imitates the one the
    // client has from another server.
    const sink = !twin && mixesScripts(tool.name) ? SINK_SKELETONS.get(skeleton) : undefined;
    out.push({
      messageId: 'confusableName',
      severity: twin || sink ? 'high' : 'medium',
      field: 'name',
      excerpt: shown,
      data: {
        name: shown,
        twin: twin
          ? ` and imitates \`${twin.name}\` (${twin.file}:${twin.line})`
          : sink
            ? ` and imitates the common tool name \`${sink}\``
            : '',
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
