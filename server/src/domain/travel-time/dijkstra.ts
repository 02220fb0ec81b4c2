/**
 * Shortest paths over a compressed adjacency (CSR) in typed arrays: a binary heap of (time, node) pairs with lazy
 * deletion, and a search bounded by a limit that settles only what is within it. One `Searcher` serves many searches
 * over one graph: it resets only the nodes the last search touched.
 */

/** Arcs leaving each node: those of node v are `offsets[v]` … `offsets[v + 1] - 1` (nodes numbered 1…n, 0 unused). */
export interface Adjacency {
  nodeCount: number;
  offsets: Int32Array;
  targets: Int32Array;
  /** Seconds, ≥ 0. */
  costs: Float64Array;
  /** The road_edge id of each arc (for isochrones: which edges were reached). */
  edges: Int32Array;
}

export class Searcher {
  readonly #adjacency: Adjacency;
  readonly dist: Float64Array;
  #touched: Int32Array;
  #touchedCount = 0;
  #heapKeys: Float64Array;
  #heapNodes: Int32Array;
  #heapSize = 0;

  constructor(adjacency: Adjacency) {
    this.#adjacency = adjacency;
    this.dist = new Float64Array(adjacency.nodeCount + 1).fill(Number.POSITIVE_INFINITY);
    this.#touched = new Int32Array(1024);
    this.#heapKeys = new Float64Array(1024);
    this.#heapNodes = new Int32Array(1024);
  }

  /**
   * Settles every node whose time from `start` is ≤ `limit` (seconds) and calls `settled(node, seconds)` for each, in
   * order of time. `dist` holds the times of the settled nodes (and tentative ones of some others) until the next
   * search.
   */
  search(start: number, limit: number, settled?: (node: number, seconds: number) => void): void {
    this.#reset();
    if (start < 1 || start > this.#adjacency.nodeCount || !(limit >= 0)) return;
    const { offsets, targets, costs } = this.#adjacency;
    const dist = this.dist;
    this.#touch(start);
    dist[start] = 0;
    this.#push(0, start);
    while (this.#heapSize > 0) {
      const key = this.#heapKeys[0]!;
      const node = this.#heapNodes[0]!;
      this.#pop();
      if (key > dist[node]!) continue; // an older, longer entry
      if (key > limit) break;
      settled?.(node, key);
      for (let arc = offsets[node]!, end = offsets[node + 1]!; arc < end; arc++) {
        const next = targets[arc]!;
        const time = key + costs[arc]!;
        if (time > limit) continue;
        const known = dist[next]!;
        if (time < known) {
          if (known === Number.POSITIVE_INFINITY) this.#touch(next);
          dist[next] = time;
          this.#push(time, next);
        }
      }
    }
  }

  #reset(): void {
    const dist = this.dist;
    for (let i = 0; i < this.#touchedCount; i++) dist[this.#touched[i]!] = Number.POSITIVE_INFINITY;
    this.#touchedCount = 0;
    this.#heapSize = 0;
  }

  #touch(node: number): void {
    if (this.#touchedCount === this.#touched.length) {
      const grown = new Int32Array(this.#touched.length * 2);
      grown.set(this.#touched);
      this.#touched = grown;
    }
    this.#touched[this.#touchedCount++] = node;
  }

  #push(key: number, node: number): void {
    if (this.#heapSize === this.#heapKeys.length) {
      const keys = new Float64Array(this.#heapKeys.length * 2);
      keys.set(this.#heapKeys);
      this.#heapKeys = keys;
      const nodes = new Int32Array(this.#heapNodes.length * 2);
      nodes.set(this.#heapNodes);
      this.#heapNodes = nodes;
    }
    const keys = this.#heapKeys;
    const nodes = this.#heapNodes;
    let i = this.#heapSize++;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (keys[parent]! <= key) break;
      keys[i] = keys[parent]!;
      nodes[i] = nodes[parent]!;
      i = parent;
    }
    keys[i] = key;
    nodes[i] = node;
  }

  #pop(): void {
    const keys = this.#heapKeys;
    const nodes = this.#heapNodes;
    const size = --this.#heapSize;
    if (size === 0) return;
    const key = keys[size]!;
    const node = nodes[size]!;
    let i = 0;
    for (;;) {
      let child = 2 * i + 1;
      if (child >= size) break;
      if (child + 1 < size && keys[child + 1]! < keys[child]!) child++;
      if (keys[child]! >= key) break;
      keys[i] = keys[child]!;
      nodes[i] = nodes[child]!;
      i = child;
    }
    keys[i] = key;
    nodes[i] = node;
  }
}
