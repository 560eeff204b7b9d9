// Maps spans in a normalised text back to the original. Stored as segments, not per character, so a text
// with a handful of changes costs a handful of entries: a `linear` segment maps position by position (same
// length on both sides); a block segment (an expansion, a decoded run) maps every position to its whole
// original chunk.

export class OffsetMap {
  private readonly normStarts: number[] = [];
  private readonly origStarts: number[] = [];
  private readonly origEnds: number[] = [];
  private readonly linear: boolean[] = [];
  private normLength = 0;

  /** Appends `normLen` normalised characters produced from original [origStart, origEnd). */
  push(normLen: number, origStart: number, origEnd: number, linear: boolean): void {
    if (normLen <= 0) return;
    const last = this.normStarts.length - 1;
    // Merge a linear segment that continues the previous linear one.
    if (
      linear &&
      last >= 0 &&
      this.linear[last] &&
      this.origEnds[last] === origStart &&
      origEnd - origStart === normLen
    ) {
      this.origEnds[last] = origEnd;
      this.normLength += normLen;
      return;
    }
    this.normStarts.push(this.normLength);
    this.origStarts.push(origStart);
    this.origEnds.push(origEnd);
    this.linear.push(linear);
    this.normLength += normLen;
  }

  get length(): number {
    return this.normLength;
  }

  private segmentAt(pos: number): number {
    let lo = 0;
    let hi = this.normStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.normStarts[mid]! <= pos) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  /** Original offset of the start of the normalised character at `pos`. */
  startOf(pos: number): number {
    if (this.normStarts.length === 0) return 0;
    if (pos >= this.normLength) return this.origEnds[this.origEnds.length - 1]!;
    const i = this.segmentAt(pos);
    return this.linear[i] ? this.origStarts[i]! + (pos - this.normStarts[i]!) : this.origStarts[i]!;
  }

  /** Original offset just after the normalised character at `pos`. */
  endOf(pos: number): number {
    if (this.normStarts.length === 0) return 0;
    if (pos >= this.normLength) return this.origEnds[this.origEnds.length - 1]!;
    const i = this.segmentAt(pos);
    return this.linear[i] ? this.origStarts[i]! + (pos - this.normStarts[i]!) + 1 : this.origEnds[i]!;
  }

  /** Maps normalised [start, end) to original [start, end). */
  toOriginal(start: number, end: number): [number, number] {
    if (end <= start) {
      const s = this.startOf(start);
      return [s, s];
    }
    return [this.startOf(start), this.endOf(end - 1)];
  }
}

/** The identity map, for texts normalisation did not change. */
export class IdentityMap extends OffsetMap {
  constructor(private readonly len: number) {
    super();
  }
  override get length(): number {
    return this.len;
  }
  override startOf(pos: number): number {
    return Math.min(pos, this.len);
  }
  override endOf(pos: number): number {
    return Math.min(pos + 1, this.len);
  }
  override toOriginal(start: number, end: number): [number, number] {
    return [Math.min(start, this.len), Math.min(Math.max(start, end), this.len)];
  }
}
