// portcullis/proxy: the MCP proxy around the guard. The transport-independent core and the stdio face.
export { defaultAuditPath, fileSafeName } from './audit-path.js';
export { contentServer, type ListedTool, ProxyCore, type ProxyCoreOptions, Refusal } from './core.js';
export { createProxyServer, type FaceHooks, mirroredCapabilities } from './face.js';
export { classifyJson, DEFAULT_MAX_MESSAGE_BYTES, type Frame, LineFramer, parseLine } from './framing.js';
export { type LogSink, ProxyLog } from './log.js';
export { type ProxyExit, type StdioProxy, type StdioProxyOptions, startStdioProxy } from './stdio.js';
export {
  type ClientStdioOptions,
  ClientStdioTransport,
  type FrameProblem,
  type UpstreamExit,
  type UpstreamProcessOptions,
  UpstreamProcessTransport,
} from './transports.js';
export { connectUpstream, type Upstream, type UpstreamEra, type UpstreamOptions } from './upstream.js';
