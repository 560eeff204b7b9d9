// Damaged and hostile input must end in a located PortcullisError or a result — never a crash.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { PortcullisError } from '../../src/core/errors.js';
import { emptyLockfile, lockServer, parseLockfile, serializeLockfile } from '../../src/pin/index.js';
import { parseManifest } from '../../src/scan/manifest/load.js';

const fixtures = new URL('../fixtures/manifests/', import.meta.url).pathname;

/** Deterministic pseudo-random numbers, so a failure reproduces. */
function rng(seed: number): () => number {
  let x = seed >>> 0;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 2 ** 32;
  };
}

const NASTY = [
  '{',
  '}',
  '[',
  ']',
  '"',
  '\\',
  ':',
  ',',
  '\u0000',
  '\ud800',
  '1e999',
  '-',
  'null',
  '\n',
  '\u202e',
];

function mutate(text: string, random: () => number): string {
  const at = Math.floor(random() * text.length);
  switch (Math.floor(random() * 4)) {
    case 0:
      return text.slice(0, at); // truncated
    case 1:
      return text.slice(0, at) + text.slice(at + 1 + Math.floor(random() * 20)); // bytes dropped
    case 2:
      return text.slice(0, at) + NASTY[Math.floor(random() * NASTY.length)] + text.slice(at); // inserted
    default:
      return text.slice(0, at) + NASTY[Math.floor(random() * NASTY.length)] + text.slice(at + 1); // replaced
  }
}

function expectLocatedErrorOrResult(fn: () => unknown, text: string): void {
  try {
    fn();
  } catch (err) {
    if (!(err instanceof PortcullisError))
      throw new Error(`crashed on ${JSON.stringify(text.slice(0, 200))}: ${err}`);
    expect(err.location?.file).toBeTruthy();
  }
}

describe('hostile input', () => {
  it('mutated manifests never crash the reader', () => {
    const random = rng(0xc0ffee);
    const base = readFileSync(`${fixtures}filesystem.json`, 'utf8');
    for (let i = 0; i < 3000; i++) {
      const text = mutate(mutate(base, random), random);
      expectLocatedErrorOrResult(() => parseManifest(text, 'm.json'), text);
    }
  });

  it('mutated lockfiles never crash the reader', () => {
    const random = rng(42);
    const manifest = parseManifest(readFileSync(`${fixtures}filesystem.json`, 'utf8'), 'fs.json');
    const lock = emptyLockfile();
    lock.servers.set(
      'filesystem',
      lockServer({
        serverKey: 'filesystem',
        origin: 'fs.json',
        instructions: manifest.server?.instructions,
        tools: manifest.tools,
      }),
    );
    const base = serializeLockfile(lock);
    let accepted = 0;
    for (let i = 0; i < 3000; i++) {
      const text = mutate(base, random);
      try {
        parseLockfile(text, 'portcullis.lock');
        accepted++;
      } catch (err) {
        if (!(err instanceof PortcullisError)) throw new Error(`crashed on mutation ${i}: ${err}`);
        expect(err.code).toBe('LOCK_INVALID');
      }
    }
    // a mutation that still parses can only have touched bytes outside every fingerprinted value
    expect(accepted).toBeLessThan(3000);
  });

  it('deep nesting and huge arrays are bounded', () => {
    const deepArray = `${'['.repeat(1_000_000)}`;
    expect(() => parseManifest(deepArray, 'deep.json')).toThrow(PortcullisError);
    const wide = `{"tools":[${Array.from({ length: 50_000 }, (_, i) => `{"name":"t${i}"}`).join(',')}]}`;
    expect(parseManifest(wide, 'wide.json').tools).toHaveLength(50_000);
  });
});
