/**
 * Content-keyed caches for facts derived from text (term matches of a sentence, the parse of a
 * block …). The language server keeps one Memo per open document, so that after an edit only
 * text that changed is examined again; the CLI uses a fresh one per file.
 *
 * Two generations: what an analysis uses is kept for the next one, the rest is dropped when the
 * analysis commits. Keys that outlive an analysis are copied, so that a cached sentence never
 * keeps an old version of a large document alive.
 */
interface Entry { key: string; value: unknown }

export class Memo {
  private current = new Map<string, Map<string, Entry>>();
  private previous = new Map<string, Map<string, Entry>>();

  /** @param retain entries survive commit() (language server); false for one-shot analyses (CLI). */
  constructor(readonly retain = false) {}

  get<T>(space: string, key: string, compute: () => T): T {
    let cur = this.current.get(space);
    if (!cur) { cur = new Map(); this.current.set(space, cur); }
    const hit = cur.get(key);
    if (hit) return hit.value as T;
    // Carried over from the previous analysis with the key it was stored under (already a copy).
    const old = this.previous.get(space)?.get(key);
    if (old) { cur.set(old.key, old); return old.value as T; }
    const value = compute();
    const k = this.retain ? own(key) : key;
    cur.set(k, { key: k, value });
    return value;
  }

  commit(): void {
    this.previous = this.retain ? this.current : new Map();
    this.current = new Map();
  }

  /** Number of cached entries (for tests and the benchmark). */
  get size(): number {
    let n = 0;
    for (const m of [this.current, this.previous]) for (const s of m.values()) n += s.size;
    return n;
  }
}

/** A copy of a string that does not share memory with the text it was sliced from. */
export function own(s: string): string {
  return s.length < 13 ? s : (JSON.parse(JSON.stringify(s)) as string);
}

let active: Memo | undefined;

/** Runs fn with `memo` as the cache that memoized() uses (analyses are synchronous). */
export function withMemo<T>(memo: Memo, fn: () => T): T {
  const outer = active;
  active = memo;
  try {
    return fn();
  } finally {
    active = outer;
  }
}

/** A string to keep in a cached value: a copy when the active Memo outlives the analysis, else the string itself. */
export function keep(s: string): string {
  return active?.retain ? own(s) : s;
}

/** Whether the active Memo outlives the analysis (a language server's): one-shot analyses need not build cache keys. */
export function retaining(): boolean {
  return !!active?.retain;
}

/** compute(), cached by (space, key) in the active Memo; computed every time outside an analysis. */
export function memoized<T>(space: string, key: string, compute: () => T): T {
  return active ? active.get(space, key, compute) : compute();
}
