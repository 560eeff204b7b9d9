import { describe, expect, it, vi } from 'vitest';

describe('initPython', () => {
  it('makes parsePython throw a clear error until initialised, and is idempotent', async () => {
    vi.resetModules();
    const fresh = await import('../../../src/scan/python/index.js');
    expect(() => fresh.parsePython('x = 1', 'a.py')).toThrow(/await initPython\(\)/);
    await Promise.all([fresh.initPython(), fresh.initPython()]);
    await fresh.initPython();
    const facts = fresh.parsePython('x = 1\n', 'pkg/a.py');
    expect(facts).toMatchObject({ file: 'pkg/a.py', language: 'python', parseErrors: [], exports: [] });
  });
});
