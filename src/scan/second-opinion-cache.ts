// Second-opinion answers cached on disk by content hash: the key is sha256 over the model (name and
// digest), the exact prompt and the answer schema, so the same question to the same weights is
// asked once, and any change to the facts, the prompt or the model asks again.
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

/** `$XDG_CACHE_HOME/portcullis/llm` (XDG default: `~/.cache`). */
export function defaultLlmCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  const xdg = env.XDG_CACHE_HOME;
  // The XDG spec says a relative XDG_CACHE_HOME is invalid and must be ignored.
  const base = xdg?.startsWith('/') ? xdg : join(env.HOME || homedir(), '.cache');
  return join(base, 'portcullis', 'llm');
}

export function cacheKey(parts: unknown): string {
  return createHash('sha256').update(JSON.stringify(parts)).digest('hex');
}

/** A cache that never throws: an unreadable entry is a miss, an unwritable directory is no cache. */
export class AnswerCache {
  constructor(private readonly dir: string) {}

  get(key: string): unknown {
    try {
      const text = readFileSync(join(this.dir, `${key}.json`), 'utf8');
      return text.length > 1_000_000 ? undefined : JSON.parse(text);
    } catch {
      return undefined;
    }
  }

  set(key: string, value: unknown): void {
    try {
      mkdirSync(this.dir, { recursive: true, mode: 0o700 });
      // Write then rename: a reader never sees half an entry, even with two scans at once.
      const tmp = join(this.dir, `${key}.${process.pid}.tmp`);
      writeFileSync(tmp, `${JSON.stringify(value)}\n`, { mode: 0o600 });
      renameSync(tmp, join(this.dir, `${key}.json`));
    } catch {
      // A read-only home or a full disk costs a repeated question later, nothing else.
    }
  }
}
