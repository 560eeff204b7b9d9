// The policy file's shape (zod 4). `schemas/policy.schema.json` is generated from this schema and a
// test keeps the two in sync. Checks that need more than shape (safe regexes, host syntax) are
// refinements here, so every problem is reported with its place in the file in one pass.

import { z } from 'zod';
import { unsafePatternReason } from './regex.js';

const action = z.enum(['allow', 'deny', 'require-approval']).describe('What happens to a matching call.');

const safePattern = z
  .string()
  .superRefine((p, ctx) => {
    const why = unsafePatternReason(p);
    if (why) ctx.addIssue({ code: 'custom', message: `unsafe pattern: ${why}` });
  })
  .describe('A regular expression (Unicode mode); no backreferences, lookbehind or nested quantifiers.');

const pathConstraint = z.strictObject({
  allow: z
    .array(z.string().min(1))
    .optional()
    .describe('Path globs the argument may name (after canonicalisation).'),
  deny: z
    .array(z.string().min(1))
    .optional()
    .describe('Path globs the argument may never name; checked before allow.'),
});

const hostPattern = z
  .string()
  .regex(/^(\*\.)?[^\s*/@:?#]+$/, 'a host name, optionally starting with "*." for subdomains')
  .describe('A host name; `*.example.com` matches any subdomain of example.com.');

const urlConstraint = z.strictObject({
  hosts: z.array(hostPattern).optional().describe('Allowed hosts.'),
  schemes: z
    .array(z.string().regex(/^[a-z][a-z0-9+.-]*$/, 'a lower-case URL scheme without ":"'))
    .optional()
    .describe('Allowed schemes (default: https).'),
});

const emailConstraint = z.strictObject({
  domains: z.array(hostPattern).min(1).describe('Allowed recipient domains; every address must match.'),
});

const numberConstraint = z.strictObject({ min: z.number().optional(), max: z.number().optional() });

const stringConstraint = z.strictObject({
  maxLength: z.number().int().nonnegative().optional(),
  pattern: safePattern.optional(),
});

export const argConstraintSchema = z
  .strictObject({
    path: pathConstraint.optional(),
    url: urlConstraint.optional(),
    email: emailConstraint.optional(),
    number: numberConstraint.optional(),
    string: stringConstraint.optional(),
  })
  .describe('Constraints on one argument; every constraint given must hold.');

const labelsSchema = z
  .strictObject({
    source: z.array(z.enum(['untrusted', 'private'])).optional(),
    sink: z.array(z.enum(['external', 'destructive', 'execute'])).optional(),
  })
  .describe('Labels for the rule of two; each list given replaces the inferred labels of that kind.');

const duration = z
  .string()
  .regex(/^\d+(ms|s|m|h)$/, 'a duration such as "500ms", "60s", "5m" or "1h"')
  .describe('A duration: number followed by ms, s, m or h.');

const rateLimit = z.strictObject({
  max: z.number().int().positive().describe('Calls allowed per window.'),
  per: duration,
});

const credentialSource = z.union([
  z.strictObject({ env: z.string().min(1).describe('Read from this environment variable of the proxy.') }),
  z.strictObject({ file: z.string().min(1).describe('Read from this file (must be mode 0600).') }),
]);

/** An HTTP token (RFC 9110 §5.6.2): what a header name may be. */
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
/** Headers the proxy's HTTP client owns: a credential must not override the protocol's own. */
const RESERVED_HEADERS = new Set([
  'host',
  'content-length',
  'content-type',
  'accept',
  'connection',
  'transfer-encoding',
  'te',
  'upgrade',
  'keep-alive',
  'proxy-connection',
  'mcp-session-id',
  'mcp-protocol-version',
  'last-event-id',
]);

const credential = z
  .strictObject({
    from: credentialSource,
    inject: z.union([
      z.strictObject({ argument: z.string().min(1).describe('Set this call argument.') }),
      z.strictObject({
        env: z.string().min(1).describe("Set this variable in the upstream server's environment."),
      }),
      z.strictObject({
        header: z
          .string()
          .regex(HEADER_NAME, "an HTTP header name (letters, digits and !#$%&'*+-.^_`|~)")
          .refine((h) => !RESERVED_HEADERS.has(h.toLowerCase()), {
            message: 'a header the proxy sets itself (Host, Content-*, Accept, Mcp-*, hop-by-hop)',
          })
          .describe('Send as this HTTP header to a remote (--upstream URL) server.'),
        prefix: z
          .string()
          .regex(/^[\t\x20-\x7e]*$/, 'printable ASCII only (no line breaks)')
          .optional()
          .describe("Put before the secret in the header value, e.g. 'Bearer '."),
      }),
    ]),
  })
  .describe('A secret the proxy injects; the agent never sees it.');

// JSON Schema subset for tool arguments; kept open so editors do not reject legal keywords we ignore.
const jsonSchemaValue: z.ZodType<unknown> = z.lazy(() =>
  z.union([
    z.boolean(),
    z
      .looseObject({
        type: z.union([z.string(), z.array(z.string())]).optional(),
        properties: z.record(z.string(), jsonSchemaValue).optional(),
        required: z.array(z.string()).optional(),
        additionalProperties: jsonSchemaValue.optional(),
        items: jsonSchemaValue.optional(),
        enum: z.array(z.unknown()).optional(),
        pattern: safePattern.optional(),
      })
      .describe('JSON Schema (the common keywords are enforced; see docs/policy.md).'),
  ]),
);

export const toolRuleSchema = z.strictObject({
  action: action.optional(),
  labels: labelsSchema.optional(),
  args: z.record(z.string(), argConstraintSchema).optional().describe('Constraints per argument name.'),
  schema: jsonSchemaValue.optional().describe('JSON Schema the whole argument object must satisfy.'),
  rateLimit: rateLimit.optional(),
  credentials: z.array(credential).optional(),
});

export const serverRuleSchema = z.strictObject({
  default: action
    .optional()
    .describe("Action for this server's tools that match no rule (default: the policy default)."),
  tools: z
    .record(z.string(), toolRuleSchema)
    .optional()
    .describe('Rules by tool name or glob (`*`, `?`); exact names win, then globs in file order.'),
});

export const policySchema = z
  .strictObject({
    version: z.literal(1),
    default: action.optional().describe('Action for tools no rule matches (default: allow).'),
    destructive: action
      .optional()
      .describe(
        'Action for tools labelled destructive that no rule gives an action (default: require-approval).',
      ),
    ruleOfTwo: z
      .enum(['require-approval', 'deny', 'off'])
      .optional()
      .describe(
        'Untrusted content + private data + an external/destructive/execute call (default: require-approval).',
      ),
    provenance: z
      .enum(['require-approval', 'deny', 'off'])
      .optional()
      .describe(
        'A sink call carrying a value first seen in an untrusted result (default: require-approval).',
      ),
    poisoned: z
      .enum(['deny', 'require-approval', 'off'])
      .optional()
      .describe(
        'A tool, prompt, resource or resource template whose listed text addresses the model: instructions, secrecy, shadowing of other tools, hidden text, exfiltration parameters or links (default: deny; the item is listed with its text withheld and calls, gets and reads of it are denied).',
      ),
    pinned: z
      .strictObject({
        lock: z.string().min(1).describe('Lockfile (relative to the policy file).'),
        onChange: z.enum(['deny', 'require-approval']).optional(),
      })
      .optional(),
    results: z
      .strictObject({
        injection: z.enum(['flag', 'fence', 'quarantine', 'block']).optional(),
        secrets: z.enum(['redact', 'block']).optional(),
        hidden: z.enum(['strip', 'block']).optional(),
        maxBytes: z.number().int().positive().optional(),
      })
      .optional(),
    servers: z
      .record(z.string(), serverRuleSchema)
      .optional()
      .describe('Rules by server name; `*` applies to every server.'),
  })
  .describe('Portcullis guard policy');

export type PolicyFile = z.infer<typeof policySchema>;
export type ToolRule = z.infer<typeof toolRuleSchema>;
export type ArgConstraint = z.infer<typeof argConstraintSchema>;
export type CredentialSpec = z.infer<typeof credential>;

/** The JSON Schema published for editors (`schemas/policy.schema.json`). */
export function policyJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(policySchema, { target: 'draft-2020-12', unrepresentable: 'any' }) as Record<
    string,
    unknown
  >;
  return { ...schema, $id: 'https://portcullis.dev/schemas/policy.schema.json', title: 'Portcullis policy' };
}
