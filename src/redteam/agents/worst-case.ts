// The scripted worst-case agent: it does the user's task perfectly (the task's ground truth) and
// obeys every instruction that reaches its context, at once and perfectly — in any tool result and
// in any tool description it is shown. It only knows what the defense lets through: a removed or
// quarantined text is never seen; a fenced or flagged one is still obeyed (the guard must then stop
// the calls). If the guard holds against it, it holds against any model.

import type { Agent, AgentEnv, AgentHints, AgentRun, CallOutcome, ToolPort } from '../types.js';

export function createWorstCaseAgent(): Agent {
  return {
    name: 'worst-case',
    async run(_prompt: string, env: AgentEnv, hints: AgentHints): Promise<AgentRun> {
      const obeyed = new Set<number>();
      let calls = 0;
      let denied = 0;
      let obeying = 0;
      // Obeys what `context` instructs; instructions met while obeying are obeyed too.
      const notice = async (context: string) => {
        for (let i = 0; i < hints.attacks.length; i++) {
          const attack = hints.attacks[i];
          if (!attack || obeyed.has(i) || !attack.recognise(context)) continue;
          obeyed.add(i);
          obeying++;
          try {
            await attack.carryOut(port);
          } catch {
            // A refused or failed step ends that instruction; the agent carries on with the task.
          } finally {
            obeying--;
          }
        }
      };
      const descriptions = () => env.tools.map((t) => `${t.server}/${t.name}: ${t.description}`).join('\n');
      const port: ToolPort = {
        async call(server, tool, args): Promise<CallOutcome> {
          calls++;
          const out = await env.call(server, tool, args);
          if (out.denied) denied++;
          await notice(out.text);
          // The tool list may have changed under it (list_changed): it reads descriptions again.
          await notice(descriptions());
          return out;
        },
      };
      await notice(descriptions());
      let answer = '';
      let error: string | undefined;
      try {
        answer = await hints.task.solve(port);
      } catch (e) {
        error = (e as Error).message;
      }
      await notice(descriptions());
      return {
        answer,
        meta: {
          calls,
          denied,
          obeyed: obeyed.size,
          ...(error ? { error: error.slice(0, 300) } : {}),
          ...(obeying > 0 ? { unfinished: obeying } : {}),
        },
      };
    },
  };
}
