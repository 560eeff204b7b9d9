// guardTools: a Vercel AI SDK tool set whose every `execute` goes through the guard's CallGate — the
// same decide → approve → record → forward → inspect → record path as the proxy. Structural types
// only: this module never imports `ai`, so it works with whichever AI SDK version the app uses.

import { randomUUID } from 'node:crypto';
import { toJSONSchema, type ZodType } from 'zod';
import { PortcullisError } from '../core/errors.js';
import type { ForwardFailure, RegisteredTool, ToolCall } from '../guard/index.js';
import { type AdapterContext, type AdapterOptions, createAdapterContext } from './setup.js';
import { liftValue, lowerValue, resultText, settle } from './values.js';

/** The parts of an AI SDK tool the guard reads or replaces; everything else is kept as it is. */
export interface GuardableTool {
  description?: string;
  title?: string;
  /** AI SDK 5+ (a zod schema, `jsonSchema(...)`, or a JSON Schema object). */
  inputSchema?: unknown;
  /** AI SDK 4. */
  parameters?: unknown;
  // biome-ignore lint/suspicious/noExplicitAny: the tool's own input and options types are kept by the caller's T
  execute?: (input: any, options: any) => unknown;
}

export type GuardableToolSet = Record<string, GuardableTool>;

export interface GuardToolsOptions extends AdapterOptions {
  /**
   * What a refused call (or a withheld result) returns: `refuse` (default) gives the model a
   * refusal text it can read and act on; `throw` throws a ToolCallDenied (the AI SDK then reports
   * a tool error to the model).
   */
  onDenied?: 'refuse' | 'throw';
}

/** Thrown by a guarded tool with `onDenied: 'throw'`. */
export class ToolCallDenied extends Error {
  override readonly name = 'ToolCallDenied';
  constructor(
    readonly tool: string,
    /** `deny` (the call was refused or its result withheld) or `error` (the tool failed). */
    readonly decision: string,
    readonly rule: string,
    readonly reason: string,
    readonly labels: string[],
  ) {
    super(reason);
  }
}

/** The JSON Schema of an AI SDK input schema when it can be had synchronously (for pins). */
function jsonSchemaOf(schema: unknown): unknown {
  if (!schema || typeof schema !== 'object') return undefined;
  try {
    if ('_zod' in schema) return toJSONSchema(schema as unknown as ZodType);
    if ('jsonSchema' in schema) {
      const js = (schema as { jsonSchema: unknown }).jsonSchema;
      return js && typeof (js as PromiseLike<unknown>).then === 'function' ? undefined : js;
    }
    // A zod 3 schema or another validator library: not JSON; a pinned definition will not match.
    if ('_def' in schema || '~standard' in schema) return undefined;
    return schema;
  } catch {
    return undefined;
  }
}

/** What a tool's `execute` receives besides the input (AI SDK ToolExecutionOptions). */
interface ExecuteOptions {
  abortSignal?: AbortSignal;
  [k: string]: unknown;
}

/**
 * The guard for one tool set and one conversation: wrap tools with `wrap`, add the user's prompt
 * with `addTrustedInput`, `close()` at the end to close an audit log it opened.
 */
export class ToolGuard {
  private readonly ctx: AdapterContext;
  private readonly definitions = new Map<string, RegisteredTool>();
  private blocked = new Map<string, { reason: string; withhold: boolean }>();
  private readonly onDenied: 'refuse' | 'throw';

  constructor(readonly options: GuardToolsOptions = {}) {
    if (options.onDenied !== undefined && options.onDenied !== 'refuse' && options.onDenied !== 'throw')
      throw new PortcullisError('USAGE', "onDenied must be 'refuse' or 'throw'", { field: 'onDenied' });
    this.onDenied = options.onDenied ?? 'refuse';
    this.ctx = createAdapterContext(options, 'ai-sdk');
  }

  get server(): string {
    return this.ctx.server;
  }

  get session() {
    return this.ctx.session;
  }

  /** Text the user supplied (their prompt): values in it are never tainted by provenance. */
  addTrustedInput(text: string): void {
    this.ctx.session.addTrustedInput(text);
  }

  /** Resolves once the audit log is open; rejects with the reason when it cannot be (calls are then denied). */
  async ready(): Promise<void> {
    await this.ctx.gate;
  }

  close(): Promise<void> {
    return this.ctx.close();
  }

  /** Registers the tools with the guard (labels, pins) and returns them with guarded `execute`s. */
  wrap<T extends GuardableToolSet>(tools: T): T {
    if (!tools || typeof tools !== 'object' || Array.isArray(tools))
      throw new PortcullisError('USAGE', 'guardTools expects an object of tools', { field: 'tools' });
    const server = this.ctx.server;
    for (const [name, t] of Object.entries(tools)) {
      if (!t || typeof t !== 'object')
        throw new PortcullisError('USAGE', `tool ${name} is not an object`, { field: `tools.${name}` });
      this.definitions.set(name, {
        server,
        name,
        ...(typeof t.title === 'string' ? { title: t.title } : {}),
        ...(typeof t.description === 'string' ? { description: t.description } : {}),
        inputSchema: jsonSchemaOf(t.inputSchema ?? t.parameters),
      });
    }
    const { blocked } = this.ctx.guard.registerTools(server, [...this.definitions.values()]);
    // `withhold`: the definition itself addresses the model (a poisoned description); none of it is shown.
    this.blocked = new Map(blocked.map((b) => [b.tool, { reason: b.reason, withhold: b.withhold === true }]));
    for (const b of blocked) this.options.onEvent?.('pin', `blocked ${server}/${b.tool}: ${b.reason}`);
    const names = Object.keys(tools);
    void this.ctx.gate
      .then((gate) => gate.recordToolList(server, names, blocked, 'wrapped'))
      .catch(() => undefined);

    const out: GuardableToolSet = {};
    for (const [name, t] of Object.entries(tools)) {
      const block = this.blocked.get(name);
      if (block && this.options.blockedTools === 'hide') continue;
      const marked = block?.withhold
        ? {
            description:
              '[portcullis: blocked — this tool’s definition addresses the model (a poisoned description); it was withheld and the tool cannot be called]',
          }
        : block
          ? { description: `[portcullis: blocked — ${block.reason}] ${t.description ?? ''}`.trim() }
          : {};
      // A tool without execute is run by the app or the provider, not here: nothing to gate.
      out[name] =
        typeof t.execute === 'function'
          ? { ...t, ...marked, execute: this.guarded(name, t.execute.bind(t)) }
          : { ...t, ...marked };
    }
    return out as T;
  }

  private guarded(tool: string, execute: NonNullable<GuardableTool['execute']>) {
    return async (input: unknown, execOptions?: ExecuteOptions): Promise<unknown> => {
      const signal = execOptions?.abortSignal;
      // The engine decides over an arguments object; a tool whose input is not one is decided over { input }.
      const wrapped = !input || typeof input !== 'object' || Array.isArray(input);
      const call: ToolCall = {
        callId: randomUUID(),
        server: this.ctx.server,
        tool,
        arguments: wrapped ? { input } : (input as Record<string, unknown>),
      };
      let gate: Awaited<AdapterContext['gate']>;
      try {
        gate = await this.ctx.gate;
      } catch (e) {
        const why = `the audit log could not be opened (${(e as Error)?.message ?? String(e)}), so the call was not made`;
        return this.refuse(
          `[portcullis] Denied ${call.server}/${tool}: ${why}`,
          new ToolCallDenied(tool, 'deny', 'audit', why, []),
        );
      }
      let lifted: ReturnType<typeof liftValue> | undefined;
      let original: unknown;
      const result = await gate.run(
        call,
        'tools/call',
        async (args) => {
          original = await settle(execute(wrapped ? args.input : args, execOptions));
          lifted = liftValue(original);
          return lifted.result;
        },
        (e) => this.classify(e, signal, (text) => gate.redact(text)),
        signal,
      );
      const verdict = (result._meta?.portcullis ?? {}) as {
        decision?: string;
        rule?: string;
        reason?: string;
        labels?: string[];
      };
      if (lifted && (verdict.decision === 'allow' || verdict.decision === 'transform'))
        return lowerValue(original, lifted, result);
      const text = resultText(result);
      return this.refuse(
        text,
        new ToolCallDenied(
          tool,
          verdict.decision ?? 'deny',
          verdict.rule ?? '',
          verdict.reason ?? text,
          verdict.labels ?? [],
        ),
      );
    };
  }

  private refuse(text: string, error: ToolCallDenied): string {
    if (this.onDenied === 'throw') throw error;
    return text;
  }

  /** A tool that throws: recorded, then its error passes on (secrets redacted), as the AI SDK expects. */
  private classify(
    e: unknown,
    signal: AbortSignal | undefined,
    redact: (t: string) => string,
  ): ForwardFailure {
    const message = e instanceof Error ? e.message : String(e);
    const clean = redact(message);
    const error =
      clean === message && e !== undefined
        ? e
        : Object.assign(new Error(clean), { name: (e as Error)?.name ?? 'Error' });
    if (signal?.aborted) return { rule: 'aborted', reason: 'the call was aborted', throw: error };
    return { rule: 'tool-error', reason: `the tool failed: ${message}`, throw: error };
  }
}

const handles = new WeakMap<object, ToolGuard>();

/**
 * Wraps a Vercel AI SDK tool set so every call is decided by the guard, recorded, and its result
 * inspected before the model reads it. Returns a tool set of the same shape.
 */
export function guardTools<T extends GuardableToolSet>(tools: T, options: GuardToolsOptions = {}): T {
  const guard = new ToolGuard(options);
  const wrapped = guard.wrap(tools);
  handles.set(wrapped, guard);
  return wrapped;
}

/** The ToolGuard behind a tool set returned by guardTools. */
export function toolGuardOf(tools: object): ToolGuard {
  const guard = handles.get(tools);
  if (!guard)
    throw new PortcullisError('USAGE', 'these tools were not returned by guardTools', { field: 'tools' });
  return guard;
}

/** Marks the user's own text (their prompt) as trusted for the conversation of these guarded tools. */
export function addTrustedInput(tools: object, text: string): void {
  toolGuardOf(tools).addTrustedInput(text);
}

/** Closes the audit log guardTools opened for these tools. */
export function closeGuardedTools(tools: object): Promise<void> {
  return toolGuardOf(tools).close();
}
