/**
 * The language server's memory budget (server/src/node/heap.ts): while the user types it collects
 * once its old generation has grown past the budget, not before; when the user pauses it collects.
 */
import { describe, expect, it } from 'vitest';
import { afterAnalysis, BUDGET_MB, heapManagement, IDLE_MS, oldGenerationBytes } from '../../server/src/node/heap';

const tick = () => new Promise((resolve) => setImmediate(resolve));

/** Objects that live long enough to reach the old generation, then become garbage. */
function promoteGarbage(mb: number): void {
  let keep: { i: number; s: string }[][] = [];
  const start = oldGenerationBytes();
  while (oldGenerationBytes() - start < mb * 1048576) {
    keep.push(Array.from({ length: 10_000 }, (_, i) => ({ i, s: `item ${i}` })));
    // Young-generation collections promote what survives them.
    for (let k = 0; k < 20; k++) void Array.from({ length: 5_000 }, (_, i) => ({ i }));
  }
  keep = [];
  void keep;
}

describe('language server memory budget', () => {
  it('is active under Node.js', () => {
    expect(heapManagement().active).toBe(true);
  });

  it('collects after an analysis once the heap has grown past the budget, not before', async () => {
    afterAnalysis(); // the baseline
    await tick();
    const before = heapManagement().collections;
    promoteGarbage(BUDGET_MB / 4);
    afterAnalysis();
    await tick();
    expect(heapManagement().collections).toBe(before);

    promoteGarbage(BUDGET_MB * 1.5);
    const grown = oldGenerationBytes();
    afterAnalysis();
    await tick();
    expect(heapManagement().collections).toBe(before + 1);
    await new Promise((resolve) => setTimeout(resolve, 100)); // sweeping
    expect(oldGenerationBytes()).toBeLessThan(grown - BUDGET_MB * 1048576);
  });

  it('collects when the user pauses', async () => {
    const before = heapManagement().collections;
    afterAnalysis();
    await new Promise((resolve) => setTimeout(resolve, IDLE_MS + 300));
    expect(heapManagement().collections).toBeGreaterThan(before);
  }, IDLE_MS + 5000);
});
