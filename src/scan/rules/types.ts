// The shape of a scanner rule, after ESLint / typescript-eslint: one file per rule exporting
// `{ id, meta, check }`; a rule reports by message id and always with evidence.

import type { Evidence, Location, Severity, ToolDefinition } from '../../core/types.js';

export interface RuleMeta {
  /** The severity a finding gets unless the report says otherwise (the rule's typical case). */
  severity: Severity;
  /** One sentence: what the rule finds. */
  description: string;
  /** The rule's documentation page, `docs/rules/<id>.md`. */
  docs: string;
  /** Message id → template with `{{placeholder}}`s filled from the report's `data`. */
  messages: Record<string, string>;
}

export interface RuleReport {
  messageId: string;
  data?: Record<string, string>;
  /** Overrides `meta.severity` when the evidence is stronger or weaker than the typical case. */
  severity?: Severity;
  location: Location;
  evidence: Evidence;
}

export interface RuleContext {
  tool: ToolDefinition;
  /**
   * Every tool registered in the same folder (the same server, usually), this one included: context
   * for judging a tool against its neighbours, such as a shared API client they all call. The same
   * array is shared by all tools of a folder, so helpers may index it once.
   */
  neighbours: readonly ToolDefinition[];
  /** Every tool of the scan, for checks across servers (name collisions). Absent: use `neighbours`. */
  all?: readonly ToolDefinition[];
  report(r: RuleReport): void;
}

export interface Rule {
  id: string;
  meta: RuleMeta;
  check(ctx: RuleContext): void;
}
