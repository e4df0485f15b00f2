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
/** An entry found by position: the text range it was computed from, and the extra key part. */
interface PlacedEntry { end: number; extra: string; value: unknown }
/** Consecutive ranges of a text, in order and not overlapping, with what else their values depend on. */
export interface RunKey { from: number; to: number; extra: string }
/** The runs one analysis asked for in a space, and their values. */
interface RunList { keys: readonly RunKey[]; values: unknown[] }
/** Entries by start offset (a small integer: no boxed keys), then by end. */
type Placed = Map<number, PlacedEntry[]>;

function findPlaced(map: Placed | undefined, start: number, end: number, extra: string): PlacedEntry | undefined {
  const list = map?.get(start);
  if (list) for (const e of list) if (e.end === end && e.extra === extra) return e;
  return undefined;
}

function addPlaced(map: Placed, start: number, entry: PlacedEntry): void {
  const list = map.get(start);
  if (list) list.push(entry); else map.set(start, [entry]);
}

/**
 * Positions: a key that is a range of the analysed text needs no hashing when the range lies in
 * the part of the text the edit did not touch. begin() compares the new text with the previous
 * one (common prefix and suffix); a range inside the prefix was cached at the same offsets, a
 * range inside the suffix at offsets shifted by the length difference. Ranges that overlap the
 * edit fall back to the text itself as the key.
 */

export class Memo {
  private current = new Map<string, Map<string, Entry>>();
  private previous = new Map<string, Map<string, Entry>>();
  private currentAt = new Map<string, Placed>();
  private previousAt = new Map<string, Placed>();
  /** Values kept per space for the next analysis, whatever the text (see latest()). */
  private currentLatest = new Map<string, unknown>();
  private previousLatest = new Map<string, unknown>();
  /** Content keys of the runs looked up by content in this analysis (copies), by run. */
  private runKeys = new WeakMap<RunKey, string>();
  private currentRuns = new Map<string, RunList>();
  private previousRuns = new Map<string, RunList>();
  private text: string | undefined;
  private previousText: string | undefined;
  /** new[0, prefix) === old[0, prefix); new[suffixStart, end) === old[suffixStart - delta, end - delta). */
  private prefix = 0;
  private suffixStart = 0;
  private delta = 0;

  /** How lookups were answered since the Memo was made (tests, profiling). */
  readonly stats = { position: 0, content: 0, computed: 0 };

  /** @param retain entries survive commit() (language server); false for one-shot analyses (CLI). */
  constructor(readonly retain = false) {}

  /** Starts an analysis of `text` (positions in getAt() refer to it). */
  begin(text: string): void {
    this.text = text;
    const old = this.previousText;
    if (!old) { this.prefix = 0; this.suffixStart = text.length; this.delta = 0; return; }
    const max = Math.min(old.length, text.length);
    const p = commonPrefix(old, text, max);
    const q = commonSuffix(old, text, max - p);
    this.prefix = p;
    this.suffixStart = text.length - q;
    this.delta = text.length - old.length;
  }

  /**
   * compute(), cached for the range [start, end) of the analysed text together with `extra` (a
   * short string for whatever else the value depends on): by position when the range is outside
   * the edit, else by content in `space`.
   */
  getAt<T>(space: string, text: string, start: number, end: number, extra: string, compute: () => T): T {
    const byContent = () => this.get(space, extra ? text.slice(start, end) + '\u0000' + extra : text.slice(start, end), compute);
    if (!this.retain || text !== this.text) return byContent();
    let at = this.currentAt.get(space);
    if (!at) { at = new Map(); this.currentAt.set(space, at); }
    const hit = findPlaced(at, start, end, extra);
    if (hit) { this.stats.position++; return hit.value as T; }
    let old: PlacedEntry | undefined;
    if (end <= this.prefix) old = findPlaced(this.previousAt.get(space), start, end, extra);
    else if (start >= this.suffixStart) old = findPlaced(this.previousAt.get(space), start - this.delta, end - this.delta, extra);
    if (old) {
      this.stats.position++;
      addPlaced(at, start, { end, extra: old.extra, value: old.value });
      return old.value as T;
    }
    const value = byContent();
    addPlaced(at, start, { end, extra: own(extra), value });
    return value;
  }

  /**
   * One value per space for the whole analysed text, computed once per analysis; `compute` is
   * given the previous analysis' value and where the text changed since (`old[0, prefix)` is kept,
   * `new[suffixStart, end)` is `old[suffixStart - delta, end - delta)`), so that it can update that
   * value instead of starting over. Undefined when there is none (first analysis, another text).
   */
  latest<T>(space: string, text: string, compute: (previous: { value: T; prefix: number; suffixStart: number; delta: number } | undefined) => T): T {
    if (!this.retain || text !== this.text) return compute(undefined);
    if (this.currentLatest.has(space)) return this.currentLatest.get(space) as T;
    const old = this.previousLatest.has(space) ? { value: this.previousLatest.get(space) as T, prefix: this.prefix, suffixStart: this.suffixStart, delta: this.delta } : undefined;
    const value = compute(old);
    this.currentLatest.set(space, value);
    return value;
  }

  /**
   * getAt() for a list of runs (ranges in order, not overlapping, as RunKey says) asked for
   * together, once per analysis: the runs the edit did not touch are matched with the previous
   * analysis' list in one pass (no map lookups per run); the others are looked up by content.
   * compute(i) gives the value of keys[i].
   */
  getRuns<T>(space: string, text: string, keys: readonly RunKey[], compute: (i: number) => T): T[] {
    const values: T[] = new Array(keys.length);
    const keyOf = (k: RunKey) => `${text.slice(k.from, k.to)}\u0000${k.extra}`;
    if (!this.retain || text !== this.text) {
      for (let i = 0; i < keys.length; i++) values[i] = this.get(space, keyOf(keys[i]), () => compute(i));
      return values;
    }
    // A run the edit touched is looked up by content in every space that asks for it (the rules
    // share the runs' key objects): its key is built and copied once per analysis, and its hash,
    // which the string keeps, is computed once.
    const byContent = (i: number) => {
      const k = keys[i];
      let key = this.runKeys.get(k);
      if (key === undefined) { key = own(keyOf(k)); this.runKeys.set(k, key); }
      return this.get(space, key, () => compute(i), true);
    };
    const same = this.currentRuns.get(space);
    if (same && same.keys === keys) return same.values as T[];
    const old = this.previousRuns.get(space);
    const oldKeys = old?.keys ?? [];
    let j = 0;
    for (let i = 0; i < keys.length; i++) {
      const k = keys[i];
      // Where the run was in the previous text, if the edit left it alone.
      let from = -1;
      if (k.to <= this.prefix) from = k.from;
      else if (k.from >= this.suffixStart) from = k.from - this.delta;
      if (from >= 0) {
        // Both lists are in order, and so are the previous offsets of the runs: one pointer suffices.
        while (j < oldKeys.length && oldKeys[j].from < from) j++;
        const o = oldKeys[j];
        if (o && o.from === from && o.to - o.from === k.to - k.from && o.extra === k.extra) {
          this.stats.position++;
          values[i] = old!.values[j] as T;
          continue;
        }
      }
      values[i] = byContent(i);
    }
    this.currentRuns.set(space, { keys, values });
    return values;
  }

  /** @param owned the key is a copy already (see own()). */
  get<T>(space: string, key: string, compute: () => T, owned = false): T {
    let cur = this.current.get(space);
    if (!cur) { cur = new Map(); this.current.set(space, cur); }
    const hit = cur.get(key);
    if (hit) { this.stats.content++; return hit.value as T; }
    // Carried over from the previous analysis with the key it was stored under (already a copy).
    const old = this.previous.get(space)?.get(key);
    if (old) { this.stats.content++; cur.set(old.key, old); return old.value as T; }
    this.stats.computed++;
    const value = compute();
    const k = this.retain && !owned ? own(key) : key;
    cur.set(k, { key: k, value });
    return value;
  }

  commit(): void {
    this.previous = this.retain ? this.current : new Map();
    this.current = new Map();
    this.previousAt = this.retain ? this.currentAt : new Map();
    this.currentAt = new Map();
    this.previousLatest = this.retain ? this.currentLatest : new Map();
    this.currentLatest = new Map();
    this.previousRuns = this.retain ? this.currentRuns : new Map();
    this.currentRuns = new Map();
    this.runKeys = new WeakMap();
    this.previousText = this.retain ? this.text : undefined;
    this.text = undefined;
  }

  /** Number of cached entries (for tests and the benchmark). */
  get size(): number {
    let n = 0;
    for (const m of [this.current, this.previous]) for (const s of m.values()) n += s.size;
    return n;
  }
}

/** Length of the common prefix of a and b (at most max): slices compared natively, then characters. */
function commonPrefix(a: string, b: string, max: number): number {
  const STEP = 4096;
  let p = 0;
  while (p + STEP <= max && a.substr(p, STEP) === b.substr(p, STEP)) p += STEP;
  while (p < max && a.charCodeAt(p) === b.charCodeAt(p)) p++;
  return p;
}

/** Length of the common suffix of a and b (at most max). */
function commonSuffix(a: string, b: string, max: number): number {
  const STEP = 4096;
  let q = 0;
  while (q + STEP <= max && a.substr(a.length - q - STEP, STEP) === b.substr(b.length - q - STEP, STEP)) q += STEP;
  while (q < max && a.charCodeAt(a.length - 1 - q) === b.charCodeAt(b.length - 1 - q)) q++;
  return q;
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

/**
 * compute(), cached for the range [start, end) of `text` plus `extra` (see Memo.getAt): no hashing
 * of the range when an edit left it untouched. Outside an analysis it is computed every time.
 */
export function memoizedAt<T>(space: string, text: string, start: number, end: number, extra: string, compute: () => T): T {
  return active ? active.getAt(space, text, start, end, extra, compute) : compute();
}

/**
 * compute(i) for each run of `keys` (ranges of `text` in order, not overlapping, plus what else
 * the value depends on), cached like memoizedAt (see Memo.getRuns). Outside an analysis each is
 * computed.
 */
export function memoizedRuns<T>(space: string, text: string, keys: readonly RunKey[], compute: (i: number) => T): T[] {
  if (active) return active.getRuns(space, text, keys, compute);
  return keys.map((_, i) => compute(i));
}

/**
 * memoizedAt() for values one analysis asks for once per range (the parse of a block): cached only
 * when the active Memo outlives the analysis, since a one-shot analysis (the CLI) would only pay
 * for storing them.
 */
export function carriedAt<T>(space: string, text: string, start: number, end: number, compute: () => T): T {
  return active?.retain ? active.getAt(space, text, start, end, '', compute) : compute();
}

/** Whether the active Memo outlives the analysis (a language server's): one-shot analyses need not build cache keys. */
export function retaining(): boolean {
  return !!active?.retain;
}

/**
 * A whole-text value updated from the previous analysis' (see Memo.latest): compute(undefined)
 * outside an analysis or when nothing usable is kept.
 */
export function latest<T>(space: string, text: string, compute: (previous: { value: T; prefix: number; suffixStart: number; delta: number } | undefined) => T): T {
  return active ? active.latest(space, text, compute) : compute(undefined);
}

/** Where `literal` occurs in the text (overlaps included), updated from the previous analysis's list (see latest): an edit searches only the text around it. */
export function literalPlaces(text: string, literal: string): number[] {
  return latest<number[]>(`literal:${literal}`, text, (old) => {
    const out: number[] = [];
    if (!old) {
      for (let i = text.indexOf(literal); i >= 0; i = text.indexOf(literal, i + 1)) out.push(i);
      return out;
    }
    const { value, prefix, suffixStart, delta } = old;
    const n = literal.length;
    // Wholly before the edit: as they were.
    let k = 0;
    while (k < value.length && value[k] + n <= prefix) out.push(value[k++]);
    // Starting where the edit may have changed the text: searched again (in a slice, so that the search stops there).
    const from = Math.max(0, prefix - n + 1);
    const window = text.slice(from, Math.min(text.length, suffixStart + n - 1));
    for (let i = window.indexOf(literal); i >= 0 && from + i < suffixStart; i = window.indexOf(literal, i + 1)) out.push(from + i);
    // Starting after the edit: moved with the text.
    while (k < value.length && value[k] < suffixStart - delta) k++;
    for (; k < value.length; k++) out.push(value[k] + delta);
    return out;
  });
}

/** Whether `literal` occurs in the text: from its places with a retained Memo (see literalPlaces), else by one search. */
export function occurs(text: string, literal: string): boolean {
  return retaining() ? literalPlaces(text, literal).length > 0 : text.includes(literal);
}

/** compute(), cached by (space, key) in the active Memo; computed every time outside an analysis. */
export function memoized<T>(space: string, key: string, compute: () => T): T {
  return active ? active.get(space, key, compute) : compute();
}
