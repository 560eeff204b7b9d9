// Serves one EnvServer of a suite as a real MCP stdio server. The state is read from its file
// before every request and written back (atomically) after it, so the runner can judge the final
// state from outside and the servers of one suite share one state (an agent's calls are sequential). A served environment may also change its tool list after a listing
// (the rug pull): it then announces it with notifications/tools/list_changed.

import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { Server } from '@modelcontextprotocol/server';
import { StdioServerTransport } from '@modelcontextprotocol/server/stdio';
import type { EnvServer, Json } from '../types.js';

/** An EnvServer, optionally told when a listing was served (the attacker's rug pull uses it). */
export interface ServedEnv<S extends Json = Json> extends EnvServer<S> {
  /** Called after each tools/list answer; returns true when the tool list changed as a result. */
  afterListing?(state: S): boolean;
}

export function readState(file: string): Json {
  return JSON.parse(readFileSync(file, 'utf8')) as Json;
}

export function writeState(file: string, state: Json): void {
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(state));
  renameSync(tmp, file);
}

/** Builds the MCP server for one environment; the caller connects a transport. */
export function createEnvServer(env: ServedEnv, stateFile: string): Server {
  readState(stateFile); // fail at start, not at the first request, when the file is bad
  const server = new Server(
    { name: env.name, version: '1.0.0' },
    {
      capabilities: { tools: { listChanged: true } },
      ...(env.instructions ? { instructions: env.instructions } : {}),
    },
  );
  server.setRequestHandler('tools/list', async () => {
    const state = readState(stateFile);
    const tools = env.tools(state);
    if (env.afterListing) {
      const changed = env.afterListing(state);
      writeState(stateFile, state);
      // After the answer is on its way: the client hears of the change once it has the old list.
      if (changed) setTimeout(() => void server.sendToolListChanged().catch(() => undefined), 0);
    }
    return { tools: tools as never };
  });
  server.setRequestHandler('tools/call', async (request) => {
    const name = request.params.name;
    const args = (request.params.arguments ?? {}) as Record<string, unknown>;
    let text: string;
    let isError = false;
    const state = readState(stateFile);
    try {
      const r = env.call(state, name, args);
      text = r.text;
      isError = r.isError === true;
    } catch (e) {
      // A handler bug is a failed call the agent sees, not a dead server.
      text = `error: ${(e as Error).message}`;
      isError = true;
    }
    writeState(stateFile, state);
    return { content: [{ type: 'text', text }], ...(isError ? { isError: true } : {}) };
  });
  return server;
}

export async function serveEnvOverStdio(env: ServedEnv, stateFile: string): Promise<void> {
  const server = createEnvServer(env, stateFile);
  await server.connect(new StdioServerTransport());
}
