// portcullis/scan — the description–code inconsistency checker as a library.
export { baselineKey, readBaseline, writeBaseline } from './baseline.js';
export { scanClientConfigs, scanConfigFiles } from './configs/index.js';
export type { FileFacts } from './facts.js';
export { inspectServer } from './live/index.js';
export { type ScanOptions, type ScanResult, type ScanStats, scanPaths } from './scan.js';
export { DEFAULT_EXCLUDED_DIRS, type SkippedFile, type SkipReason } from './walk.js';
