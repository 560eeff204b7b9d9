// `scan --llm`: a local model's second opinion on the tools the scanner has something to say about.
// The opinion is its own signal (rule `llm-second-opinion`), merged into the findings but never
// above medium: a model can be talked round by the very description it judges, so it adds context
// for a reviewer and never decides a build on its own. Answers are cached by content hash.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { PortcullisError } from '../core/errors.js';
import type { Capability, Finding, Severity, ToolDefinition } from '../core/types.js';
import { createChatClient } from '../llm/index.js';
import type { ChatClient, ModelInfo } from '../llm/types.js';
import { baselineKey } from './baseline.js';
import { findingId } from './rules/index.js';
import type { ScanResult } from './scan.js';
import { AnswerCache, cacheKey, defaultLlmCacheDir } from './second-opinion-cache.js';
import {
  OPINION_SCHEMA,
  type Opinion,
  opinionMessages,
  PROMPT_VERSION,
  readOpinion,
  toolFacts,
  type Verdict,
} from './second-opinion-prompt.js';
import { findSuppression, parseSuppressions } from './suppress.js';

export const SECOND_OPINION_RULE = {
  id: 'llm-second-opinion',
  meta: {
    severity: 'low' as Severity,
    description: "A local model's verdict on whether a tool's description accounts for what its code does.",
    docs: 'docs/rules/llm-second-opinion.md',
    messages: {
      consistent: 'Second opinion ({{model}}): the description is consistent with what the code does.',
      inconsistent: 'Second opinion ({{model}}): the description does not account for what the code does.',
      malicious: 'Second opinion ({{model}}): the behaviour looks designed to deceive or harm.',
    } satisfies Record<Verdict, string>,
  },
};

// `stats.llm` joins the scan's stats here, beside the code that fills it.
declare module './scan.js' {
  interface ScanStats {
    /** With `--llm`: the model asked for second opinions (name, digest) and what it said. */
    llm?: SecondOpinionStats;
  }
}

/** What the JSON report records under `stats.llm`. */
export interface SecondOpinionStats {
  /** `ollama:MODEL` or `openai:URL#MODEL`. */
  model: string;
  name: string;
  /** The server's content digest of the model (Ollama), or null when the server has none. */
  digest: string | null;
  server: string | null;
  seed: number;
  /** Tools that had findings or effects their text does not account for. */
  toolsConsidered: number;
  asked: number;
  fromCache: number;
  failed: number;
  /** Over the `maxTools` budget, not asked. */
  notAsked: number;
  verdicts: Record<Verdict, number>;
  durationMs: number;
}

export interface SecondOpinionModel {
  client: ChatClient;
  info: ModelInfo;
}

export interface SecondOpinionOptions {
  /** Cache directory (default `$XDG_CACHE_HOME/portcullis/llm`); `false` asks every time. */
  cacheDir?: string | false;
  baseline?: ReadonlySet<string>;
  /** Where tool files are, for `portcullis-ignore llm-second-opinion` comments (default cwd). */
  cwd?: string;
  /** Most tools asked about in one scan (default 200). */
  maxTools?: number;
  seed?: number;
  timeoutMs?: number;
  onProgress?: (done: number, total: number, tool: string) => void;
}

const DEFAULT_MAX_TOOLS = 200;
const DEFAULT_SEED = 42;
/** Effects worth a second look when no claim accounts for them (reading a file is not one). */
const NOTEWORTHY: readonly Capability[] = [
  'network',
  'process',
  'file.write',
  'file.delete',
  'secret',
  'dynamic-code',
];

/** Connects once, before any scanning: no server or no model is a usage error with the fix. */
export async function connectSecondOpinion(
  spec: string,
  options: { baseUrl?: string; timeoutMs?: number } = {},
): Promise<SecondOpinionModel> {
  const client = createChatClient(spec, options);
  return { client, info: await client.describe() };
}

function hasUnclaimedEffect(tool: ToolDefinition): boolean {
  const claimed = new Set(tool.claims.filter((c) => c.polarity !== 'denies').map((c) => c.capability));
  return tool.effects.some((e) => NOTEWORTHY.includes(e.capability) && !claimed.has(e.capability));
}

function severityOf(o: Opinion): Severity {
  if (o.verdict === 'consistent') return 'info';
  if (o.verdict === 'malicious' && o.confidence >= 0.5) return 'medium';
  return 'low';
}

function toFinding(tool: ToolDefinition, o: Opinion, model: string): Finding {
  const rule = SECOND_OPINION_RULE;
  return {
    id: findingId(rule.id, tool.id, tool.file, tool.line, o.verdict),
    rule: rule.id,
    severity: severityOf(o),
    tool: tool.id,
    file: tool.file,
    line: tool.line,
    message: rule.meta.messages[o.verdict].replace('{{model}}', model),
    evidence: {
      location: { file: tool.file, line: tool.line },
      detail: `confidence ${o.confidence.toFixed(2)}${o.reasons.length ? `; ${o.reasons.join('; ')}` : ''}`,
    },
  };
}

function suppressionAt(
  tool: ToolDefinition,
  cwd: string,
  cache: Map<string, ReturnType<typeof parseSuppressions>>,
) {
  let parsed = cache.get(tool.file);
  if (!parsed) {
    try {
      parsed = parseSuppressions(readFileSync(resolve(cwd, tool.file), 'utf8'));
    } catch {
      parsed = { suppressions: [], problems: [] };
    }
    cache.set(tool.file, parsed);
  }
  return findSuppression(parsed.suppressions, SECOND_OPINION_RULE.id, [tool.line]);
}

/**
 * Asks the model about each tool with findings or unaccounted effects, merges its opinions into
 * `result.findings` (or suppressed / baselined), and records the model in `result.stats.llm`.
 */
export async function addSecondOpinions(
  result: ScanResult,
  model: SecondOpinionModel,
  options: SecondOpinionOptions = {},
): Promise<SecondOpinionStats> {
  const started = performance.now();
  const { client, info } = model;
  const seed = options.seed ?? DEFAULT_SEED;
  const cache =
    options.cacheDir === false ? undefined : new AnswerCache(options.cacheDir ?? defaultLlmCacheDir());
  const byTool = new Map<string, Finding[]>();
  for (const f of [...result.findings, ...result.baselined])
    if (f.tool) byTool.set(f.tool, [...(byTool.get(f.tool) ?? []), f]);
  const considered = result.tools.filter((t) => byTool.has(t.id) || hasUnclaimedEffect(t));
  const maxTools = options.maxTools ?? DEFAULT_MAX_TOOLS;
  const chosen = considered.slice(0, maxTools);
  const stats: SecondOpinionStats = {
    model: client.id,
    name: info.name,
    digest: info.digest ?? null,
    server: info.server ?? null,
    seed,
    toolsConsidered: considered.length,
    asked: 0,
    fromCache: 0,
    failed: 0,
    notAsked: considered.length - chosen.length,
    verdicts: { consistent: 0, inconsistent: 0, malicious: 0 },
    durationMs: 0,
  };
  const suppressionFiles = new Map<string, ReturnType<typeof parseSuppressions>>();
  const cwd = options.cwd ?? process.cwd();

  for (const [i, tool] of chosen.entries()) {
    options.onProgress?.(i, chosen.length, tool.name);
    const messages = opinionMessages(toolFacts(tool, byTool.get(tool.id) ?? []));
    const key = cacheKey({
      v: PROMPT_VERSION,
      model: client.id,
      digest: info.digest ?? null,
      seed,
      messages,
      schema: OPINION_SCHEMA,
    });
    let opinion: Opinion | string | undefined;
    const cached = cache?.get(key) as { content?: unknown } | undefined;
    if (typeof cached?.content === 'string') {
      opinion = readOpinion(cached.content);
      if (typeof opinion === 'string')
        opinion = undefined; // a corrupt entry: ask again
      else stats.fromCache++;
    }
    if (!opinion) {
      let content: string;
      try {
        const response = await client.chat({
          messages,
          format: OPINION_SCHEMA,
          temperature: 0,
          seed,
          ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}),
        });
        content = response.message.content;
      } catch (err) {
        // A server gone or a model missing ends the run; one bad answer costs one tool's opinion.
        if (!(err instanceof PortcullisError) || err.code === 'USAGE') throw err;
        content = '';
        opinion = err.message;
      }
      stats.asked++;
      if (opinion === undefined) {
        opinion = readOpinion(content);
        if (typeof opinion !== 'string')
          cache?.set(key, { content, model: client.id, digest: info.digest ?? null });
      }
    }
    if (typeof opinion === 'string') {
      stats.failed++;
      result.coverage.notes.push({
        file: tool.file,
        line: tool.line,
        message: `no second opinion on ${tool.name}: ${opinion}`,
      });
      continue;
    }
    stats.verdicts[opinion.verdict]++;
    const finding = toFinding(tool, opinion, info.name);
    const hit = suppressionAt(tool, cwd, suppressionFiles);
    if (hit) result.suppressed.push({ finding, reason: hit.reason, line: hit.line });
    else if (options.baseline?.has(baselineKey(finding))) result.baselined.push(finding);
    else result.findings.push(finding);
  }
  options.onProgress?.(chosen.length, chosen.length, '');
  result.findings.sort((a, b) => (a.file === b.file ? a.line - b.line : a.file < b.file ? -1 : 1));
  result.stats.findings = result.findings.length;
  result.stats.suppressed = result.suppressed.length;
  result.stats.baselined = result.baselined.length;
  stats.durationMs = Math.round(performance.now() - started);
  result.stats.llm = stats;
  return stats;
}

/** One line for the text report. */
export function describeSecondOpinions(s: SecondOpinionStats): string {
  const digest = s.digest ? ` ${s.digest.slice(0, 19)}…` : '';
  const counts = Object.entries(s.verdicts)
    .filter(([, n]) => n > 0)
    .map(([v, n]) => `${n} ${v}`)
    .join(', ');
  const judged = Object.values(s.verdicts).reduce((a, b) => a + b, 0);
  const parts = [`${judged} tool${judged === 1 ? '' : 's'} judged by ${s.name}${digest}`];
  if (counts) parts.push(counts);
  if (s.fromCache) parts.push(`${s.fromCache} from cache`);
  if (s.failed) parts.push(`${s.failed} without an answer (see Notes)`);
  if (s.notAsked) parts.push(`${s.notAsked} not asked (over the limit)`);
  return `Second opinions: ${parts.join('; ')}.`;
}
