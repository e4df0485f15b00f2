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
 * While the user types, only the young generation is collected, right after each analysis is
 * published (see minorWorks below). A full collection while typing as well (whenever the heap had
 * grown by a few megabytes) kept it under ~160 MB but cost 10–20 ms per keystroke at the median:
 * a forced collection is a single pause, where V8's own marks concurrently on another core. Done
 * after each publish instead (once the heap had grown by 4 or 8 MB), the median keystroke was
 * 2–4 ms slower still. Not done.
 *
 * The pause collection used to compact the old generation as well (all its pages, not only those
 * V8 picks): RSS after the pause was ~112 MB instead of ~119 MB, but the copies it makes raised
 * the peak by ~10 MB (to ~150–154 MB once the growth while typing was held to +30 %). Not done.
 *
 * Where the engine does not allow this (no gc function), V8's own policy applies unchanged.
 */
import { getHeapSpaceStatistics, setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { PerformanceObserver, performance } from 'node:perf_hooks';

/** A pause (ms) after the last analysis after which the server collects. */
export const IDLE_MS = 1500;

/**
 * V8's gc(), exposed at start-up. Called without arguments it is a full, synchronous collection
 * (in Node.js 20 an options argument such as { type: 'major' } gives a young-generation one).
 */
let collect: ((options?: { type: 'minor' }) => void) | undefined;
try {
  setFlagsFromString('--expose-gc');
  collect = runInNewContext('gc') as () => void;
  if (typeof collect !== 'function') collect = undefined;
} catch {
  collect = undefined;
}

let idle: NodeJS.Timeout | undefined;
let collections = 0;

/**
 * The young generation collected right after each analysis has been published, before the next
 * keystroke is read. An analysis of a 1 MB document allocates ~3 MB, most of it garbage once its
 * diagnostics are out; with the young generation then held at 8 MB (below), V8 collected it in the
 * middle of nearly every analysis (~3 ms each). Collected while the editor reads the diagnostics
 * and the user reaches for the next key, the next analysis starts with it empty and mostly runs
 * without one. Measured in-process on the bench's typing (200 edits, 1 MB guideline layout): young
 * collections inside the analyses 120 → 28, collection time inside them 2.8 → 1.1 ms per edit,
 * median edit 13.3 → 10.9 ms. Through the server the median gained 0.5–2 ms (within the runs'
 * spread in some) and the 95th percentile did not move: it is set by edits that rebuild
 * structure and by full-collection pauses, as many as before. RSS unchanged.
 *
 * Only where gc({ type: 'minor' }) collects the young generation alone, which is checked once at
 * start-up (a full collection after every keystroke would cost far more than it saves).
 */
let minorWorks = false;
let minorPending = false;
let minorCollections = 0;
/** Whether the start-up check is done (tests). */
let minorChecked: Promise<void> = Promise.resolve();
if (collect) {
  minorChecked = new Promise<void>((resolve) => {
    let from = 0, to = 0;
    const done = () => { observer.disconnect(); clearTimeout(timer); resolve(); };
    const observer = new PerformanceObserver((list) => {
      // Only the collection made by the check counts; NODE_PERFORMANCE_GC_MINOR is 1.
      for (const entry of list.getEntries()) {
        if (entry.startTime < from || entry.startTime > to) continue;
        minorWorks = (entry as { detail?: { kind?: number } }).detail?.kind === 1;
        done();
        return;
      }
    });
    // No report of it within a second: left off.
    const timer = setTimeout(done, 1000);
    timer.unref();
    try {
      observer.observe({ entryTypes: ['gc'] });
      from = performance.now();
      collect!({ type: 'minor' });
      to = performance.now();
    } catch {
      done();
    }
  });
}

/** Called after each analysis has been published: collects the young generation once the turn ends, and (re)starts the pause timer. */
export function afterAnalysis(): void {
  if (!collect) return;
  if (minorWorks && !minorPending) {
    minorPending = true;
    setImmediate(() => {
      minorPending = false;
      collect!({ type: 'minor' });
      minorCollections++;
    }).unref();
  }
  if (idle) clearTimeout(idle);
  idle = setTimeout(() => {
    idle = undefined;
    collect!();
    collections++;
  }, IDLE_MS);
  idle.unref();
}

/**
 * The young generation's size (both semi-spaces) that the server keeps. V8 starts it at 1 MB and
 * doubles it while many objects survive, up to 32 MB, which it keeps while the user types; the
 * first analysis of a 1 MB document takes it there. Held at 16 MB, the server's resident memory
 * was ~15 MB lower (open: 131 → 117 MB) with the same typing latency; held at 8 MB, another
 * ~7 MB lower (open: 112 → 104 MB for the guideline-style 1 MB document, 121 → 113 MB for the
 * 例規-style one; peak while typing 153 → 146–147 MB for the latter), the median keystroke
 * 1–2 ms slower in the bench's runs (within their spread); held at 2 MB (no growth), ~6 ms slower.
 * It is grown to the cap at start-up (growYoungGeneration): the watch's checks alone let the
 * first analysis of a large document double it past 8 MB between two of them.
 *
 * V8 also shrinks it, to 1 MB, at a collection that follows a pause in allocation (the pause
 * collection above after the user has stopped for a few seconds, or V8's own memory reducer).
 * With growth stopped for good, typing after such a pause went on with 1–2 MB. So growth is
 * stopped only while it is at the cap: an analysis that finds it smaller lets it grow again
 * (youngGenerationWatch).
 *
 * Now 16 MB, with the old generation's growth held to +15 % (below) to pay for it. At 8 MB an
 * analysis has ~4 MB before a scavenge, and the edits that run code not yet optimised (the first
 * ones after opening, the front-matter fence and numbering edits, which are rare) allocate more
 * than that: the slowest tenth of the bench's edits nearly all had a scavenge of 1–6 ms inside
 * them. Server runs taken in turns (bench's 200 edits, 1 MB documents, typing p95): 8 MB / +30 %
 * (8 runs): guideline 13.9–25.1 ms (median 15.5), 例規 16.8–36.0 (22.0), RSS peak 130–146 MB;
 * 16 MB / +15 % (9 runs): guideline 12.9–19.5 (14.1), 例規 15.7–21.2 (17.6), RSS peak 135–147 MB.
 * 16 MB / +30 % was as fast but peaked at 148–149 MB (例規), 16 MB / +20 % at 147–151 MB;
 * 16 MB / +10 % was no faster; 24 MB / +10 % peaked at 149–159 MB.
 */
export const YOUNG_CAP = 16 * 1048576;

/**
 * How far V8 lets the old generation grow past what the last full collection kept: +15 % (was
 * +30 % while the young generation was held at 8 MB; see YOUNG_CAP for the runs). V8
 * chooses a factor of up to 4 from its measured collection speed, and in some runs of the bench
 * the server's RSS climbed to ~370 MB while typing in a 1 MB document (231–272 MB in others).
 * At +100 % the peak was 164–170 MB; at +50 %, 144–150 MB; at +40 %, ~143 MB; at +30 %,
 * 138–141 MB, with typing latency within the runs' spread (the concurrent marking runs on the
 * other core). Lower growth costs more only because each keystroke leaves less garbage in the old
 * generation now (AnalysisCache, the folded text in pieces): ~1 MB per keystroke, down from ~1.5.
 */
export const HEAP_GROWING_PERCENT = 15;
try { setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`); } catch { /* V8's own factor */ }

/**
 * Collection work that V8 shares out among its helper threads, done on the main thread instead:
 * young-generation collections (nearly all of them run right after a publish, between keystrokes:
 * afterAnalysis) and the compaction and pointer updates that end a full collection. Each helper
 * thread that takes part keeps buffers in its own malloc arena, which stays resident (~15 MB over
 * four arenas at the 例規 layout's peak). Measured through the server (bench's typing, alternated
 * runs): 例規 RSS peak 140.5–145.1 MB (median 142.3, 9 runs) against 141.8–148.0 (144.8, 12 runs),
 * guideline 133–137 against 135–141 MB; typing p95 within the runs' spread; the first analysis of a
 * 1 MB document ~10 ms longer. Marking stays concurrent (it runs while the user types). The flags
 * are read at each collection, so setting them at start-up applies them.
 */
const MAIN_THREAD_GC = ['--no-parallel-scavenge', '--no-parallel-compaction', '--no-parallel-pointer-update'];
for (const flag of MAIN_THREAD_GC) try { setFlagsFromString(flag); } catch { /* V8's own choice */ }

/** Whether growth is stopped now (--semi-space-growth-factor=1); undefined where flags cannot be set. */
let youngHeld: boolean | undefined = false;
let checks = 0;

function youngSize(): number {
  return getHeapSpaceStatistics().find((s) => s.space_name === 'new_space')?.space_size ?? 0;
}

/** Stops (1) or allows (2) the young generation's growth: V8 reads the factor each time it would grow it. */
function growth(factor: 1 | 2): void {
  if (youngHeld === undefined || youngHeld === (factor === 1)) return;
  try {
    setFlagsFromString(`--semi-space-growth-factor=${factor}`);
    youngHeld = factor === 1;
  } catch {
    youngHeld = undefined; // flags cannot be set here: V8's own policy applies
  }
}

/**
 * For the engine's onTiming option of one analysis (called after each step of the model and
 * after each rule). Undefined when the young generation is at the cap (growth stays stopped) or
 * where flags cannot be set. Else growth is allowed again, and the callback stops it once the cap
 * is reached.
 */
export function youngGenerationWatch(cap = YOUNG_CAP): ((what: string, ms: number) => void) | undefined {
  if (youngHeld === undefined) return undefined;
  if (youngSize() >= cap) {
    growth(1);
    return undefined;
  }
  growth(2);
  return (what) => {
    // Reading the heap's spaces costs ~10 µs: every 4th call is often enough (it only grows by
    // doubling), except in the model's steps. The first analysis of a large document grows it
    // fastest there: a 1 MB 例規-style document went from 16 to 32 MB while its outline was built,
    // before the first rule's call (~30 MB more RSS while typing).
    if (youngHeld !== false || (!what.startsWith('model') && (checks++ & 3) !== 0)) return;
    if (youngSize() >= cap) growth(1);
  };
}

/**
 * Grows the young generation to `cap` now, with objects that live for a moment, and stops its
 * growth there: run once at start-up (~30 ms for 16 MB), so that the first analysis of a large
 * document starts at the cap instead of doubling past it between two of the watch's checks.
 * Whether it is at the cap.
 */
export function growYoungGeneration(cap = YOUNG_CAP): boolean {
  if (youngHeld === undefined) return false;
  growth(2);
  // Objects survive a young collection (what makes V8 grow it) while they are in the window; the
  // window is emptied at a quarter of the young generation, so that few of them are promoted.
  let window: number[][] = [];
  let size = youngSize();
  // Bounded (~4 × cap of objects): Node.js 20 reaches the cap well within it; another V8
  // that did not grow it would stop here, after ~50 ms.
  const most = cap / 16;
  for (let i = 0; i < most && size < cap; i++) {
    window.push([i]);
    if ((i & 1023) === 0) {
      size = youngSize();
      if (window.length * 64 > size / 4) window = [];
    }
  }
  if (size >= cap) growth(1);
  return size >= cap;
}

/**
 * Whether the server collects when idle, how many full collections it has run after a pause, and
 * whether and how many times it has collected the young generation after an analysis (for tests).
 * `checked`: resolves once the start-up check of young-generation collections is done.
 */
export function heapManagement(): { active: boolean; collections: number; young: boolean; youngCollections: number; checked: Promise<void> } {
  return { active: collect !== undefined, collections, young: minorWorks, youngCollections: minorCollections, checked: minorChecked };
}
