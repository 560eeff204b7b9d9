// The pin and verify workflows over any ToolSource: what the CLI commands call.

import type { KeyObject } from 'node:crypto';
import { existsSync } from 'node:fs';
import { PortcullisError } from '../core/errors.js';
import { diffLock, diffServer, type LockDiff, type ServerDiff } from './diff.js';
import {
  emptyLockfile,
  type Lockfile,
  lockServer,
  parseLockfileBytes,
  readLockfileBytes,
  serializeLockfile,
  writeLockfile,
} from './lockfile.js';
import { type SignatureCheck, signatureFileFor, verifyFileBytes } from './sign.js';
import type { ToolSnapshot, ToolSource } from './source.js';

/** Loads every source; two sources claiming the same server key is an input error. */
export async function loadSnapshots(sources: ToolSource[]): Promise<ToolSnapshot[]> {
  const snapshots: ToolSnapshot[] = [];
  const byKey = new Map<string, string>();
  for (const source of sources) {
    const snapshot = await source.load();
    const other = byKey.get(snapshot.serverKey);
    if (other !== undefined) {
      throw new PortcullisError(
        'INPUT_INVALID',
        `server ${JSON.stringify(snapshot.serverKey)} is also listed by ${other}; each pinned server needs a distinct name`,
        { file: snapshot.origin },
      );
    }
    byKey.set(snapshot.serverKey, snapshot.origin);
    snapshots.push(snapshot);
  }
  return snapshots;
}

export interface PinResult {
  lock: Lockfile;
  lockPath: string;
  /** Per pinned server: its tool count and what changed since the previous pin (status `new` if none). */
  pinned: { serverKey: string; origin: string; tools: number; sincePrevious: ServerDiff }[];
  /** Servers already in the lockfile that were kept as they were (no source given for them). */
  kept: string[];
  /** Servers dropped with `prune`. */
  pruned: string[];
  /** A signature next to the lockfile that the rewrite has invalidated. */
  staleSignature?: string;
}

/**
 * Pins the snapshots into the lockfile at `lockPath`. Servers already pinned and not among the
 * snapshots are kept unless `prune` is set. An existing lockfile that does not parse is an error:
 * it is never silently replaced.
 */
export function pinSnapshots(
  lockPath: string,
  snapshots: ToolSnapshot[],
  options: { prune?: boolean } = {},
): PinResult {
  const previousBytes = existsSync(lockPath) ? readLockfileBytes(lockPath) : undefined;
  const existing = previousBytes ? parseLockfileBytes(previousBytes, lockPath) : emptyLockfile();
  const lock = emptyLockfile();
  const given = new Set(snapshots.map((s) => s.serverKey));
  const kept: string[] = [];
  const pruned: string[] = [];
  for (const [key, server] of existing.servers) {
    if (given.has(key)) continue;
    if (options.prune) pruned.push(key);
    else {
      lock.servers.set(key, server);
      kept.push(key);
    }
  }
  const pinned = snapshots.map((snapshot) => {
    const sincePrevious = diffServer(existing.servers.get(snapshot.serverKey), snapshot);
    lock.servers.set(snapshot.serverKey, lockServer(snapshot));
    return {
      serverKey: snapshot.serverKey,
      origin: snapshot.origin,
      tools: snapshot.tools.length,
      sincePrevious,
    };
  });
  const unchanged =
    previousBytes !== undefined && Buffer.from(previousBytes).toString('utf8') === serializeLockfile(lock);
  const result: PinResult = { lock, lockPath, pinned, kept: kept.sort(), pruned: pruned.sort() };
  if (unchanged) return result; // same bytes: an existing signature stays valid
  writeLockfile(lockPath, lock);
  if (existsSync(signatureFileFor(lockPath))) result.staleSignature = signatureFileFor(lockPath);
  return result;
}

export interface VerifyReport {
  version: 1;
  /** True when nothing changed and, if keys were given, the signature is valid. */
  ok: boolean;
  lockfile: string;
  /** Present when trusted public keys were given. */
  signature?: SignatureCheck;
  diff: LockDiff;
}

/**
 * Compares the snapshots with the lockfile. With trusted keys, the lockfile's signature is checked
 * over the very bytes that are then parsed, so the file cannot change between check and use.
 */
export function verifySnapshots(
  lockPath: string,
  snapshots: ToolSnapshot[],
  trusted?: KeyObject[],
): VerifyReport {
  const bytes = readLockfileBytes(lockPath);
  const signature = trusted && trusted.length > 0 ? verifyFileBytes(lockPath, bytes, trusted) : undefined;
  let lock: Lockfile;
  try {
    lock = parseLockfileBytes(bytes, lockPath);
  } catch (err) {
    if (signature && signature.status !== 'valid' && err instanceof PortcullisError) {
      const why = `${err.message}; the signature check failed too: ${signature.message}`;
      throw new PortcullisError(err.code, why, err.location, { cause: err });
    }
    throw err;
  }
  const diff = diffLock(lock, snapshots);
  const report: VerifyReport = {
    version: 1,
    ok: !diff.changed && (signature === undefined || signature.status === 'valid'),
    lockfile: lockPath,
    diff,
  };
  if (signature) report.signature = signature;
  return report;
}
