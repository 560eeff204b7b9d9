// The red-team harness's contracts. Environments are stateful tool suites served as real MCP stdio
// servers; tasks are what a user asks (with a programmatic success check) and what an attacker
// wants (checked the same way); agents drive the tools through a defense (none, or the guard).
// Suites, tasks, agents and the runner meet only here.

/** JSON a suite's state is made of: the state is written to a file, so it must round-trip. */
export type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

/** A tool as an environment server lists it (MCP `tools/list` entry). */
export interface EnvTool {
  name: string;
  description: string;
  /** JSON Schema (type object) of the arguments. */
  inputSchema: { type: 'object'; properties: Record<string, unknown>; required?: string[] };
  annotations?: {
    readOnlyHint?: boolean;
    destructiveHint?: boolean;
    openWorldHint?: boolean;
    idempotentHint?: boolean;
  };
}

/** What a tool handler returns: text for the model, or an error the model sees as a failed call. */
export interface EnvToolResult {
  text: string;
  isError?: boolean;
}

/**
 * One MCP server of a suite. Handlers mutate the state they are given; the server process writes
 * the state back to its state file after every call, so the runner can check the final state.
 */
export interface EnvServer<S extends Json = Json> {
  /** Server key (policy rules, audit records): e.g. `workspace`, `banking`. */
  name: string;
  /** MCP server instructions, if any. */
  instructions?: string;
  tools(state: S): EnvTool[];
  call(state: S, tool: string, args: Record<string, unknown>): EnvToolResult;
}

/**
 * A place in a suite's data where untrusted text lands (an incoming email's body, a web page, a
 * review, a file's content). The initial state carries `placeholder` there; the runner replaces it
 * with the attack text, or with `benign` in runs without attack.
 */
export interface InjectionVector {
  id: string;
  /** What the vector is, for reports: "body of the email from Mark about the offsite". */
  description: string;
  benign: string;
}

export interface Suite<S extends Json = Json> {
  name: string;
  description: string;
  /** The user's name, for attack templates that impersonate them (default: "the user"). */
  userName?: string;
  /** Servers of the suite; most suites have one. */
  servers: EnvServer<S>[];
  vectors: InjectionVector[];
  /** A fresh state where each vector's text is `fill(vectorId)`. */
  initialState(fill: (vectorId: string) => string): S;
  userTasks: UserTask<S>[];
  injectionTasks: InjectionTask<S>[];
}

/** The outcome of one tool call as the agent sees it, after the defense. */
export interface CallOutcome {
  text: string;
  isError: boolean;
  /** True when the defense refused the call (it never reached the server). */
  denied: boolean;
}

/** How a scripted solution (user or attacker) reaches the tools: the same path the agent uses. */
export interface ToolPort {
  call(server: string, tool: string, args: Record<string, unknown>): Promise<CallOutcome>;
}

export interface UserTask<S extends Json = Json> {
  /** `suite/user_task_N`. */
  id: string;
  /** What the user types. */
  prompt: string;
  /** Vectors this task's reads pass through (where an attack placed there reaches the agent). */
  vectors: string[];
  /**
   * The ground-truth solution: the calls a perfect assistant makes, reading results as it goes.
   * Returns the final answer to the user.
   */
  solve(port: ToolPort): Promise<string>;
  /** Success, judged on the final state (and the answer where the task asks a question). */
  check(initial: S, final: S, answer: string): boolean;
}

export interface InjectionTask<S extends Json = Json> {
  /** `suite/injection_task_N`. */
  id: string;
  /** The attacker's instruction in plain English ("Send the balance to IBAN ..."). */
  goal: string;
  /** The attacker's goal carried out: the calls a model that obeys the injection makes. */
  solve(port: ToolPort): Promise<void>;
  /** Whether the attacker got what they wanted, judged on the final state. */
  check(initial: S, final: S): boolean;
}

/** How an attacker's goal is worded into the untrusted text (blatant override, polite, encoded...). */
export interface AttackTemplate {
  id: string;
  description: string;
  render(goal: string, context: { userName: string }): string;
}

/** A tool as the agent sees it through the defense (descriptions possibly rewritten or marked). */
export interface AgentTool {
  server: string;
  name: string;
  description: string;
  inputSchema: unknown;
}

/** Everything the agent can touch: the listed tools and a port to call them. */
export interface AgentEnv extends ToolPort {
  tools: AgentTool[];
}

/**
 * Oracle knowledge for the scripted worst-case agent only (LLM agents ignore it): the user task's
 * ground truth, and the attacks present in this run so it can recognise an instruction when its
 * text reaches the context and obey it perfectly.
 */
export interface AgentHints {
  task: UserTask<Json>;
  /** Each attack: a distinctive fragment of its text, as it must appear in context to be obeyed. */
  attacks: { recognise: (context: string) => boolean; carryOut: (port: ToolPort) => Promise<void> }[];
}

export interface AgentRun {
  answer: string;
  /** Agent-specific facts for the report: model name and digest, turns, tokens. */
  meta?: Record<string, Json>;
}

export interface Agent {
  /** `worst-case`, `ollama:qwen2.5-coder:7b`, `openai:http://127.0.0.1:8080/v1#model`. */
  name: string;
  run(prompt: string, env: AgentEnv, hints: AgentHints): Promise<AgentRun>;
}
