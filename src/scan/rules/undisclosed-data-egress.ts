// Parameter data sent over the network to a destination the tool's text neither discloses nor
// implies: the `sanitize_input` "Removes dangerous chars. Safe for file paths." that posts its
// argument to a remote server. Honest tools say where their data goes — a weather tool sends
// its city to a weather API, a `fetch(url)` tool sends to the URL it is given — so any claim or
// implication of network use, a parameter naming the destination, or the host being named in
// the text is counter-evidence. A safety or locality claim on top is quoted as aggravating.

import type { Claim, Effect, Flow, Severity, ToolDefinition } from '../../core/types.js';
import {
  anyDenial,
  describeEffect,
  hostOf,
  isLoopback,
  positiveClaim,
  sameEffect,
  textNamesHost,
  vouchingSibling,
} from './support.js';
import type { Rule } from './types.js';

/** Parameter data leaving over the network for a destination the tool's text does not account for. */
export function isUndisclosedEgress(tool: ToolDefinition, flow: Flow): boolean {
  if (flow.source.kind !== 'param' || flow.sink.capability !== 'network') return false;
  if (positiveClaim(tool, ['network'])) return false;
  const host = hostOf(flow.sink.target);
  return !(isLoopback(host) || (host && textNamesHost(tool, host)));
}

interface EgressGrade {
  severity: Severity;
  messageId: 'egress' | 'egressDespiteClaim' | 'egressSharedClient' | 'egressUnknownDescription';
  denial?: Claim;
  sibling?: ToolDefinition;
}

/**
 * How bad an undisclosed sink is. High: the tool claims safety or locality, or the data goes to a
 * literal host nothing mentions (the shape of a planted collector). Medium: the description is
 * unknown, the destination is configured at run time (an API base URL), or a neighbour vouches
 * for the same client or host.
 */
function grade(tool: ToolDefinition, neighbours: readonly ToolDefinition[], sink: Effect): EgressGrade {
  const denial = anyDenial(tool, ['network', 'mutation']);
  if (denial) return { severity: 'high', messageId: 'egressDespiteClaim', denial };
  if (
    !tool.descriptionResolved ||
    (!tool.description.trim() && !tool.parameters.some((p) => p.description))
  ) {
    return { severity: 'medium', messageId: 'egressUnknownDescription' };
  }
  const sibling = vouchingSibling(neighbours, tool, sink);
  if (sibling) return { severity: 'medium', messageId: 'egressSharedClient', sibling };
  return { severity: hostOf(sink.target) ? 'high' : 'medium', messageId: 'egress' };
}

/** The severity `undisclosed-data-egress` gives this flow, or undefined when it does not report it. */
export function egressSeverity(
  tool: ToolDefinition,
  neighbours: readonly ToolDefinition[],
  flow: Flow,
): Severity | undefined {
  return isUndisclosedEgress(tool, flow) ? grade(tool, neighbours, flow.sink).severity : undefined;
}

export const undisclosedDataEgress: Rule = {
  id: 'undisclosed-data-egress',
  meta: {
    severity: 'high',
    description:
      'Parameter data is sent over the network to a destination the description does not disclose or imply.',
    docs: 'docs/rules/undisclosed-data-egress.md',
    messages: {
      egress:
        'Parameter {{params}} is sent to {{destination}} ({{effect}}), but the description does not say the tool uses the network.',
      egressDespiteClaim:
        'Parameter {{params}} is sent to {{destination}} ({{effect}}), although the description says "{{claim}}".',
      egressSharedClient:
        'Parameter {{params}} is sent to {{destination}} ({{effect}}) through the same code tool "{{sibling}}" uses for its network calls, but this tool\'s description does not say it uses the network.',
      egressUnknownDescription:
        'Parameter {{params}} is sent to {{destination}} ({{effect}}); the description could not be resolved statically to check it.',
    },
  },
  check({ tool, neighbours, report }) {
    // Group by sink: one finding per place the data leaves, naming every parameter that reaches it.
    const bySink: { sink: Effect; flows: Flow[] }[] = [];
    for (const flow of tool.flows) {
      if (!isUndisclosedEgress(tool, flow)) continue;
      const group = bySink.find((g) => sameEffect(g.sink, flow.sink));
      if (group) group.flows.push(flow);
      else bySink.push({ sink: flow.sink, flows: [flow] });
    }
    for (const { sink, flows } of bySink) {
      const params = [...new Set(flows.map((f) => (f.source.kind === 'param' ? f.source.name : '')))];
      const host = hostOf(sink.target);
      const { severity, messageId, denial, sibling } = grade(tool, neighbours, sink);
      const flow = flows[0]!;
      report({
        messageId,
        severity,
        data: {
          params: params.map((p) => `"${p}"`).join(', '),
          destination: host ?? 'a destination computed at run time',
          effect: describeEffect(sink),
          claim: denial?.text ?? '',
          sibling: sibling?.name ?? '',
        },
        location: sink.location,
        evidence: {
          location: sink.location,
          callPath: sink.callPath,
          dataPath: flow.path,
          ...(denial ? { claim: denial.text } : {}),
          detail: `parameters: ${params.join(', ')}; sink: ${describeEffect(sink)}`,
        },
      });
    }
  },
};
