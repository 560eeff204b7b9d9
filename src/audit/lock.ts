// One writer per log: LOG.lock is created with O_EXCL and names its holder. Two writers appending
// to one chain would each link to a `prev` the other has already used, breaking it.
//
// A lock left by a crashed writer on this host is taken over once its process is gone; a lock
// from another host (a shared filesystem) is never guessed stale: remove it by hand.

import { randomUUID } from 'node:crypto';
import { readFile, rename, unlink, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { AuditError, errnoOf } from './errors.js';

interface LockContent {
  pid: number;
  host: string;
  nonce: string;
  since: string;
}

/** Locks held by this process, by nonce: a lock naming our pid but not listed is a dead namesake's. */
const heldNonces = new Set<string>();

export interface LogLock {
  readonly file: string;
  release(): Promise<void>;
}

export function lockFileFor(log: string): string {
  return `${log}.lock`;
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return errnoOf(err) === 'EPERM';
  }
}

function parseLock(text: string): LockContent | undefined {
  try {
    const v = JSON.parse(text) as Partial<LockContent>;
    if (Number.isSafeInteger(v.pid) && typeof v.host === 'string' && typeof v.nonce === 'string')
      return v as LockContent;
  } catch {
    // unreadable: treated as held
  }
  return undefined;
}

function isStale(lock: LockContent): boolean {
  if (lock.host !== hostname()) return false;
  if (lock.pid === process.pid) return !heldNonces.has(lock.nonce);
  return !processAlive(lock.pid);
}

export async function acquireLock(log: string): Promise<LogLock> {
  const file = lockFileFor(log);
  const content: LockContent = {
    pid: process.pid,
    host: hostname(),
    nonce: randomUUID(),
    since: new Date().toISOString(),
  };
  const text = `${JSON.stringify(content)}\n`;
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      await writeFile(file, text, { flag: 'wx', mode: 0o600 });
      heldNonces.add(content.nonce);
      return {
        file,
        async release() {
          heldNonces.delete(content.nonce);
          await unlink(file).catch(() => undefined);
        },
      };
    } catch (err) {
      if (errnoOf(err) !== 'EEXIST') {
        throw new AuditError(
          'write-failed',
          `cannot create the lock file ${file} (${errnoOf(err) ?? err})`,
          log,
          {
            cause: err,
            errno: errnoOf(err),
          },
        );
      }
    }
    const existingText = await readFile(file, 'utf8').catch(() => undefined);
    if (existingText === undefined) continue; // released meanwhile: try again
    const holder = parseLock(existingText);
    if (!holder || !isStale(holder)) {
      const who = holder
        ? `process ${holder.pid} on ${holder.host} since ${holder.since}`
        : 'an unreadable lock';
      throw new AuditError(
        'locked',
        `another writer holds this audit log (${who}); if no writer is running, remove ${file}`,
        log,
      );
    }
    // Move the stale lock aside atomically, then make sure it was the stale one we read (another
    // process may have replaced it in between); if not, put it back and give up.
    const aside = `${file}.stale-${process.pid}-${content.nonce}`;
    try {
      await rename(file, aside);
    } catch {
      continue;
    }
    const movedText = await readFile(aside, 'utf8').catch(() => undefined);
    if (movedText !== existingText) {
      await rename(aside, file).catch(() => undefined);
      throw new AuditError('locked', `another writer took this audit log's lock (${file})`, log);
    }
    await unlink(aside).catch(() => undefined);
  }
  throw new AuditError('locked', `could not take the lock file ${file}`, log);
}
