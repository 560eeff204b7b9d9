// SARIF 2.1.0 for GitHub code scanning and other SARIF consumers.
import type { Finding, Location, Severity } from '../core/types.js';
import { VERSION } from '../version.js';

export interface RuleDescriptor {
  id: string;
  severity: Severity;
  description: string;
  /** Repository-relative path of the rule's documentation page. */
  docs: string;
}

export interface SarifInput {
  findings: readonly Finding[];
  suppressed: readonly { finding: Finding; reason: string }[];
  /** Stable key per finding (baseline key), used as the partial fingerprint. */
  keyOf: (f: Finding) => string;
}

const LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = {
  critical: 'error',
  high: 'error',
  medium: 'warning',
  low: 'note',
  info: 'note',
};

/** GitHub sorts and labels security alerts by this 0.1–10 score. */
const SECURITY_SEVERITY: Record<Severity, string> = {
  critical: '9.5',
  high: '8.0',
  medium: '5.5',
  low: '3.0',
  info: '1.0',
};

function physical(loc: Location) {
  return {
    physicalLocation: {
      artifactLocation: { uri: encodeURI(loc.file), uriBaseId: '%SRCROOT%' },
      region: { startLine: Math.max(1, loc.line), ...(loc.column ? { startColumn: loc.column } : {}) },
    },
  };
}

export function renderSarif(input: SarifInput, rules: readonly RuleDescriptor[]): string {
  const ruleIndex = new Map(rules.map((r, i) => [r.id, i]));
  const result = (f: Finding, suppression?: string) => {
    const dataPath = f.evidence.dataPath ?? [];
    const related: Location[] = [];
    if (f.evidence.location && (f.evidence.location.file !== f.file || f.evidence.location.line !== f.line))
      related.push(f.evidence.location);
    return {
      ruleId: f.rule,
      ...(ruleIndex.has(f.rule) ? { ruleIndex: ruleIndex.get(f.rule) } : {}),
      level: LEVEL[f.severity],
      message: { text: f.message },
      locations: [physical({ file: f.file, line: f.line })],
      ...(related.length
        ? { relatedLocations: related.map((l, i) => ({ id: i, ...physical(l), message: { text: 'sink' } })) }
        : {}),
      ...(dataPath.length > 1
        ? { codeFlows: [{ threadFlows: [{ locations: dataPath.map((l) => ({ location: physical(l) })) }] }] }
        : {}),
      partialFingerprints: { 'portcullis/v1': input.keyOf(f) },
      properties: {
        severity: f.severity,
        'security-severity': SECURITY_SEVERITY[f.severity],
        ...(f.tool ? { tool: f.tool } : {}),
        ...(f.evidence.callPath ? { callPath: f.evidence.callPath } : {}),
        ...(f.evidence.claim ? { claim: f.evidence.claim } : {}),
      },
      ...(suppression !== undefined
        ? { suppressions: [{ kind: 'inSource', justification: suppression }] }
        : {}),
    };
  };
  const sarif = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'Portcullis',
            version: VERSION,
            semanticVersion: VERSION,
            informationUri: 'https://www.npmjs.com/package/portcullis',
            rules: rules.map((r) => ({
              id: r.id,
              name: r.id.replace(/(^|-)([a-z])/g, (_m, _d, c: string) => c.toUpperCase()),
              shortDescription: { text: r.description },
              fullDescription: { text: r.description },
              help: { text: `${r.description} See ${r.docs}.` },
              defaultConfiguration: { level: LEVEL[r.severity] },
              properties: {
                tags: ['security'],
                precision: 'high',
                'security-severity': SECURITY_SEVERITY[r.severity],
              },
            })),
          },
        },
        columnKind: 'utf16CodeUnits',
        results: [
          ...input.findings.map((f) => result(f)),
          ...input.suppressed.map((s) => result(s.finding, s.reason)),
        ],
      },
    ],
  };
  return `${JSON.stringify(sarif, null, 2)}\n`;
}
