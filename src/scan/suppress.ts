// Inline suppressions. A finding is silenced only with a stated reason, on the line it reports or
// on the tool's registration line (or the line just above either):
//   # portcullis-ignore undisclosed-data-egress -- posts to our own telemetry endpoint, documented in README
//   // portcullis-ignore denied-effect, undeclared-effect -- reason
// A suppression without a reason is itself reported and silences nothing.

export interface Suppression {
  line: number;
  rules: string[];
  reason: string;
}

export interface SuppressionProblem {
  line: number;
  message: string;
}

const MARKER = 'portcullis-ignore';

export function parseSuppressions(text: string): {
  suppressions: Suppression[];
  problems: SuppressionProblem[];
} {
  const suppressions: Suppression[] = [];
  const problems: SuppressionProblem[] = [];
  if (!text.includes(MARKER)) return { suppressions, problems };
  let line = 1;
  let start = 0;
  while (start <= text.length) {
    let end = text.indexOf('\n', start);
    if (end === -1) end = text.length;
    const at = text.indexOf(MARKER, start);
    if (at !== -1 && at < end) {
      const rest = text.slice(at + MARKER.length, Math.min(end, at + 2000));
      const sepAt = rest.indexOf('--');
      const rulePart = (sepAt === -1 ? rest : rest.slice(0, sepAt)).replace(/^[:\s]+/, '');
      const reason =
        sepAt === -1
          ? ''
          : rest
              .slice(sepAt + 2)
              .replace(/\*\/\s*$/, '')
              .trim();
      const rules = rulePart
        .split(/[\s,]+/)
        .map((r) => r.trim())
        .filter((r) => /^[a-z0-9][a-z0-9-]*$/.test(r));
      if (rules.length === 0) problems.push({ line, message: 'portcullis-ignore names no rule' });
      else if (!reason) problems.push({ line, message: 'portcullis-ignore needs a reason after "--"' });
      else suppressions.push({ line, rules, reason });
    }
    if (end === text.length) break;
    start = end + 1;
    line++;
  }
  return { suppressions, problems };
}

/** The suppression covering `rule` at any of `lines` (a comment covers its own line and the next). */
export function findSuppression(
  suppressions: readonly Suppression[],
  rule: string,
  lines: readonly number[],
): Suppression | undefined {
  return suppressions.find(
    (s) =>
      (s.rules.includes(rule) || s.rules.includes('all')) &&
      lines.some((l) => l === s.line || l === s.line + 1),
  );
}
