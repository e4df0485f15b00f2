/**
 * Caches of facts about one analysis' objects (its document, its metadata, its node and clause
 * lists), with the part of WeakMap's interface the rules use.
 *
 * Why not a module-level WeakMap: such a map lives for the whole session, so V8 soon moves it to
 * the old generation. Its entries for the analysis that just ended are dead once the next one has
 * run, but V8's young-generation collections (scavenges) treat the map's values as live until a
 * full collection clears the dead keys. Every value stored there — and everything it refers to,
 * such as a document's text (0.7 MB for a 1 MB document) — was therefore moved to the old
 * generation at the next scavenge, and the server's memory grew by ~1.5 MB per keystroke until V8
 * ran a full collection. Here the maps themselves are young: a new pair is made as analyses go
 * on, and the old maps, with their values, die young.
 *
 * Two generations: a value is found during the analysis that stored it and during the next one
 * (a value found there moves to the newer map); after that it is computed again.
 */
let generation = 0;

/** Called by the engine when an analysis starts. */
export function nextAnalysis(): void {
  generation++;
}

export class AnalysisCache<K extends object, V> {
  private current = new WeakMap<K, V>();
  private older = new WeakMap<K, V>();
  private seen = generation;

  get(key: K): V | undefined {
    this.turn();
    const v = this.current.get(key);
    if (v !== undefined || this.current.has(key)) return v;
    return this.promote(key);
  }

  has(key: K): boolean {
    this.turn();
    if (this.current.has(key)) return true;
    if (!this.older.has(key)) return false;
    this.promote(key);
    return true;
  }

  set(key: K, value: V): this {
    this.turn();
    this.current.set(key, value);
    return this;
  }

  private promote(key: K): V | undefined {
    if (!this.older.has(key)) return undefined;
    const v = this.older.get(key) as V;
    this.current.set(key, v);
    return v;
  }

  private turn(): void {
    if (this.seen === generation) return;
    this.older = this.seen === generation - 1 ? this.current : new WeakMap();
    this.current = new WeakMap();
    this.seen = generation;
  }
}
