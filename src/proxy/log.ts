// The proxy's diagnostic log on stderr (stdout belongs to the protocol). Repeated events of one kind
// are rate-limited so a flood of hostile frames cannot flood the terminal or slow the proxy.

export type LogSink = (line: string) => void;

const BURST = 20;
const WINDOW_MS = 10_000;

export class ProxyLog {
  private readonly counts = new Map<string, { inWindow: number; windowStart: number; suppressed: number }>();

  constructor(
    private readonly sink: LogSink = (line) => process.stderr.write(`${line}\n`),
    private readonly now: () => number = Date.now,
  ) {}

  /** Always written. */
  info(message: string): void {
    this.sink(`portcullis proxy: ${message}`);
  }

  /** Written at most BURST times per window per kind; the rest are counted and summarised. */
  event(kind: string, message: string): void {
    const t = this.now();
    let c = this.counts.get(kind);
    if (!c || t - c.windowStart >= WINDOW_MS) {
      if (c && c.suppressed > 0) this.info(`${c.suppressed} more ${kind} events not shown`);
      c = { inWindow: 0, windowStart: t, suppressed: 0 };
      if (this.counts.size > 256) this.counts.clear();
      this.counts.set(kind, c);
    }
    if (c.inWindow++ < BURST) this.info(message.length > 500 ? `${message.slice(0, 497)}...` : message);
    else c.suppressed++;
  }

  /** Summaries of what was suppressed, for shutdown. */
  flush(): void {
    for (const [kind, c] of this.counts)
      if (c.suppressed > 0) this.info(`${c.suppressed} more ${kind} events not shown`);
    this.counts.clear();
  }
}
