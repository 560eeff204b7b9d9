// The `--configs` / `--connect` half of `portcullis scan`, as one library call the CLI wires in:
// discover configs and check them, ask before starting anything, inspect each target, and return
// the live tools (as scanner tool definitions) with the findings of both.

import { PortcullisError } from '../../core/errors.js';
import type { Finding, ToolDefinition } from '../../core/types.js';
import { listedToolDefinition } from '../../text/tool/listed.js';
import { baselineKey } from '../baseline.js';
import { extractClaims } from '../claims.js';
import {
  type ConfigScanResult,
  type DiscoverOptions,
  scanClientConfigs,
  scanConfigFiles,
} from '../configs/index.js';
import { redactLaunch } from '../configs/redact.js';
import type { Manifest } from '../manifest/load.js';
import { serverInstructionFindings } from '../poison/instructions.js';
import { runRules } from '../rules/index.js';
import type { ScanResult } from '../scan.js';
import { type ConsentIO, type ConsentOutcome, confirmLaunch } from './consent.js';
import { type InspectOptions, type InspectResult, inspectServer } from './inspect.js';
import { type InspectTarget, parseTarget, targetFromConfig, targetName } from './target.js';
import { toManifest } from './to-manifest.js';

export interface CollectOptions {
  /** Discover and check the client configs on this machine. */
  configs?: boolean;
  /** Client config files named by the user (checked like discovered ones, without the disk check). */
  configFiles?: readonly string[];
  /**
   * Servers to inspect live: URLs or command lines. `true` means every enabled server found by
   * `configs` (which must be set).
   */
  connect?: readonly string[] | true;
  /** Skip the question before starting servers. */
  yes?: boolean;
  consent: ConsentIO;
  discover?: DiscoverOptions;
  inspect?: InspectOptions;
  /** What `inspect.sandbox` confines servers in, for the consent question (absent: unsandboxed). */
  sandboxDescription?: string;
  /** Only these rule ids. */
  rules?: readonly string[];
  /** Called before each server is inspected. */
  onInspect?: (name: string, index: number, total: number) => void;
}

export interface LiveEntry {
  target: InspectTarget;
  name: string;
  result?: InspectResult;
  manifest?: Manifest;
  error?: string;
  /** Named on the command line (its failure is an input error), or found in a config. */
  explicit: boolean;
}

export interface CollectResult {
  configs?: ConfigScanResult;
  live: LiveEntry[];
  consent?: ConsentOutcome;
  /** Live tools as the scanner's tool definitions (`live:<name>#tool`, line 0). */
  tools: ToolDefinition[];
  /** Config findings and rule findings on live tools. */
  findings: Finding[];
}

/** A live manifest's tools as scanner tool definitions (the same mapping as manifest files). */
export function liveToolDefinitions(manifest: Manifest): ToolDefinition[] {
  return manifest.tools.map((t) => {
    const tool = listedToolDefinition(t, manifest.file, t.line);
    tool.claims = extractClaims(tool);
    return tool;
  });
}

function uniqueNames(entries: LiveEntry[]): void {
  const seen = new Map<string, number>();
  for (const e of entries) {
    const n = (seen.get(e.name) ?? 0) + 1;
    seen.set(e.name, n);
    if (n > 1) e.name = `${e.name}#${n}`;
  }
}

export async function collectConfigsAndLive(options: CollectOptions): Promise<CollectResult> {
  const out: CollectResult = { live: [], tools: [], findings: [] };
  const rules = options.rules ? { rules: options.rules } : {};
  const parts: ConfigScanResult[] = [];
  if (options.configs) parts.push(scanClientConfigs({ ...(options.discover ?? {}), ...rules }));
  if (options.configFiles?.length) {
    const cwd = options.discover?.cwd;
    parts.push(scanConfigFiles(options.configFiles, { ...rules, ...(cwd ? { cwd } : {}) }));
  }
  if (parts.length) {
    out.configs = {
      files: parts.flatMap((p) => p.files),
      servers: parts.flatMap((p) => p.servers),
      errors: parts.flatMap((p) => p.errors),
      notes: parts.flatMap((p) => p.notes),
      findings: parts.flatMap((p) => p.findings),
    };
    out.findings.push(...out.configs.findings);
  }
  if (options.connect === true) {
    if (!out.configs)
      throw new PortcullisError('USAGE', '--connect without a target needs --configs', { field: 'connect' });
    for (const server of out.configs.servers) {
      if (server.disabled) continue;
      const target = targetFromConfig(server);
      out.live.push({ target, name: `${server.client}:${server.name}`, explicit: false });
    }
  } else {
    for (const spec of options.connect ?? []) {
      const target = parseTarget(spec);
      out.live.push({ target, name: targetName(target), explicit: true });
    }
  }
  if (out.live.length === 0) return out;
  uniqueNames(out.live);

  out.consent = await confirmLaunch(
    out.live.map((e) => ({ ...e.target, name: e.name })),
    {
      yes: options.yes === true,
      io: options.consent,
      ...(options.sandboxDescription ? { sandbox: options.sandboxDescription } : {}),
    },
  );
  if (out.consent === 'declined') return out;

  const ruleFilter = options.rules?.filter((id) => !id.startsWith('config-')) ?? [];
  const serverFindings: Finding[] = [];
  for (const [index, entry] of out.live.entries()) {
    options.onInspect?.(entry.name, index, out.live.length);
    try {
      entry.result = await inspectServer({ ...entry.target, name: entry.name }, options.inspect);
      entry.manifest = toManifest(entry.result);
      out.tools.push(...liveToolDefinitions(entry.manifest));
      const { instructions } = entry.manifest.server ?? {};
      if (instructions && (!options.rules || ruleFilter.length))
        serverFindings.push(
          ...serverInstructionFindings(
            instructions,
            entry.manifest.file,
            0,
            options.rules ? ruleFilter : undefined,
          ),
        );
    } catch (err) {
      entry.error = err instanceof PortcullisError ? err.format() : (err as Error).message;
    }
  }
  const ruleIds = options.rules?.filter((id) => !id.startsWith('config-'));
  if (!options.rules || (ruleIds && ruleIds.length > 0)) {
    out.findings.push(...runRules(out.tools, ruleIds ? { rules: ruleIds } : undefined));
  }
  out.findings.push(...serverFindings);
  return out;
}

/**
 * Folds the config and live results into a scan result (from `scanPaths`, or `emptyScanResult`):
 * tools and findings join the lists, unreadable configs become parse errors, failed live targets
 * skipped entries, and the counters follow.
 */
export function mergeIntoScanResult(
  result: ScanResult,
  extra: CollectResult,
  baseline?: ReadonlySet<string>,
): ScanResult {
  result.tools.push(...extra.tools);
  for (const f of extra.findings) {
    if (baseline?.has(baselineKey(f))) result.baselined.push(f);
    else result.findings.push(f);
  }
  result.findings.sort((a, b) => (a.file === b.file ? a.line - b.line : a.file < b.file ? -1 : 1));
  for (const e of extra.configs?.errors ?? []) {
    result.coverage.parseErrors.push({
      file: e.configFile,
      line: e.line,
      message: e.field ? `${e.message} (at ${e.field})` : e.message,
    });
  }
  for (const n of extra.configs?.notes ?? [])
    result.coverage.notes.push({ file: n.configFile, line: n.line, message: n.message });
  for (const entry of extra.live) {
    for (const note of entry.result?.notes ?? [])
      result.coverage.notes.push({ file: `live:${entry.name}`, line: 0, message: note });
    if (entry.error)
      result.coverage.skipped.push({ rel: `live:${entry.name}`, reason: 'unreadable', detail: entry.error });
    if (entry.result && entry.result.processTreeEnded === false) {
      result.coverage.notes.push({
        file: `live:${entry.name}`,
        line: 0,
        message: 'some processes of the server could not be verified as ended',
      });
    }
  }
  result.stats.filesRead += extra.configs?.files.length ?? 0;
  result.stats.toolsFound = result.tools.length;
  result.stats.findings = result.findings.length;
  result.stats.baselined = result.baselined.length;
  result.stats.filesSkipped = result.coverage.skipped.length;
  return result;
}

/** A scan result with nothing in it, for `scan --configs` / `--connect` without paths. */
export function emptyScanResult(): ScanResult {
  return {
    version: 1,
    tools: [],
    findings: [],
    suppressed: [],
    baselined: [],
    coverage: { skipped: [], unresolved: [], parseErrors: [], notes: [] },
    stats: {
      filesRead: 0,
      linesRead: 0,
      toolsFound: 0,
      registrationsNotUnderstood: 0,
      filesSkipped: 0,
      filesAnalysed: 0,
      filesNotReached: 0,
      findings: 0,
      suppressed: 0,
      baselined: 0,
      durationMs: 0,
    },
  };
}

/**
 * The config and live parts of a JSON report, with secrets masked: servers' env and header
 * values, secret-named options' values, and secrets inside arguments and URLs.
 */
export function sourcesForReport(extra: CollectResult): Record<string, unknown> {
  const report: Record<string, unknown> = {};
  if (extra.configs) {
    report.configs = { ...extra.configs, servers: extra.configs.servers.map((s) => redactLaunch(s)) };
  }
  if (extra.live.length) {
    report.live = extra.live.map((e) => ({
      name: e.name,
      target: redactLaunch(e.target),
      ...(e.result ? { result: e.result } : {}),
      ...(e.error ? { error: e.error } : {}),
    }));
  }
  if (extra.consent) report.consent = extra.consent;
  return report;
}

/** What was found, per config file and per live server, as plain text lines for the terminal. */
export function describeSources(extra: CollectResult): string {
  const lines: string[] = [];
  if (extra.configs) {
    const c = extra.configs;
    lines.push(
      `MCP client configs: ${c.files.length} file${c.files.length === 1 ? '' : 's'}, ${c.servers.length} server${c.servers.length === 1 ? '' : 's'}`,
    );
    for (const f of c.files) {
      lines.push(
        `  ${f.configFile} (${f.client}${f.scope ? `, ${f.scope}` : ''})${f.errors ? `: ${f.errors} error${f.errors === 1 ? '' : 's'}` : ''}`,
      );
      for (const s of c.servers.filter((x) => x.configFile === f.configFile)) {
        const shownServer = redactLaunch(s);
        const what = shownServer.command
          ? [shownServer.command, ...(shownServer.args ?? [])].join(' ')
          : (shownServer.url ?? '');
        const shown = what.length > 100 ? `${what.slice(0, 99)}…` : what;
        lines.push(
          `    ${s.project ? `${s.project} › ` : ''}${s.name} [${s.transport}${s.disabled ? ', disabled' : ''}] ${shown}  (line ${s.line})`,
        );
      }
    }
    for (const e of c.errors)
      lines.push(`  error: ${e.configFile}:${e.line}${e.column ? `:${e.column}` : ''}: ${e.message}`);
  }
  if (extra.consent === 'declined') lines.push('Live inspection: declined; no server was started.');
  for (const entry of extra.live) {
    if (entry.result) {
      const r = entry.result;
      const id = [r.server.name, r.server.version].filter(Boolean).join(' ');
      lines.push(
        `live:${entry.name}${id ? ` (${id})` : ''}: ${r.tools.length} tools, ${r.prompts.length} prompts, ${r.resources.length} resources${r.server.instructions ? ', has instructions' : ''}`,
      );
    } else if (entry.error) lines.push(`live:${entry.name}: failed: ${entry.error.split('\n')[0]}`);
  }
  return lines.length ? `${lines.join('\n')}\n` : '';
}
