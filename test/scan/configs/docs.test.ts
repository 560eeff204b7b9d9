// The documentation is checked against the data: every config location per OS is in
// docs/configs.md, and every config rule has a page whose header matches its metadata.

import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CONFIG_LOCATIONS, describeLocation, type Platform } from '../../../src/scan/configs/locations.js';
import { CONFIG_RULES } from '../../../src/scan/configs/rules/index.js';

const ROOT = join(import.meta.dirname, '../../..');

describe('docs/configs.md', () => {
  const doc = readFileSync(join(ROOT, 'docs/configs.md'), 'utf8');
  it('lists every location on every platform it applies to', () => {
    const missing: string[] = [];
    for (const location of CONFIG_LOCATIONS) {
      for (const platform of location.platforms as readonly Platform[]) {
        const path = describeLocation(location, platform);
        if (!doc.includes(`\`${path}\``)) missing.push(`${location.client} ${platform}: ${path}`);
      }
    }
    expect(missing).toEqual([]);
  });

  it('links every config rule', () => {
    for (const rule of CONFIG_RULES) expect(doc).toContain(`(rules/${rule.id}.md)`);
  });
});

describe('config rule pages', () => {
  for (const rule of CONFIG_RULES) {
    it(`${rule.id}: page exists, title, severity and description match the metadata`, () => {
      const path = join(ROOT, rule.meta.docs);
      expect(existsSync(path)).toBe(true);
      const page = readFileSync(path, 'utf8');
      expect(page.startsWith(`# ${rule.id}\n`)).toBe(true);
      expect(page).toContain(`**Severity:** ${rule.meta.severity}`);
      expect(page).toContain(`> ${rule.meta.description}`);
    });
  }
});
