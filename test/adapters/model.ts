// A scripted language model for AI SDK agent loops: the SDK's own MockLanguageModelV3, whose turns
// are functions of what the model has read so far. A "worst-case" script obeys whatever the last
// tool result tells it, which is what an injected email hopes a real model will do.
import { MockLanguageModelV3 } from 'ai/test';

type CallOptions = Parameters<MockLanguageModelV3['doGenerate']>[0];
type GenerateResult = Awaited<ReturnType<MockLanguageModelV3['doGenerate']>>;
export type Prompt = CallOptions['prompt'];

/** One turn of the model: the tool calls it makes, or its final text. */
export type Turn = { calls: { tool: string; input: Record<string, unknown> }[] } | { text: string };

const usage = {
  inputTokens: { total: 10, noCache: 10, cacheRead: 0, cacheWrite: 0 },
  outputTokens: { total: 5, text: 5, reasoning: 0 },
};

let ids = 0;

/** A model that plays `turns` in order; each sees the prompt (with every earlier tool result). */
export function scriptedModel(turns: ((prompt: Prompt) => Turn)[]): MockLanguageModelV3 {
  let step = 0;
  return new MockLanguageModelV3({
    doGenerate: async (options: CallOptions): Promise<GenerateResult> => {
      const turn = turns[step++]?.(options.prompt) ?? { text: 'I have nothing more to do.' };
      if ('text' in turn)
        return {
          content: [{ type: 'text', text: turn.text }],
          finishReason: { unified: 'stop', raw: 'stop' },
          usage,
          warnings: [],
        };
      return {
        content: turn.calls.map((c) => ({
          type: 'tool-call' as const,
          toolCallId: `call-${++ids}`,
          toolName: c.tool,
          input: JSON.stringify(c.input),
        })),
        finishReason: { unified: 'tool-calls', raw: 'tool_calls' },
        usage,
        warnings: [],
      };
    },
  });
}

/** The tool results the model has read, oldest first, as the text it read. */
export function toolOutputs(prompt: Prompt): { tool: string; type: string; text: string }[] {
  const out: { tool: string; type: string; text: string }[] = [];
  for (const message of prompt) {
    if (message.role !== 'tool') continue;
    for (const part of message.content) {
      if (part.type !== 'tool-result') continue;
      const o = part.output as { type: string; value?: unknown; reason?: string };
      const text = typeof o.value === 'string' ? o.value : JSON.stringify(o.value ?? o.reason ?? '');
      out.push({ tool: part.toolName, type: o.type, text });
    }
  }
  return out;
}

export function lastOutput(prompt: Prompt): string {
  return toolOutputs(prompt).at(-1)?.text ?? '';
}
