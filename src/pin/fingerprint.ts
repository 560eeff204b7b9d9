// Fingerprints: SHA-256 over the RFC 8785 canonical form of what the model is shown.
//
// A tool's fingerprint covers { name, title, description, inputSchema, outputSchema, annotations }.
// A field that is absent (or undefined) is left out of the hashed object; a field that is present
// with the value null is hashed as null. So "no description" and "description: null" differ — a
// server that starts sending null where it sent nothing has changed what it lists. Other fields
// (`_meta`, `icons`, …) are not covered: they are not shown to the model.
//
// The instructions fingerprint is the SHA-256 of the canonical JSON string of the instructions
// text. A tool's hashed input always starts with `{` and an instructions input with `"`, so the two
// can never collide with each other.

import { createHash } from 'node:crypto';
import { PortcullisError } from '../core/errors.js';
import { formatJsonPath } from '../core/json-text.js';
import { CanonicalizationError, canonicalize } from './canonical.js';
import type { PinnableTool } from './source.js';

export const PINNED_FIELDS = [
  'name',
  'title',
  'description',
  'inputSchema',
  'outputSchema',
  'annotations',
] as const;
export type PinnedField = (typeof PINNED_FIELDS)[number];

/** The part of a tool definition that is pinned, with absent fields left out. */
export type PinnedDefinition = { name: string } & Partial<Record<Exclude<PinnedField, 'name'>, unknown>>;

export function pinnedDefinition(tool: PinnableTool): PinnedDefinition {
  const def: Record<string, unknown> = {};
  for (const field of PINNED_FIELDS) {
    const value = tool[field];
    if (value !== undefined) def[field] = value;
  }
  return def as PinnedDefinition;
}

/** `sha256:` followed by 64 lowercase hex digits. */
export const FINGERPRINT_PATTERN = /^sha256:[0-9a-f]{64}$/;

function sha256(text: string): string {
  return `sha256:${createHash('sha256').update(text, 'utf8').digest('hex')}`;
}

/** Canonical text of a pinned definition; non-JSON content becomes an INPUT_INVALID error. */
export function canonicalDefinition(def: PinnedDefinition, where?: PinnableTool['location']): string {
  try {
    return canonicalize(def);
  } catch (err) {
    if (err instanceof CanonicalizationError) {
      throw new PortcullisError(
        'INPUT_INVALID',
        `tool ${JSON.stringify(def.name)} cannot be fingerprinted: ${err.message}`,
        { ...(where ?? {}), field: formatJsonPath(err.path) },
      );
    }
    throw err;
  }
}

export function fingerprintDefinition(def: PinnedDefinition): string {
  return sha256(canonicalDefinition(def));
}

/** The fingerprint of a tool as a server lists it. */
export function fingerprintTool(tool: PinnableTool): string {
  return sha256(canonicalDefinition(pinnedDefinition(tool), tool.location));
}

/** The fingerprint of a server's instructions text. */
export function fingerprintInstructions(instructions: string): string {
  try {
    return sha256(canonicalize(instructions));
  } catch (err) {
    if (err instanceof CanonicalizationError) {
      throw new PortcullisError(
        'INPUT_INVALID',
        `server instructions cannot be fingerprinted: ${err.message}`,
        {
          field: 'instructions',
        },
      );
    }
    throw err;
  }
}
