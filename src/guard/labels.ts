// Labels for the rule of two when the policy gives none: from the tool's name, its MCP annotations,
// the first verb of its description and, when the scanner ran, the capabilities of its code.
// Annotations and capabilities can only add labels: a server that calls `delete_all` read-only is
// not believed.

import {
  DESCRIPTION_SINK_VERBS,
  DESTRUCTIVE_VERBS,
  EXECUTE_OBJECTS,
  EXECUTE_WORDS,
  EXTERNAL_LEADING_VERBS,
  EXTERNAL_VERBS,
  PRIVATE_NOUNS,
  READ_VERBS,
  RUN_VERBS,
  UNTRUSTED_NOUNS,
  URL_NOUNS,
} from './catalog.js';
import type { RegisteredTool, SinkLabel, SourceLabel, ToolLabels } from './types.js';

const sets = {
  external: new Set(EXTERNAL_VERBS),
  leading: new Set(EXTERNAL_LEADING_VERBS),
  destructive: new Set(DESTRUCTIVE_VERBS),
  execute: new Set(EXECUTE_WORDS),
  runObjects: new Set(EXECUTE_OBJECTS),
  run: new Set(RUN_VERBS),
  read: new Set(READ_VERBS),
  untrusted: new Set(UNTRUSTED_NOUNS),
  private: new Set(PRIVATE_NOUNS),
  url: new Set(URL_NOUNS),
};

/** `sendEmail`, `send_email`, `send-email`, `mail.send` → lower-case words. */
export function nameWords(name: string): string[] {
  return name
    .slice(0, 256)
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
}

export function inferLabels(tool: RegisteredTool): ToolLabels {
  const source = new Set<SourceLabel>();
  const sink = new Set<SinkLabel>();
  const words = nameWords(tool.name);
  const isRead = words.some((w) => sets.read.has(w));
  let hasVerb = isRead;

  for (const w of words) {
    if (sets.external.has(w)) sink.add('external');
    if (sets.destructive.has(w)) sink.add('destructive');
  }
  // `post`, `email`, `message`… are verbs when they are the first verb-like word (`slack_post_message`),
  // nouns after another verb (`read_post`).
  const firstVerb = words.find(
    (w) =>
      sets.leading.has(w) ||
      sets.read.has(w) ||
      sets.external.has(w) ||
      sets.destructive.has(w) ||
      sets.run.has(w),
  );
  if (firstVerb !== undefined && sets.leading.has(firstVerb)) sink.add('external');
  if (!isRead) {
    if (words.some((w) => sets.execute.has(w))) sink.add('execute');
    if (words.some((w) => sets.run.has(w)) && words.some((w) => sets.runObjects.has(w))) sink.add('execute');
  }
  if (sink.size > 0) hasVerb = true;

  if (isRead || sink.size === 0) {
    if (words.some((w) => sets.untrusted.has(w))) source.add('untrusted');
    if (words.some((w) => sets.private.has(w))) source.add('private');
    // Fetching a URL the call chooses can carry data out in that URL.
    if (words.some((w) => sets.url.has(w))) {
      source.add('untrusted');
      sink.add('external');
    }
  }

  if (!hasVerb && typeof tool.description === 'string') {
    const first = /^\s*([A-Za-z]+)/.exec(tool.description)?.[1]?.toLowerCase();
    const label = first ? DESCRIPTION_SINK_VERBS[first] : undefined;
    if (label) sink.add(label);
  }

  const a = tool.annotations;
  if (a && typeof a === 'object') {
    if (a.destructiveHint === true && a.readOnlyHint !== true) sink.add('destructive');
    if (a.openWorldHint === true) {
      source.add('untrusted');
      if (a.readOnlyHint !== true) sink.add('external');
    }
  }

  for (const cap of Array.isArray(tool.capabilities) ? tool.capabilities : []) {
    if (cap === 'network') {
      source.add('untrusted');
      sink.add('external');
    } else if (cap === 'file.delete') sink.add('destructive');
    else if (cap === 'process' || cap === 'dynamic-code') sink.add('execute');
    else if (cap === 'secret' || cap === 'file.read') source.add('private');
  }
  return { source: [...source].sort(), sink: [...sink].sort() };
}
