// The published JSON Schema for editors is generated from the zod schema; this keeps them in sync.
// Regenerate with: PORTCULLIS_UPDATE_SCHEMA=1 npx vitest run test/guard/policy-schema.test.ts
import { readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { policyJsonSchema } from '../../src/guard/index.js';

const file = new URL('../../schemas/policy.schema.json', import.meta.url);

describe('schemas/policy.schema.json', () => {
  it('is the JSON Schema generated from the zod policy schema', () => {
    const generated = `${JSON.stringify(policyJsonSchema(), null, 2)}\n`;
    if (process.env.PORTCULLIS_UPDATE_SCHEMA === '1') writeFileSync(file, generated);
    expect(readFileSync(file, 'utf8')).toBe(generated);
  });

  it('describes the top-level fields and rejects unknown ones', () => {
    const schema = policyJsonSchema() as {
      properties: Record<string, unknown>;
      additionalProperties: unknown;
      required: string[];
    };
    expect(Object.keys(schema.properties).sort()).toEqual(
      [
        'default',
        'destructive',
        'pinned',
        'poisoned',
        'provenance',
        'results',
        'ruleOfTwo',
        'servers',
        'version',
      ].sort(),
    );
    expect(schema.additionalProperties).toBe(false);
    expect(schema.required).toContain('version');
  });
});
