/**
 * Memory given back when the user pauses. Every keystroke in a large document leaves a few
 * megabytes of garbage (the previous text, the previous analysis), and V8 lets a busy process's
 * heap grow to several times what it keeps alive before it collects — with a 1 MB document open the
 * server's resident memory climbed from ~140 MB to ~230–270 MB while typing — and then keeps that
 * memory. When no analysis has run for IDLE_MS, the server runs a full collection itself.
 *
 * The young generation is held to YOUNG_CAP (below): V8 lets it grow to 32 MB, which it keeps.
 * The old generation may grow by HEAP_GROWING_PERCENT past what the last full collection kept.
 *
 * Collecting while the user types as well (whenever the heap had grown by a few megabytes) kept it
 * under ~160 MB but cost 10–20 ms per keystroke at the median: a forced collection is a single
 * pause, where V8's own marks concurrently on another core. Not done.
 *
 * The pause collection used to compact the old generation as well (all its pages, not only those
 * V8 picks): RSS after the pause was ~112 MB instead of ~119 MB, but the copies it makes raised
 * the peak by ~10 MB (to ~150–154 MB once the growth while typing was held to +30 %). Not done.
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
    idle = undefined;
    collect!();
    collections++;
  }, IDLE_MS);
  idle.unref();
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
 * How far V8 lets the old generation grow past what the last full collection kept: +30 %. V8
 * chooses a factor of up to 4 from its measured collection speed, and in some runs of the bench
 * the server's RSS climbed to ~370 MB while typing in a 1 MB document (231–272 MB in others).
 * At +100 % the peak was 164–170 MB; at +50 %, 144–150 MB; at +40 %, ~143 MB; at +30 %,
 * 138–141 MB, with typing latency within the runs' spread (the concurrent marking runs on the
 * other core). Lower growth costs more only because each keystroke leaves less garbage in the old
 * generation now (AnalysisCache, the folded text in pieces): ~1 MB per keystroke, down from ~1.5.
 */
export const HEAP_GROWING_PERCENT = 30;
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
  return (what) => {
    // Reading the heap's spaces costs ~10 µs: every 4th call is often enough (it only grows by
    // doubling), except in the model's steps. The first analysis of a large document grows it
    // fastest there: a 1 MB 例規-style document went from 16 to 32 MB while its outline was built,
    // before the first rule's call (~30 MB more RSS while typing).
    if (youngCapped || (!what.startsWith('model') && (checks++ & 3) !== 0)) return;
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
