// Parses files on worker threads when a scan is large enough to repay starting them. Parsing is
// most of a scan's cost (oxc's AST crosses from Rust to JS as JSON on Node 20), and files are
// independent, so it scales with cores. Small scans parse in-thread.
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { FileFacts } from './facts.js';
import { parseJs } from './js/index.js';
import type { ParseRequest, ParseResponse } from './parse-worker.js';
import { initPython, parsePython } from './python/index.js';

export type ParseJob = Omit<ParseRequest, 'id'>;

export interface Parser {
  parse(job: ParseJob): Promise<FileFacts>;
  close(): Promise<void>;
}

/** Below this much source, starting workers (each loads oxc and the Python grammar) costs more than it saves. */
export const POOL_MIN_BYTES = 4 * 1024 * 1024;

function workerScript(): string | undefined {
  const here = fileURLToPath(import.meta.url);
  // Compiled: dist/scan/parse-worker.js beside this file. From source (tests): the built copy, if any.
  const candidates = here.endsWith('.js')
    ? [here.replace(/parse-pool\.js$/, 'parse-worker.js')]
    : [here.replace(/src[\\/]scan[\\/]parse-pool\.ts$/, 'dist/scan/parse-worker.js')];
  return candidates.find((c) => existsSync(c));
}

export function inThreadParser(): Parser {
  return {
    async parse(job) {
      if (job.kind === 'python') {
        await initPython();
        return parsePython(job.text, job.rel);
      }
      return parseJs(job.text, job.rel);
    },
    async close() {},
  };
}

/** A pool of `size` workers, or the in-thread parser when workers are unavailable. */
export function createParser(totalBytes: number, size = Math.min(availableParallelism(), 8)): Parser {
  const script = workerScript();
  if (!script || size < 2 || totalBytes < POOL_MIN_BYTES) return inThreadParser();
  const workers = new Set<Worker>();
  const idle: Worker[] = [];
  const waiting: { job: ParseJob; resolve: (f: FileFacts) => void; reject: (e: Error) => void }[] = [];
  const pending = new Map<
    Worker,
    { resolve: (f: FileFacts) => void; reject: (e: Error) => void; rel: string }
  >();
  let nextId = 1;

  const dispatch = () => {
    while (idle.length > 0 && waiting.length > 0) {
      const w = idle.pop()!;
      const { job, resolve, reject } = waiting.shift()!;
      pending.set(w, { resolve, reject, rel: job.rel });
      w.postMessage({ id: nextId++, ...job } satisfies ParseRequest);
    }
  };
  const spawn = () => {
    // oxc recurses on the native stack; the front end cuts nesting beyond 1,000 levels, and a
    // generous thread stack keeps a margin above that (a native overflow cannot be caught).
    const w = new Worker(script, { resourceLimits: { stackSizeMb: 16 } });
    w.on('message', (res: ParseResponse) => {
      const p = pending.get(w);
      pending.delete(w);
      idle.push(w);
      if (p) 'facts' in res ? p.resolve(res.facts) : p.reject(new Error(res.error));
      dispatch();
    });
    // A worker that dies with a JS error (a hostile file exhausting its heap) fails only its own
    // file; a fresh worker takes its place.
    w.on('error', (err) => {
      workers.delete(w);
      const p = pending.get(w);
      pending.delete(w);
      p?.reject(new Error(`parser worker failed: ${err.message}`));
      void w.terminate();
      spawn();
      dispatch();
    });
    workers.add(w);
    idle.push(w);
  };
  for (let i = 0; i < size; i++) spawn();
  return {
    parse(job) {
      return new Promise((resolve, reject) => {
        waiting.push({ job, resolve, reject });
        dispatch();
      });
    },
    async close() {
      await Promise.all([...workers].map((w) => w.terminate()));
    },
  };
}
