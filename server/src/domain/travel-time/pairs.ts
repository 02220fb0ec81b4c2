/**
 * How much a sum of seconds may exceed the limit and still be within it: the same path summed in another order (the
 * TypeScript engine, pgRouting) differs in the last bits of a float, never by a microsecond. Times are not rounded.
 */
export const limitTolerance = 1e-6;

/** Pairs (from, to, seconds) collected into growing typed arrays. */
export class PairList {
  from = new Int32Array(1024);
  to = new Int32Array(1024);
  seconds = new Float64Array(1024);
  length = 0;

  add(from: number, to: number, seconds: number): void {
    if (this.length === this.from.length) {
      const size = this.length * 2;
      const from2 = new Int32Array(size);
      from2.set(this.from);
      this.from = from2;
      const to2 = new Int32Array(size);
      to2.set(this.to);
      this.to = to2;
      const seconds2 = new Float64Array(size);
      seconds2.set(this.seconds);
      this.seconds = seconds2;
    }
    this.from[this.length] = from;
    this.to[this.length] = to;
    this.seconds[this.length] = seconds;
    this.length++;
  }

  /** The arrays cut to their length. */
  done(): { length: number; from: Int32Array; to: Int32Array; seconds: Float64Array } {
    return {
      length: this.length,
      from: this.from.slice(0, this.length),
      to: this.to.slice(0, this.length),
      seconds: this.seconds.slice(0, this.length),
    };
  }
}

/**
 * Points grouped by the node they joined the network at, as linked lists in typed arrays: `first[node]` is the
 * first point's index + 1 (0: none), `next[i]` the next point's index + 1.
 */
export class PointsByNode {
  readonly first: Int32Array;
  readonly next: Int32Array;
  readonly nodes: number[] = [];

  constructor(nodeCount: number, pointNodes: Int32Array) {
    this.first = new Int32Array(nodeCount + 1);
    this.next = new Int32Array(pointNodes.length);
    for (let i = pointNodes.length - 1; i >= 0; i--) {
      const node = pointNodes[i]!;
      if (node <= 0 || node > nodeCount) continue;
      if (this.first[node] === 0) this.nodes.push(node);
      this.next[i] = this.first[node]!;
      this.first[node] = i + 1;
    }
    this.nodes.sort((a, b) => a - b);
  }
}
