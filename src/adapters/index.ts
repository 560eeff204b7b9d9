// portcullis/adapters: the guard in process — Vercel AI SDK tool sets and the MCP SDK Client — on
// the same CallGate as the proxy.
export {
  addTrustedInput,
  closeGuardedTools,
  type GuardableTool,
  type GuardableToolSet,
  type GuardToolsOptions,
  guardTools,
  ToolCallDenied,
  ToolGuard,
  toolGuardOf,
} from './ai-sdk.js';
export {
  type GuardClientOptions,
  GuardedClient,
  type GuardedRequestOptions,
  guardClient,
} from './mcp-client.js';
export type { AdapterOptions } from './setup.js';
