// Baselines: accept today's findings so only new ones fail a build. A baseline entry is keyed by
// what a finding is (rule, tool, message), not by its line, so edits above it don't resurrect it.
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { PortcullisError } from '../core/errors.js';
import type { Finding } from '../core/types.js';

export interface BaselineFile {
  version: 1;
  findings: { key: string; rule: string; tool?: string; file: string; message: string }[];
}

export function baselineKey(f: Finding): string {
  return createHash('sha256')
    .update(`${f.rule}\0${f.tool ?? f.file}\0${f.message}`)
    .digest('hex')
    .slice(0, 24);
}

export function readBaseline(path: string): Set<string> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new PortcullisError('INPUT_NOT_FOUND', `cannot read baseline: ${(err as Error).message}`, {
      file: path,
    });
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    throw new PortcullisError('INPUT_INVALID', `baseline is not JSON: ${(err as Error).message}`, {
      file: path,
    });
  }
  const findings = (data as BaselineFile | null)?.findings;
  if ((data as BaselineFile | null)?.version !== 1 || !Array.isArray(findings)) {
    throw new PortcullisError(
      'INPUT_INVALID',
      'not a portcullis baseline (expected version 1 with findings[])',
      {
        file: path,
        field: 'version',
      },
    );
  }
  const keys = new Set<string>();
  findings.forEach((f, i) => {
    if (typeof f?.key !== 'string')
      throw new PortcullisError('INPUT_INVALID', 'baseline entry has no key', {
        file: path,
        field: `findings[${i}].key`,
      });
    keys.add(f.key);
  });
  return keys;
}

export function writeBaseline(path: string, findings: readonly Finding[]): void {
  const file: BaselineFile = {
    version: 1,
    findings: findings
      .map((f) => ({ key: baselineKey(f), rule: f.rule, tool: f.tool, file: f.file, message: f.message }))
      .sort((a, b) => a.key.localeCompare(b.key)),
  };
  writeFileSync(path, `${JSON.stringify(file, null, 2)}\n`);
}
