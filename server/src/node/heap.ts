/**
 * Memory given back when the user pauses. Every keystroke in a large document leaves a few
 * megabytes of garbage (the previous text, the previous analysis), and V8 lets a busy process's
 * heap grow to several times what it keeps alive before it collects — with a 1 MB document open the
 * server's resident memory climbed from ~140 MB to ~230–270 MB while typing — and then keeps that
 * memory. When no analysis has run for IDLE_MS, the server runs a full collection itself, which
 * brought it back to ~185 MB. That collection also compacts the old generation (below): without
 * it the live objects stay spread over the pages they were allocated on and V8 gives few of them
 * back (after typing: 83 MB of old space holding 26 MB); with it, ~110 MB.
 *
 * The young generation is held to YOUNG_CAP (below): V8 lets it grow to 32 MB, which it keeps.
 * The old generation may grow to twice what the last full collection kept (HEAP_GROWING_PERCENT):
 * with V8's own factor the server reached ~370 MB while typing in some runs; with 2×, ~170 MB.
 *
 * Collecting while the user types as well (whenever the heap had grown by a few megabytes) kept it
 * under ~160 MB but cost 10–20 ms per keystroke at the median: a forced collection is a single
 * pause, where V8's own marks concurrently on another core. Not done.
 *
 * Where the engine does not allow this (no gc function), V8's own policy applies unchanged.
 */
import { getHeapSpaceStatistics, setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/** A pause (ms) after the last analysis after which the server collects. */
export const IDLE_MS = 1500;

/**
 * V8's gc(), exposed at start-up. Called without arguments it is a full, synchronous collection
 * (in Node.js 20 an options argument such as { type: 'major' } gives a young-generation one).
 */
let collect: (() => void) | undefined;
try {
  setFlagsFromString('--expose-gc');
  collect = runInNewContext('gc') as () => void;
  if (typeof collect !== 'function') collect = undefined;
} catch {
  collect = undefined;
}

let idle: NodeJS.Timeout | undefined;
let collections = 0;

/** Called after each analysis has been published: (re)starts the pause timer. */
export function afterAnalysis(): void {
  if (!collect) return;
  if (idle) clearTimeout(idle);
  idle = setTimeout(() => {
    // First a plain collection: it frees the dead objects, and the pages left empty are given
    // back. Then, a moment later, the compacting one: it copies the live objects out of the pages
    // they share with free space, and its copies are made on top of what is left by then, not on
    // top of the memory of a busy heap (one collection that did both raised the peak by ~20 MB).
    collect!();
    idle = setTimeout(() => {
      idle = undefined;
      compacting(collect!);
      collections++;
    }, COMPACT_AFTER_MS);
    idle.unref();
  }, IDLE_MS);
  idle.unref();
}

/** The wait (ms) between the plain collection of a pause and the compacting one. */
const COMPACT_AFTER_MS = 200;

/**
 * A full collection that also compacts the old generation. The flag is read by each collection;
 * it is set only around this one (V8's own collections while the user types stay as they are).
 */
function compacting(gc: () => void): void {
  let flagged = false;
  try { setFlagsFromString('--compact-on-every-full-gc'); flagged = true; } catch { /* a plain collection */ }
  try { gc(); } finally { if (flagged) setFlagsFromString('--no-compact-on-every-full-gc'); }
}

/** The collection run after a pause, now (tests). */
export function collectNow(): boolean {
  if (!collect) return false;
  compacting(collect);
  return true;
}

/**
 * The young generation's size (both semi-spaces) at which it stops growing. V8 starts it at
 * 2 MB and doubles it while many objects survive, up to 32 MB, and never gives that back while
 * the user types. The first analysis of a 1 MB document takes it to the maximum. Held at 16 MB,
 * the server's resident memory was ~15 MB lower (open: 131 → 117 MB) with the same typing
 * latency; held at 2 MB (no growth), typing was ~6 ms slower per keystroke at the median.
 */
export const YOUNG_CAP = 16 * 1048576;

/**
 * How far V8 lets the old generation grow past what the last full collection kept: +100 %. V8
 * chooses a factor of up to 4 from its measured collection speed, and in some runs of the bench
 * the server's RSS climbed to ~370 MB while typing in a 1 MB document (231–272 MB in others);
 * held at 2, RSS after 200 edits was ~145 MB instead of ~175–235 MB, at no measurable cost in
 * typing latency (the concurrent marking runs on the other core).
 */
export const HEAP_GROWING_PERCENT = 100;
try { setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`); } catch { /* V8's own factor */ }

let youngCapped = false;
let checks = 0;

/**
 * For the engine's onTiming option (called after the model and after each rule): stops the
 * young generation's growth once it has reached YOUNG_CAP. V8's growth factor is read each time
 * the young generation grows; setting it to 1 means "keep the present size". Undefined once done
 * (or where flags cannot be set): nothing left to watch.
 */
export function youngGenerationWatch(): ((what: string, ms: number) => void) | undefined {
  if (youngCapped) return undefined;
  return () => {
    // Reading the heap's spaces costs ~10 µs: every 4th call is often enough (it only grows by doubling).
    if (youngCapped || (checks++ & 3) !== 0) return;
    capYoungGeneration();
  };
}

/** Stops the young generation's growth if it has reached `cap` bytes; whether it is stopped. */
export function capYoungGeneration(cap = YOUNG_CAP): boolean {
  if (youngCapped) return true;
  try {
    const young = getHeapSpaceStatistics().find((s) => s.space_name === 'new_space');
    if (!young || young.space_size < cap) return false;
    setFlagsFromString('--semi-space-growth-factor=1');
    youngCapped = true;
  } catch {
    youngCapped = true; // flags cannot be set here: V8's own policy applies
  }
  return youngCapped;
}

/** Whether the server collects when idle, and how many collections it has run (for tests). */
export function heapManagement(): { active: boolean; collections: number } {
  return { active: collect !== undefined, collections };
}
