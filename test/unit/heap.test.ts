/**
 * Memory given back when the user pauses (server/src/node/heap.ts): no collection of ours while
 * analyses keep coming, one after a pause, and it frees what the edits left behind.
 */
import { describe, expect, it } from 'vitest';
import { getHeapSpaceStatistics, getHeapStatistics } from 'node:v8';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildSync } from 'esbuild';
import { afterAnalysis, collectNow, heapManagement, IDLE_MS, YOUNG_CAP } from '../../server/src/node/heap';

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
    await sleep(IDLE_MS + 700);
    expect(heapManagement().collections).toBe(before + 1);
    expect(getHeapStatistics().used_heap_size).toBeLessThan(grown - 10 * 1048576);
  }, IDLE_MS * 5);
});

const MB = 1048576;
const space = (name: string) => getHeapSpaceStatistics().find((s) => s.space_name === name)!;

describe('language server memory: compaction and the young generation', () => {
  it('gives back the old generation\'s pages that hold only a few live objects after the pause collection', () => {
    // Every 20th object of many arrays lives on: a plain collection would leave them spread
    // over pages that are mostly empty (committed memory several times the live size).
    const live: { i: number; s: string }[] = [];
    for (let k = 0; k < 30; k++) {
      const a = Array.from({ length: 100_000 }, (_, i) => ({ i, s: `item ${k}-${i}` }));
      for (let i = 0; i < a.length; i += 20) live.push(a[i]);
      for (let j = 0; j < 5; j++) void Array.from({ length: 50_000 }, (_, i) => ({ i }));
    }
    expect(collectNow()).toBe(true);
    const old = space('old_space');
    expect(live.length).toBe(150_000);
    expect(old.space_size).toBeLessThan(old.space_used_size * 1.5 + 8 * MB);
  });

  it('holds the young generation at YOUNG_CAP where V8 would let it double to its maximum', () => {
    // A process of its own: the test runner's young generation has grown already.
    const dir = mkdtempSync(join(tmpdir(), 'lgpolicy-heap-'));
    const bundle = join(dir, 'heap.cjs');
    buildSync({ entryPoints: [join(__dirname, '../../server/src/node/heap.ts')], bundle: true, platform: 'node', format: 'cjs', outfile: bundle, logLevel: 'error' });
    const script = join(dir, 'young.cjs');
    writeFileSync(script, `
      const heap = require(${JSON.stringify(bundle)});
      const v8 = require('node:v8');
      const watch = process.argv[2] === 'watch' ? heap.youngGenerationWatch() : undefined;
      const kept = [];
      // Many objects survive each young collection (what makes V8 grow the young generation),
      // as while a large document is analysed; the engine calls onTiming after each rule.
      for (let k = 0; k < 300; k++) {
        kept.push(Array.from({ length: 20000 }, (_, i) => ({ i, k })));
        if (kept.length > 30) kept.shift();
        if (watch) watch('rule', 0);
      }
      process.stdout.write(String(v8.getHeapSpaceStatistics().find((s) => s.space_name === 'new_space').space_size));
    `);
    const young = (mode: string) => Number(execFileSync(process.execPath, [script, mode], { encoding: 'utf8' }));
    const unwatched = young('none');
    const watched = young('watch');
    expect(unwatched).toBeGreaterThan(YOUNG_CAP);
    expect(watched).toBeLessThanOrEqual(YOUNG_CAP);
    expect(watched).toBeGreaterThan(YOUNG_CAP / 4);
  }, 30_000);
});
