// portcullis/proxy: the MCP proxy around the guard. The transport-independent core, the stdio face and the Streamable HTTP face.
export {
  APPROVAL_MODES,
  ApprovalChain,
  type ApprovalMode,
  type ApprovalSetup,
  createApprovals,
  InProtocolChannel,
  TerminalChannel,
  WebChannel,
} from './approval/index.js';
export { defaultAuditPath, fileSafeName } from './audit-path.js';
export { contentServer, type ListedTool, ProxyCore, type ProxyCoreOptions, Refusal } from './core.js';
export { createProxyServer, type FaceHooks, mirroredCapabilities } from './face.js';
export { classifyJson, DEFAULT_MAX_MESSAGE_BYTES, type Frame, LineFramer, parseLine } from './framing.js';
export {
  type HttpProxy,
  type HttpProxyOptions,
  type HttpUpstreamTarget,
  type ProcessUpstreamTarget,
  startHttpProxy,
} from './http.js';
export {
  checkHeaders,
  type HttpRefusal,
  isLoopback,
  type ListenAddress,
  type ListenerPolicy,
  listenerPolicy,
  parseListen,
} from './http-guard.js';
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
export {
  boundedFetch,
  connectHttpUpstream,
  connectUpstream,
  type HttpUpstream,
  type HttpUpstreamOptions,
  type ProcessUpstream,
  type Upstream,
  type UpstreamEra,
  type UpstreamOptions,
} from './upstream.js';
