// Each rule's documentation page exists and agrees with the rule's metadata, in the manner of
// typescript-eslint's docs tests: title, severity, description, every message id, the sections a
// user needs, and examples in both languages.

import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { RULES } from '../../../src/scan/rules/index.js';

const ROOT = new URL('../../../', import.meta.url).pathname;
const SECTIONS = [
  '## What it finds',
  '## Why it matters',
  '## Examples',
  '## How to fix',
  '## How to suppress',
  '## Messages',
];

describe('rule docs', () => {
  for (const rule of RULES) {
    describe(rule.id, () => {
      const path = `${ROOT}${rule.meta.docs}`;

      it('has a page at meta.docs', () => {
        expect(rule.meta.docs).toBe(`docs/rules/${rule.id}.md`);
        expect(existsSync(path)).toBe(true);
      });

      it('title, severity and description match the rule meta', () => {
        const lines = readFileSync(path, 'utf8').split('\n');
        expect(lines[0]).toBe(`# ${rule.id}`);
        const severity = lines.find((l) => l.startsWith('**Severity:**'));
        expect(severity).toMatch(new RegExp(`^\\*\\*Severity:\\*\\* ${rule.meta.severity} `));
        expect(lines).toContain(`> ${rule.meta.description}`);
      });

      it('has every section and lists every message id', () => {
        const text = readFileSync(path, 'utf8');
        for (const s of SECTIONS) expect(text).toContain(`\n${s}\n`);
        const messages = text.slice(text.indexOf('## Messages'));
        for (const id of Object.keys(rule.meta.messages)) expect(messages).toContain(`- \`${id}\``);
        const listed = [...messages.matchAll(/^- `([A-Za-z]+)`/gm)].map((m) => m[1]);
        expect(listed.sort()).toEqual(Object.keys(rule.meta.messages).sort());
      });

      it('shows flagged and clean examples in Python and TypeScript, and a suppression with a reason', () => {
        const text = readFileSync(path, 'utf8');
        expect(text.match(/```python/g)?.length ?? 0).toBeGreaterThanOrEqual(2);
        expect(text.match(/```ts/g)?.length ?? 0).toBeGreaterThanOrEqual(2);
        expect(text).toMatch(/Not flagged/);
        expect(text).toMatch(new RegExp(`portcullis-ignore ${rule.id} -- \\S`));
      });
    });
  }
});
