// A real headless Chromium driven over the Chrome DevTools Protocol on a pipe
// (`--remote-debugging-pipe`: commands on fd 3, replies and events on fd 4, NUL-delimited JSON), so
// a test can open a page and click on it as a person would, without any npm dependency.
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable, Writable } from 'node:stream';

const CANDIDATES = [
  '/usr/lib/chromium/chromium-headless-shell', // Debian's package, without its shell wrapper
  '/usr/bin/chromium-headless-shell',
  '/usr/bin/chromium',
];

/** The headless browser binary, if one is installed (Debian: apt-get install chromium-headless-shell). */
export function findBrowser(): string | undefined {
  return CANDIDATES.find((p) => existsSync(p));
}

type Message = {
  id?: number;
  method?: string;
  params?: Record<string, unknown>;
  sessionId?: string;
  result?: unknown;
  error?: { message: string };
};

// biome-ignore lint/suspicious/noExplicitAny: CDP replies are JSON whose shape depends on the method
type CdpReply = Record<string, any>;

export class Browser {
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  private readonly listeners = new Set<(m: Message) => void>();
  private buffer = '';

  private constructor(
    private readonly child: ChildProcess,
    private readonly profile: string,
  ) {
    const out = child.stdio[4] as Readable;
    out.on('data', (chunk: Buffer) => {
      this.buffer += chunk.toString('utf8');
      let end = this.buffer.indexOf('\0');
      while (end !== -1) {
        const m = JSON.parse(this.buffer.slice(0, end)) as Message;
        this.buffer = this.buffer.slice(end + 1);
        end = this.buffer.indexOf('\0');
        if (m.id !== undefined) {
          const p = this.pending.get(m.id);
          this.pending.delete(m.id);
          if (m.error) p?.reject(new Error(m.error.message));
          else p?.resolve(m.result);
        } else for (const l of this.listeners) l(m);
      }
    });
    child.once('exit', () => {
      for (const p of this.pending.values()) p.reject(new Error('the browser exited'));
      this.pending.clear();
    });
  }

  static async launch(binary = findBrowser()): Promise<Browser> {
    if (!binary) throw new Error('no headless browser installed');
    const profile = mkdtempSync(join(tmpdir(), 'pc-browser-'));
    const child = spawn(
      binary,
      [
        '--remote-debugging-pipe',
        '--no-sandbox', // tests run as root
        '--disable-gpu',
        '--no-first-run',
        '--disable-extensions',
        `--user-data-dir=${profile}`,
        'about:blank',
      ],
      { stdio: ['ignore', 'ignore', 'pipe', 'pipe', 'pipe'], detached: true },
    );
    let err = '';
    child.stderr?.on('data', (d: Buffer) => {
      err = (err + d.toString()).slice(-4000);
    });
    const browser = new Browser(child, profile);
    try {
      await browser.send('Browser.getVersion', {}, undefined, 30_000);
    } catch (e) {
      await browser.close();
      throw new Error(`the browser did not answer: ${(e as Error).message}\n${err}`);
    }
    return browser;
  }

  send(
    method: string,
    params: Record<string, unknown> = {},
    sessionId?: string,
    timeoutMs = 20_000,
  ): Promise<CdpReply> {
    const id = this.nextId++;
    const input = this.child.stdio[3] as Writable;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error(`${method}: no reply in ${timeoutMs} ms`));
      }, timeoutMs);
      this.pending.set(id, {
        resolve: (v) => {
          clearTimeout(timer);
          resolve(v as CdpReply);
        },
        reject: (e) => {
          clearTimeout(timer);
          reject(e);
        },
      });
      input.write(`${JSON.stringify({ id, method, params, ...(sessionId ? { sessionId } : {}) })}\0`);
    });
  }

  /** Resolves with the first event that matches (registered before the action that causes it). */
  waitFor(method: string, sessionId: string, timeoutMs = 20_000): Promise<Message> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.listeners.delete(listener);
        reject(new Error(`no ${method} in ${timeoutMs} ms`));
      }, timeoutMs);
      const listener = (m: Message) => {
        if (m.method !== method || m.sessionId !== sessionId) return;
        clearTimeout(timer);
        this.listeners.delete(listener);
        resolve(m);
      };
      this.listeners.add(listener);
    });
  }

  async newPage(): Promise<Page> {
    const { targetId } = await this.send('Target.createTarget', { url: 'about:blank' });
    const { sessionId } = await this.send('Target.attachToTarget', { targetId, flatten: true });
    await this.send('Page.enable', {}, sessionId);
    await this.send('Runtime.enable', {}, sessionId);
    return new Page(this, sessionId as string);
  }

  async close(): Promise<void> {
    await this.send('Browser.close', {}, undefined, 5000).catch(() => undefined);
    if (this.child.exitCode === null && this.child.pid) {
      const exited = new Promise((r) => this.child.once('exit', r));
      const kill = setTimeout(() => {
        try {
          process.kill(-(this.child.pid as number), 'SIGKILL'); // its own process group
        } catch {
          // already gone
        }
      }, 3000);
      await exited;
      clearTimeout(kill);
    }
    rmSync(this.profile, { recursive: true, force: true });
  }
}

export class Page {
  constructor(
    private readonly browser: Browser,
    readonly sessionId: string,
  ) {}

  async goto(url: string): Promise<void> {
    const loaded = this.browser.waitFor('Page.loadEventFired', this.sessionId);
    const r = await this.browser.send('Page.navigate', { url }, this.sessionId);
    if (r.errorText) throw new Error(`navigation to ${url} failed: ${r.errorText}`);
    await loaded;
  }

  async evaluate<T>(expression: string): Promise<T> {
    const r = await this.browser.send(
      'Runtime.evaluate',
      { expression, returnByValue: true, awaitPromise: true },
      this.sessionId,
    );
    if (r.exceptionDetails) throw new Error(`evaluate failed: ${JSON.stringify(r.exceptionDetails)}`);
    return r.result.value as T;
  }

  text(): Promise<string> {
    return this.evaluate<string>('document.body.innerText');
  }

  /** A real mouse click in the middle of the element; resolves after the page it leads to has loaded. */
  async click(selector: string, { navigates = true } = {}): Promise<void> {
    const box = await this.evaluate<{ x: number; y: number } | null>(
      `(() => { const e = document.querySelector(${JSON.stringify(selector)}); if (!e) return null;
        e.scrollIntoView({ block: 'center' }); const r = e.getBoundingClientRect();
        return { x: r.left + r.width / 2, y: r.top + r.height / 2 }; })()`,
    );
    if (!box) throw new Error(`no element ${selector} on the page: ${await this.text()}`);
    const loaded = navigates ? this.browser.waitFor('Page.loadEventFired', this.sessionId) : undefined;
    const mouse = (type: string) =>
      this.browser.send(
        'Input.dispatchMouseEvent',
        { type, x: box.x, y: box.y, button: 'left', clickCount: 1 },
        this.sessionId,
      );
    await mouse('mouseMoved');
    await mouse('mousePressed');
    await mouse('mouseReleased');
    await loaded;
  }
}
