// Agents by spec: `worst-case`, `ollama:MODEL`, `openai:URL#MODEL`. The LLM agents live in llm.ts
// and are loaded only when asked for (they pull in the model clients).
import { PortcullisError } from '../../core/errors.js';
import type { Agent } from '../types.js';
import { createWorstCaseAgent } from './worst-case.js';

export interface AgentOptions {
  baseUrl?: string;
  seed?: number;
}

type LlmModule = { createLlmAgent(spec: string, options?: AgentOptions): Promise<Agent> };

export async function createAgent(spec: string, options: AgentOptions = {}): Promise<Agent> {
  if (spec === 'worst-case') return createWorstCaseAgent();
  if (spec.startsWith('ollama:') || spec.startsWith('openai:')) {
    // A variable specifier: the module is written separately and may be absent from a build.
    const path = './llm.js';
    const mod = (await import(path)) as LlmModule;
    return mod.createLlmAgent(spec, options);
  }
  throw new PortcullisError(
    'USAGE',
    `unknown agent ${spec}: use worst-case, ollama:MODEL or openai:URL#MODEL`,
    { field: 'agent' },
  );
}
