// Live inspection of MCP servers (`portcullis scan --connect`).

export {
  type CollectOptions,
  type CollectResult,
  collectConfigsAndLive,
  describeSources,
  emptyScanResult,
  type LiveEntry,
  liveToolDefinitions,
  mergeIntoScanResult,
  sourcesForReport,
} from './collect.js';
export {
  type ConsentIO,
  type ConsentOutcome,
  confirmLaunch,
  consentPrompt,
  terminalConsentIO,
} from './consent.js';
export {
  type InspectOptions,
  type InspectResult,
  inspectServer,
  type LivePrompt,
  type LiveResource,
  type LiveTool,
} from './inspect.js';
export { descendantsOf, killTree, spawnInGroup } from './process-tree.js';
export { GroupStdioTransport } from './stdio-transport.js';
export { describeTarget, type InspectTarget, parseTarget, targetFromConfig, targetName } from './target.js';
export { liveFile, liveToolSource, toManifest } from './to-manifest.js';
