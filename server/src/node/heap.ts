/**
 * The language server's memory budget. Every keystroke in a large document leaves a few megabytes
 * of garbage (the previous text, the previous analysis), and V8, left alone, lets a busy process's
 * heap grow to several times what it keeps alive before it collects: with a 1 MB document open the
 * server's resident memory climbed from ~130 MB to ~270 MB while typing. Here the server collects
 * itself:
 * - while typing, when its heap has grown by more than BUDGET_MB since the last collection — a
 *   full collection of what one document keeps alive takes a few milliseconds, once every several
 *   edits;
 * - when the user pauses (IDLE_MS without an analysis), a collection that also returns free pages
 *   to the operating system.
 * The collections run after the diagnostics are sent. Where the engine does not allow this (no gc
 * function), V8's own policy applies unchanged.
 */
import { getHeapSpaceStatistics, setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/** V8's gc(): called without arguments it is a full, synchronous collection (in Node.js 20, an options argument makes it a young-generation one). */
type Collect = () => void;

/** Growth of the heap (MB) since the last collection that makes the server collect while typing. */
export const BUDGET_MB = 8;
/** A pause (ms) after which the server collects and gives free memory back. */
export const IDLE_MS = 2000;

let collect: Collect | undefined;
try {
  setFlagsFromString('--expose-gc');
  collect = runInNewContext('gc') as Collect;
  if (typeof collect !== 'function') collect = undefined;
} catch {
  collect = undefined;
}

let baseline = 0;
let collections = 0;
let idle: NodeJS.Timeout | undefined;
let pending = false;

/** Bytes in the old generation (young objects are collected anyway, cheaply). */
export function oldGenerationBytes(): number {
  let n = 0;
  for (const s of getHeapSpaceStatistics()) if (s.space_name !== 'new_space' && s.space_name !== 'new_large_object_space') n += s.space_used_size;
  return n;
}

function run(why: string) {
  if (!collect) return;
  collect();
  collections++;
  // Measured at the next analysis: sweeping finishes on other threads after the collection.
  baseline = 0;
}

/** Called after each analysis has been published. */
export function afterAnalysis(): void {
  if (!collect) return;
  if (baseline === 0) baseline = oldGenerationBytes();
  if (!pending && oldGenerationBytes() - baseline > BUDGET_MB * 1048576) {
    pending = true;
    // After the diagnostics have been written out.
    setImmediate(() => { pending = false; run('budget'); });
  }
  if (idle) clearTimeout(idle);
  idle = setTimeout(() => { idle = undefined; run('idle'); }, IDLE_MS);
  idle.unref();
}

/** Whether the server manages its heap itself, and how many collections it has run (for tests). */
export function heapManagement(): { active: boolean; collections: number } {
  return { active: collect !== undefined, collections };
}
