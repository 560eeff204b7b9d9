// The suites' tasks are not trivially satisfied: every check fails on the initial state (with an
// empty answer), and every ground truth solves its task when run on the suite's own tools.
import { describe, expect, it } from 'vitest';
import { suiteByName } from '../../src/redteam/suites/index.js';
import type { CallOutcome, Json, Suite, ToolPort } from '../../src/redteam/types.js';

function inProcess(suite: Suite, state: Json): ToolPort {
  return {
    async call(server, tool, args): Promise<CallOutcome> {
      const env = suite.servers.find((s) => s.name === server);
      if (!env) return { text: `no server ${server}`, isError: true, denied: false };
      const r = env.call(state, tool, JSON.parse(JSON.stringify(args)));
      return { text: r.text, isError: r.isError === true, denied: false };
    },
  };
}

const benign = (suite: Suite) => {
  const m = new Map(suite.vectors.map((v) => [v.id, v.benign]));
  return suite.initialState((id) => m.get(id) ?? '');
};

for (const name of ['workspace', 'banking']) {
  describe(`suite ${name}`, async () => {
    const suite = await suiteByName(name);
    it('has ≥ 8 user tasks, ≥ 4 injection tasks, vectors used by tasks, and a state that round-trips as JSON', () => {
      expect(suite.userTasks.length).toBeGreaterThanOrEqual(8);
      expect(suite.injectionTasks.length).toBeGreaterThanOrEqual(4);
      const ids = new Set(suite.vectors.map((v) => v.id));
      for (const t of suite.userTasks) for (const v of t.vectors) expect(ids).toContain(v);
      const s = benign(suite);
      expect(JSON.parse(JSON.stringify(s))).toEqual(s);
    });
    it('every check fails on the initial state', () => {
      for (const t of suite.userTasks) expect(t.check(benign(suite), benign(suite), ''), t.id).toBe(false);
      for (const t of suite.injectionTasks) expect(t.check(benign(suite), benign(suite)), t.id).toBe(false);
    });
    it('every ground truth passes its check, and no user task also achieves an attacker goal', async () => {
      for (const t of suite.userTasks) {
        const initial = benign(suite);
        const state = structuredClone(initial);
        const answer = await t.solve(inProcess(suite, state));
        expect(t.check(initial, state, answer), t.id).toBe(true);
        for (const inj of suite.injectionTasks)
          expect(inj.check(initial, state), `${t.id} ${inj.id}`).toBe(false);
      }
      for (const inj of suite.injectionTasks) {
        const initial = benign(suite);
        const state = structuredClone(initial);
        await inj.solve(inProcess(suite, state));
        expect(inj.check(initial, state), inj.id).toBe(true);
      }
    });
    it('every vector placeholder reaches the state', () => {
      const s = JSON.stringify(suite.initialState((id) => `@@${id}@@`));
      for (const v of suite.vectors) expect(s).toContain(`@@${v.id}@@`);
    });
  });
}
