// portcullis wrap: route an MCP client's servers through the guard proxy, and back.
export { commandLine, type LocatedEntry, locateEntries, wrappedAt } from './entries.js';
export {
  backupPath,
  defaultLauncher,
  manifestPath,
  type ServerOutcome,
  undoWrap,
  type WrapManifest,
  type WrapOptions,
  type WrapReport,
  wrapConfig,
} from './wrap.js';
