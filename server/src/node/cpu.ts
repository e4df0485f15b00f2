/**
 * The language server's main thread first when the processor is busy.
 *
 * Besides the main thread, where every analysis runs, a Node.js process has a few helper threads
 * of V8's: they compile hot functions with the optimising compiler (TurboFan) and mark the heap
 * for full collections. While the user types in a large document they are busy most of the time:
 * measured in-process on the bench's 200 edits (1 MB guideline layout, 2 cores), they used
 * ~16 ms of processor time per keystroke against ~10 ms on the main thread — mostly TurboFan
 * compiling and, after a deoptimisation, compiling again the model's large functions (~5–7 s of
 * compilation over the 200 edits). With two cores, two busy helpers leave the main thread waiting
 * to be scheduled: ~4.5 ms per keystroke on average, 10–36 ms in the slowest ones
 * (/proc/thread-self/schedstat).
 *
 * Two things, done once at start-up:
 * - On Linux, the helper threads that exist at start-up (V8's workers; libuv's are made later,
 *   from the main thread, and keep its priority) run at the lowest priority (nice 19): they still
 *   have every core the main thread leaves idle, but no longer take one from it. Threads of one
 *   process are scheduled each on its own on Linux, so setpriority() on a thread's id changes
 *   that thread alone; raising one's own nice value needs no privilege. Waiting to be scheduled
 *   fell from ~4.5 to ~0.7 ms per keystroke. Not on other systems (no per-thread priority there
 *   through Node.js); nothing changes there.
 * - TurboFan does not inline calls (`--no-turbo-inlining`): the optimised code of the model's large
 *   functions is compiled in a fraction of the time (less helper work after each deoptimisation),
 *   and a deoptimised callee no longer throws away its callers' code. The main thread's time per
 *   keystroke did not grow (~10 ms at the median either way).
 * Measured together in-process on the bench's typing: edits over 20 ms after the first 30,
 * 34–42 → 13–19 of 170; 95th percentile over the 200, 46–51 → 31–32 ms.
 *
 * The CLI does not do this: a one-shot check gains from inlining, and nothing else competes.
 */
import { readdirSync } from 'node:fs';
import { setPriority } from 'node:os';
import { setFlagsFromString } from 'node:v8';

/** The helper threads' nice value (the lowest priority). */
export const HELPER_NICE = 19;

export interface MainThreadFirst {
  /** Helper threads whose priority was lowered. */
  lowered: number;
  /** Whether TurboFan's inlining was turned off. */
  noInlining: boolean;
}

let state: MainThreadFirst = { lowered: 0, noInlining: false };

/** Call once, before the first document is analysed. Never throws. */
export function favourMainThread(): MainThreadFirst {
  let noInlining = false;
  try {
    setFlagsFromString('--no-turbo-inlining');
    noInlining = true;
  } catch {
    // An engine without the flag: compiled as before.
  }
  state = { lowered: process.platform === 'linux' ? lowerHelpers() : 0, noInlining };
  return state;
}

/** What favourMainThread() did (tests). */
export function mainThreadFirst(): MainThreadFirst {
  return state;
}

function lowerHelpers(): number {
  let tasks: string[];
  try {
    tasks = readdirSync('/proc/self/task');
  } catch {
    return 0;
  }
  let lowered = 0;
  for (const task of tasks) {
    const tid = Number(task);
    // The main thread's id is the process id.
    if (!Number.isInteger(tid) || tid === process.pid) continue;
    try {
      setPriority(tid, HELPER_NICE);
      lowered++;
    } catch {
      // Gone already, or not allowed: left as it is.
    }
  }
  return lowered;
}
