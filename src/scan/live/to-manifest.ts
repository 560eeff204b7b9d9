// Live results in the shapes the rest of Portcullis reads: a tool manifest for the scanner
// (`file: live:<name>`, line 0 — there is no file to point into), and a pinning source.

import type { PinnableTool, ToolSnapshot, ToolSource } from '../../pin/source.js';
import type { Manifest, ManifestServer, ManifestTool } from '../manifest/load.js';
import { type InspectOptions, type InspectResult, inspectServer } from './inspect.js';
import { describeTarget, type InspectTarget, targetName } from './target.js';

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** The `file` of live tools: `live:<name>`. */
export function liveFile(result: Pick<InspectResult, 'name'>): string {
  return `live:${result.name}`;
}

/** A live result as a manifest, so the manifest checks run on it exactly as on a tools/list file. */
export function toManifest(result: InspectResult): Manifest {
  const server: ManifestServer = {};
  if (result.server.name !== undefined) server.name = result.server.name;
  if (result.server.version !== undefined) server.version = result.server.version;
  if (result.server.instructions !== undefined) server.instructions = result.server.instructions;
  const tools: ManifestTool[] = result.tools.map((t) => {
    const tool: ManifestTool = { name: t.name, line: 0 };
    if (typeof t.title === 'string') tool.title = t.title;
    if (typeof t.description === 'string') tool.description = t.description;
    if (isRecord(t.inputSchema)) tool.inputSchema = t.inputSchema;
    if (isRecord(t.outputSchema)) tool.outputSchema = t.outputSchema;
    if (isRecord(t.annotations)) tool.annotations = t.annotations;
    return tool;
  });
  return { file: liveFile(result), server, tools };
}

/** A live server as a pinning source: `portcullis pin`/`verify` can pin what a server lists now. */
export function liveToolSource(target: InspectTarget, options: InspectOptions = {}): ToolSource {
  const origin = `live:${targetName(target)}`;
  return {
    origin,
    async load(): Promise<ToolSnapshot> {
      const result = await inspectServer(target, options);
      const file = liveFile(result);
      const tools: PinnableTool[] = result.tools.map((t) => ({ ...t, location: { file, line: 0 } }));
      const snapshot: ToolSnapshot = {
        serverKey: result.server.name || file,
        origin: describeTarget(target),
        tools,
      };
      if (result.server.version !== undefined) snapshot.version = result.server.version;
      if (result.server.instructions !== undefined) snapshot.instructions = result.server.instructions;
      return snapshot;
    },
  };
}
