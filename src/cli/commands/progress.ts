// Progress on stderr for long runs: a single rewritten line on a terminal, nothing when piped
// (so logs and CI output stay clean).

export interface Progress {
  update: (done: number, total: number, item: string) => void;
  done: () => void;
}

export function progressReporter(stream: NodeJS.WriteStream, verb: string): Progress | undefined {
  if (!stream.isTTY) return undefined;
  let last = 0;
  let shown = false;
  const width = Math.max(20, (stream.columns ?? 80) - 1);
  return {
    update(done, total, item) {
      const now = Date.now();
      if (now - last < 100) return;
      last = now;
      shown = true;
      const line = `${verb} ${done}/${total} ${item}`;
      stream.write(`\r${line.length > width ? `${line.slice(0, width - 1)}…` : line.padEnd(width)}`);
    },
    done() {
      if (shown) stream.write(`\r${' '.repeat(width)}\r`);
    },
  };
}
