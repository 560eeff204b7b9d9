// The config rule registry and the runner that turns reports into scanner findings.

import { PortcullisError } from '../../../core/errors.js';
import type { Finding } from '../../../core/types.js';
import { findingId } from '../../rules/index.js';
import { readLaunchLine } from '../launch.js';
import type { ConfigServer } from '../types.js';
import { configInlineSecret } from './inline-secret.js';
import { configInsecureTransport } from './insecure-transport.js';
import { configRemoteScript } from './remote-script.js';
import type { ConfigRule, ConfigRuleReport } from './types.js';
import { configUnpinnedPackage } from './unpinned-package.js';
import { configWritablePath, worldWritableOnDisk } from './writable-path.js';

export type { ConfigRule, ConfigRuleContext, ConfigRuleReport } from './types.js';

export const CONFIG_RULES: readonly ConfigRule[] = [
  configRemoteScript,
  configInlineSecret,
  configUnpinnedPackage,
  configWritablePath,
  configInsecureTransport,
];

const PLACEHOLDER = /\{\{\s*([A-Za-z0-9_]+)\s*\}\}/g;

function fill(rule: ConfigRule, messageId: string, data: Record<string, string>): string {
  const template = rule.meta.messages[messageId];
  if (template === undefined)
    throw new PortcullisError('INTERNAL', `rule ${rule.id} reported unknown message id "${messageId}"`);
  return template.replace(PLACEHOLDER, (_m, key: string) => {
    const value = data[key];
    if (value === undefined)
      throw new PortcullisError(
        'INTERNAL',
        `rule ${rule.id} message "${messageId}" has no value for {{${key}}}`,
      );
    return value;
  });
}

export interface ConfigRuleOptions {
  /** Only these rule ids (ids of other rule families are ignored). */
  rules?: readonly string[];
  /**
   * Also look for world-writable folders on this machine's disk (right for configs discovered on
   * this machine; wrong for a config copied from elsewhere). Default false.
   */
  checkFilesystem?: boolean;
}

/** The key a finding about a server is stable under: file, project (Claude Code) and name. */
export function serverKey(server: ConfigServer): string {
  return `${server.configFile}#${server.project ? `${server.project}:` : ''}${server.name}`;
}

/** Runs the config rules over servers; findings are de-duplicated and sorted by file and line. */
export function runConfigRules(servers: readonly ConfigServer[], options: ConfigRuleOptions = {}): Finding[] {
  const rules = options.rules ? CONFIG_RULES.filter((r) => options.rules!.includes(r.id)) : CONFIG_RULES;
  const byId = new Map<string, Finding>();
  for (const server of servers) {
    const launch = readLaunchLine(server);
    const key = serverKey(server);
    for (const rule of rules) {
      const report = (r: ConfigRuleReport): void => {
        const line = r.line ?? server.line;
        const id = findingId(
          rule.id,
          key,
          server.configFile,
          line,
          `${r.messageId}:${r.evidence?.detail ?? ''}`,
        );
        if (byId.has(id)) return;
        byId.set(id, {
          id,
          rule: rule.id,
          severity: r.severity ?? rule.meta.severity,
          file: server.configFile,
          line,
          message: fill(rule, r.messageId, r.data ?? {}),
          evidence: {
            location: { file: server.configFile, line },
            ...r.evidence,
            detail: `${key}${r.evidence?.detail ? `: ${r.evidence.detail}` : ''}`,
          },
        });
      };
      rule.check({
        server,
        launch,
        report,
        ...(options.checkFilesystem ? { worldWritable: worldWritableOnDisk } : {}),
      });
    }
  }
  return [...byId.values()].sort((a, b) => (a.file === b.file ? a.line - b.line : a.file < b.file ? -1 : 1));
}
