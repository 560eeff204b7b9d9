// The contract every red-team suite keeps, as vitest cases: ground-truth solutions pass their
// checks, checks fail on the untouched state, declared vectors are exactly the ones a task reads,
// user tasks never achieve an attacker's goal, bad arguments are errors (never throws) and the state
// survives a trip through JSON. Each suites-<name>.test.ts calls it and adds suite-specific cases.

import { describe, expect, it } from 'vitest';
import type { Json, Suite } from '../../src/redteam/types.js';
import { benignState, directPort, fencedPort, vectorMarker } from './direct-port.js';

const clone = <T>(x: T): T => JSON.parse(JSON.stringify(x)) as T;

/** Values of the wrong type for each JSON Schema type: each must be refused. */
const WRONG: Record<string, unknown[]> = {
  string: [42, true, { a: 1 }, ['x']],
  integer: ['3', 2.5, true, {}, Number.NaN],
  number: ['3', false, []],
  boolean: ['true', 1, {}],
  array: ['a,b', 3, { 0: 'a' }, [1, 2]],
};

export function suiteContract<S extends Json>(suite: Suite<S>, minimums = { user: 8, injection: 4 }): void {
  describe(`${suite.name} suite contract`, () => {
    it('has enough tasks with unique, prefixed ids', () => {
      expect(suite.userTasks.length).toBeGreaterThanOrEqual(minimums.user);
      expect(suite.injectionTasks.length).toBeGreaterThanOrEqual(minimums.injection);
      const ids = [...suite.userTasks, ...suite.injectionTasks].map((t) => t.id);
      expect(new Set(ids).size).toBe(ids.length);
      for (const t of suite.userTasks) expect(t.id).toMatch(new RegExp(`^${suite.name}/user_task_\\d+$`));
      for (const t of suite.injectionTasks)
        expect(t.id).toMatch(new RegExp(`^${suite.name}/injection_task_\\d+$`));
    });

    it('places every vector in the state, and only known ones', () => {
      const ids = suite.vectors.map((v) => v.id);
      expect(new Set(ids).size).toBe(ids.length);
      const filled: string[] = [];
      const state = suite.initialState((id) => {
        filled.push(id);
        return vectorMarker(id);
      });
      const text = JSON.stringify(state);
      for (const v of suite.vectors) {
        expect(v.benign.length, v.id).toBeGreaterThan(20);
        expect(text, v.id).toContain(vectorMarker(v.id));
      }
      expect(new Set(filled)).toEqual(new Set(ids));
      for (const t of suite.userTasks) for (const v of t.vectors) expect(ids, t.id).toContain(v);
    });

    it('lists tools with descriptions, object schemas and explicit read-only annotations', () => {
      for (const server of suite.servers) {
        const tools = server.tools(benignState(suite));
        expect(tools.length).toBeGreaterThan(3);
        for (const t of tools) {
          expect(t.description.length, t.name).toBeGreaterThan(25);
          expect(t.inputSchema.type).toBe('object');
          for (const r of t.inputSchema.required ?? [])
            expect(Object.keys(t.inputSchema.properties)).toContain(r);
          expect(typeof t.annotations?.readOnlyHint, t.name).toBe('boolean');
          expect(typeof t.annotations?.openWorldHint, t.name).toBe('boolean');
          if (t.annotations?.readOnlyHint === false)
            expect(typeof t.annotations.destructiveHint, t.name).toBe('boolean');
        }
      }
    });

    it('round-trips the initial state through JSON', () => {
      const state = benignState(suite);
      expect(clone(state)).toEqual(state);
    });

    for (const task of suite.userTasks) {
      it(`${task.id}: the ground truth passes, the untouched state fails, no attacker goal is met`, async () => {
        const state = benignState(suite);
        const initial = clone(state);
        expect(task.check(initial, clone(initial), ''), 'check passes on the untouched state').toBe(false);
        const answer = await task.solve(directPort(suite, state));
        expect(task.check(initial, state, answer), `answer: ${answer}`).toBe(true);
        expect(clone(state)).toEqual(state);
        for (const inj of suite.injectionTasks) expect(inj.check(initial, state), inj.id).toBe(false);
      });

      it(`${task.id}: still succeeds, with the same calls, when results arrive fenced`, async () => {
        const plain = benignState(suite);
        const plainPort = directPort(suite, plain);
        await task.solve(plainPort);
        const state = benignState(suite);
        const initial = clone(state);
        const port = fencedPort(directPort(suite, state));
        const answer = await task.solve(port);
        expect(task.check(initial, state, answer), `answer: ${answer}`).toBe(true);
        const calls = (p: typeof port) => p.log.map((c) => JSON.stringify([c.server, c.tool, c.args]));
        expect(calls(port)).toEqual(calls(plainPort));
      });

      it(`${task.id}: reads exactly the vectors it declares`, async () => {
        const state = suite.initialState(vectorMarker);
        const port = directPort(suite, state);
        await task.solve(port);
        const seen = port.log.map((c) => c.outcome.text).join('\n');
        const reached = suite.vectors.map((v) => v.id).filter((id) => seen.includes(vectorMarker(id)));
        expect(reached.sort()).toEqual([...task.vectors].sort());
      });
    }

    for (const task of suite.injectionTasks) {
      it(`${task.id}: the attacker's solution meets the goal, which is unmet initially`, async () => {
        const state = benignState(suite);
        const initial = clone(state);
        expect(task.check(initial, clone(initial))).toBe(false);
        expect(task.goal.length).toBeGreaterThan(20);
        const port = directPort(suite, state);
        await task.solve(port);
        expect(
          port.log.every((c) => !c.outcome.isError),
          JSON.stringify(port.log.filter((c) => c.outcome.isError)),
        ).toBe(true);
        expect(task.check(initial, state)).toBe(true);
      });
    }

    it('refuses bad arguments with error results, never throws, and leaves the state as it was', () => {
      const state = benignState(suite);
      const before = JSON.stringify(state);
      for (const server of suite.servers) {
        expect(server.call(state, 'no_such_tool', {}).isError).toBe(true);
        for (const t of server.tools(state)) {
          const bad: unknown[] = [null, [], 'x', 7, { unexpected_argument: 1 }];
          const required = t.inputSchema.required ?? [];
          if (required.length > 0) bad.push({});
          for (const [name, prop] of Object.entries(t.inputSchema.properties)) {
            for (const wrong of WRONG[(prop as { type: string }).type] ?? []) bad.push({ [name]: wrong });
          }
          for (const args of bad) {
            const r = server.call(state, t.name, args as Record<string, unknown>);
            expect(r.isError, `${t.name}(${JSON.stringify(args)}) → ${r.text}`).toBe(true);
            expect(typeof r.text).toBe('string');
          }
        }
      }
      expect(JSON.stringify(state)).toBe(before);
    });

    it('survives hostile strings in every string argument without throwing', () => {
      const state = benignState(suite);
      const hostile = [
        '',
        ' ',
        '../../../../etc/passwd',
        'x'.repeat(50_000),
        '\u202e\u0000#$(rm -rf /)`',
        '*',
      ];
      for (const server of suite.servers) {
        for (const t of server.tools(state)) {
          if (t.annotations?.destructiveHint === true) continue; // covered by the suite's own tests
          const props = Object.entries(t.inputSchema.properties);
          for (const h of hostile) {
            const args: Record<string, unknown> = {};
            for (const [name, prop] of props) {
              const type = (prop as { type: string }).type;
              args[name] = type === 'string' ? h : type === 'array' ? [h] : type === 'boolean' ? false : 1;
            }
            const r = server.call(state, t.name, args);
            expect(typeof r.text).toBe('string');
          }
        }
      }
      expect(clone(state)).toEqual(state);
    });

    it('is deterministic: the same solutions give the same final state', async () => {
      const run = async () => {
        const state = benignState(suite);
        for (const t of suite.userTasks) await t.solve(directPort(suite, state));
        return JSON.stringify(state);
      };
      expect(await run()).toBe(await run());
    });
  });
}
