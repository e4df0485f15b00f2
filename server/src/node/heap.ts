/**
 * Memory given back when the user pauses. Every keystroke in a large document leaves a few
 * megabytes of garbage (the previous text, the previous analysis), and V8 lets a busy process's
 * heap grow to several times what it keeps alive before it collects — with a 1 MB document open the
 * server's resident memory climbed from ~140 MB to ~230–270 MB while typing — and then keeps that
 * memory. When no analysis has run for IDLE_MS, the server runs a full collection itself, which
 * brought it back to ~185 MB.
 *
 * Collecting while the user types as well (whenever the heap had grown by a few megabytes) kept it
 * under ~160 MB but cost 10–20 ms per keystroke at the median: a forced collection is a single
 * pause, where V8's own marks concurrently on another core. Not done.
 *
 * Where the engine does not allow this (no gc function), V8's own policy applies unchanged.
 */
import { setFlagsFromString } from 'node:v8';
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

/** Whether the server collects when idle, and how many collections it has run (for tests). */
export function heapManagement(): { active: boolean; collections: number } {
  return { active: collect !== undefined, collections };
}
