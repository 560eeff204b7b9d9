// A config rule: the scanner's rule shape (`{ id, meta, check }`, reports by message id) over one
// server entry of a client config instead of one tool.

import type { Evidence, Severity } from '../../../core/types.js';
import type { RuleMeta } from '../../rules/types.js';
import type { LaunchLine } from '../launch.js';
import type { ConfigServer } from '../types.js';

export interface ConfigRuleReport {
  messageId: string;
  data?: Record<string, string>;
  severity?: Severity;
  /** 1-based line in the config file; defaults to the server entry's line. */
  line?: number;
  evidence?: Evidence;
}

export interface ConfigRuleContext {
  server: ConfigServer;
  /** The launch line, wrappers unwrapped (empty for URL servers). */
  launch: LaunchLine;
  report(r: ConfigRuleReport): void;
  /** Checks a path on the real file system for world-writable folders (set when the config is from this machine). */
  worldWritable?: (path: string) => string | undefined;
}

export interface ConfigRule {
  id: string;
  meta: RuleMeta;
  check(ctx: ConfigRuleContext): void;
}

/** The line of the first argument (or the command) that contains `word`; else the entry's line. */
export function lineOfWord(server: ConfigServer, word: string): number {
  if (word !== '') {
    const args = server.args ?? [];
    for (let i = 0; i < args.length; i++) {
      if (args[i]!.includes(word)) return server.fieldLines[`args[${i}]`] ?? server.line;
    }
    if (server.command?.includes(word)) return server.fieldLines.command ?? server.line;
  }
  return server.line;
}

/** `npx -y pkg ...` for messages: the launch line, shortened. */
export function shownCommand(argv: readonly string[], max = 120): string {
  const text = argv.join(' ');
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
