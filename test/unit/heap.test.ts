/**
 * Memory given back when the user pauses (server/src/node/heap.ts): no collection of ours while
 * analyses keep coming, one after a pause, and it frees what the edits left behind.
 */
import { describe, expect, it } from 'vitest';
import { getHeapStatistics } from 'node:v8';
import { afterAnalysis, heapManagement, IDLE_MS } from '../../server/src/node/heap';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Objects that live long enough to reach the old generation, then become garbage. */
function leaveGarbage(): void {
  let keep: { i: number; s: string }[][] = [];
  for (let k = 0; k < 40; k++) {
    keep.push(Array.from({ length: 10_000 }, (_, i) => ({ i, s: `item ${i}` })));
    // Young-generation collections promote what survives them.
    for (let j = 0; j < 10; j++) void Array.from({ length: 5_000 }, (_, i) => ({ i }));
  }
  keep = [];
  void keep;
}

describe('language server memory after a pause', () => {
  it('is active under Node.js', () => {
    expect(heapManagement().active).toBe(true);
  });

  it('collects once the analyses stop for a while, not while they keep coming', async () => {
    const before = heapManagement().collections;
    for (let k = 0; k < 6; k++) {
      afterAnalysis();
      await sleep(IDLE_MS / 3);
    }
    expect(heapManagement().collections).toBe(before);
    leaveGarbage();
    const grown = getHeapStatistics().used_heap_size;
    afterAnalysis();
    await sleep(IDLE_MS + 400);
    expect(heapManagement().collections).toBe(before + 1);
    expect(getHeapStatistics().used_heap_size).toBeLessThan(grown - 10 * 1048576);
  }, IDLE_MS * 5);
});
