// Worker side of the parse pool: turns source text into FileFacts off the main thread.
import { parentPort } from 'node:worker_threads';
import type { FileFacts } from './facts.js';
import { parseJs } from './js/index.js';
import { initPython, parsePython } from './python/index.js';

export interface ParseRequest {
  id: number;
  rel: string;
  kind: 'python' | 'javascript' | 'typescript';
  text: string;
}

export type ParseResponse = { id: number; facts: FileFacts } | { id: number; error: string };

parentPort?.on('message', async (req: ParseRequest) => {
  let res: ParseResponse;
  try {
    if (req.kind === 'python') await initPython();
    res = {
      id: req.id,
      facts: req.kind === 'python' ? parsePython(req.text, req.rel) : parseJs(req.text, req.rel),
    };
  } catch (err) {
    res = { id: req.id, error: err instanceof Error ? err.message : String(err) };
  }
  parentPort?.postMessage(res);
});
