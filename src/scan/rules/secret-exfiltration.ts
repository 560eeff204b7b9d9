// A secret — a credential file, a sensitive location, the whole environment, a secret-named
// environment variable — flowing to something outside the machine: the network, a command that
// reaches the network (curl, nc, scp), or (less directly) a file in a web-served or shared place.
//
// The honest pattern this must not flag: a tool reading its own API key from the environment
// and sending it to its own API. A secret variable whose service words match the destination
// host, or whose destination the description names, is authentication, not exfiltration.

import type { DataSource, Flow, Location, Severity, ToolDefinition } from '../../core/types.js';
import { SHARED_PATH } from './data.js';
import {
  describeEffect,
  envVarName,
  hostOf,
  isLoopback,
  isNetworkCommand,
  positiveClaim,
  serviceWords,
  textNamesHost,
  truncate,
  vouchingSibling,
} from './support.js';
import type { Rule } from './types.js';

type SecretKind = 'sensitive-file' | 'whole-env' | 'secret-env' | 'system-file';

const WHOLE_ENV =
  /^(?:process\.env|os\.environ|environ|os\.environ\.copy\(\)|dict\(os\.environ\))$|entire environment|whole environment/i;
const SECRET_NAME = /key|token|secret|passw|pwd|credential|auth|cookie|session|private|cert/i;

function classify(source: DataSource): SecretKind | undefined {
  if (source.kind === 'param') return undefined;
  const detail = source.detail.trim();
  if (source.kind === 'env') {
    if (WHOLE_ENV.test(detail)) return 'whole-env';
    const name = envVarName(detail);
    return name && SECRET_NAME.test(name) ? 'secret-env' : undefined;
  }
  if (source.sensitive === 'system') return 'system-file';
  if (source.sensitive) return 'sensitive-file';
  if (WHOLE_ENV.test(detail)) return 'whole-env';
  return envVarName(detail) && !/[/~\\]/.test(detail) ? 'secret-env' : 'sensitive-file';
}

type SinkKind = 'network' | 'network-command' | 'shared-file';

function sinkKind(flow: Flow): SinkKind | undefined {
  const e = flow.sink;
  if (e.capability === 'network') return isLoopback(hostOf(e.target)) ? undefined : 'network';
  if (e.capability === 'process') return isNetworkCommand(e) ? 'network-command' : undefined;
  if (e.capability === 'file.write' && e.target && SHARED_PATH.test(e.target)) return 'shared-file';
  return undefined;
}

const SOURCE_TEXT: Record<SecretKind, string> = {
  'sensitive-file': 'a sensitive file',
  'system-file': 'a system file',
  'whole-env': 'the whole environment',
  'secret-env': 'a secret environment variable',
};

export const secretExfiltration: Rule = {
  id: 'secret-exfiltration',
  meta: {
    severity: 'high',
    description:
      'A secret, a sensitive file or the whole environment flows to the network or another external sink.',
    docs: 'docs/rules/secret-exfiltration.md',
    messages: {
      exfiltration: '{{source}} ({{detail}}) flows to {{sink}}{{undisclosed}}.',
      exposure: '{{source}} ({{detail}}) is written to a shared location: {{sink}}.',
    },
  },
  check({ tool, neighbours, report }) {
    const seen = new Set<string>();
    for (const flow of tool.flows) {
      const assessed = assessSecretFlow(tool, flow, neighbours);
      if (!assessed || flow.source.kind === 'param') continue;
      const { kind, sink, severity, networkClaimed } = assessed;
      const key = `${flow.source.detail}\0${flow.sink.location.file}:${flow.sink.location.line}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const sourceLocation = flow.source.location;
      report({
        messageId: sink === 'shared-file' ? 'exposure' : 'exfiltration',
        severity,
        data: {
          source: capitalise(SOURCE_TEXT[kind]),
          detail: truncate(flow.source.detail, 60),
          sink: describeEffect(flow.sink),
          undisclosed: networkClaimed ? '' : ', and the description does not say the tool uses the network',
        },
        location: flow.sink.location,
        evidence: {
          location: flow.sink.location,
          callPath: flow.sink.callPath,
          dataPath: withSource(sourceLocation, flow.path),
          detail: `source: ${flow.source.detail}; sink: ${describeEffect(flow.sink)}`,
        },
      });
    }
  },
};

export interface SecretFlowAssessment {
  kind: SecretKind;
  sink: SinkKind;
  severity: Severity;
  networkClaimed: boolean;
}

/** Whether a flow is secret exfiltration, and how bad; undefined when it is not (or is auth). */
export function assessSecretFlow(
  tool: ToolDefinition,
  flow: Flow,
  neighbours: readonly ToolDefinition[] = [],
): SecretFlowAssessment | undefined {
  if (flow.source.kind === 'param') return undefined;
  const kind = classify(flow.source);
  const sink = sinkKind(flow);
  if (!kind || !sink) return undefined;
  const host = hostOf(flow.sink.target);
  const networkClaimed = positiveClaim(tool, ['network']) !== undefined;
  let severity: Severity | undefined;
  if (sink === 'shared-file') severity = 'medium';
  else if (kind === 'secret-env') {
    // A key sent through the client its neighbours use for their (claimed) API calls is auth.
    severity = vouchingSibling(neighbours, tool, flow.sink)
      ? undefined
      : apiKeySeverity(tool, flow.source.detail, flow.sink.api, host, networkClaimed);
  } else if (kind === 'system-file') severity = networkClaimed ? 'medium' : 'high';
  else severity = networkClaimed ? 'high' : 'critical';
  return severity ? { kind, sink, severity, networkClaimed } : undefined;
}

/**
 * An API key sent over the network is usually the tool authenticating to its own service. It is
 * exfiltration-shaped only when the destination is unrelated to the key and undisclosed.
 */
function apiKeySeverity(
  tool: ToolDefinition,
  detail: string,
  api: string,
  host: string | undefined,
  networkClaimed: boolean,
): Severity | undefined {
  const words = serviceWords(envVarName(detail) ?? detail);
  // The service's own SDK (`OPENAI_API_KEY` into `openai.OpenAI().chat.completions.create`).
  const apiWords = api.toLowerCase().split(/[^a-z0-9]+/);
  if (words.some((w) => w.length >= 3 && apiWords.includes(w))) return undefined;
  if (host) {
    const labels = host.split('.');
    if (words.some((w) => labels.some((l) => l.includes(w) || (w.includes(l) && l.length >= 4))))
      return undefined;
    if (textNamesHost(tool, host)) return undefined;
    return networkClaimed ? 'medium' : 'critical';
  }
  // Destination built at run time (a configured base URL): honest when the tool says it calls out.
  return networkClaimed ? undefined : 'medium';
}

function withSource(source: Location, path: Location[]): Location[] {
  const head = path[0];
  return head && head.file === source.file && head.line === source.line ? path : [source, ...path];
}

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
