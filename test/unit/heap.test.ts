/**
 * Memory given back when the user pauses (server/src/node/heap.ts): no collection of ours while
 * analyses keep coming, one after a pause, and it frees what the edits left behind.
 */
import { describe, expect, it } from 'vitest';
import { getHeapStatistics } from 'node:v8';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildSync } from 'esbuild';
import { afterAnalysis, HEAP_GROWING_PERCENT, heapManagement, IDLE_MS, YOUNG_CAP } from '../../server/src/node/heap';

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

/** heap.ts bundled on its own, for the tests that need a fresh process. */
function heapBundle(): { dir: string; bundle: string } {
  const dir = mkdtempSync(join(tmpdir(), 'lgpolicy-heap-'));
  const bundle = join(dir, 'heap.cjs');
  buildSync({ entryPoints: [join(__dirname, '../../server/src/node/heap.ts')], bundle: true, platform: 'node', format: 'cjs', outfile: bundle, logLevel: 'error' });
  return { dir, bundle };
}

describe('language server memory: the old and the young generation', () => {
  it('holds the heap\'s growth while typing near what it keeps alive, where V8 alone lets it reach several times that', () => {
    // A process of its own, as the server: ~27 MB that stays, and per "keystroke" objects kept
    // for a few keystrokes (so that they reach the old generation) and then dropped.
    const { dir, bundle } = heapBundle();
    const script = join(dir, 'growth.cjs');
    writeFileSync(script, `
      if (process.argv[2] === 'server') require(${JSON.stringify(bundle)});
      const v8 = require('node:v8');
      const live = [];
      for (let k = 0; k < 10; k++) live.push(Array.from({ length: 25000 }, (_, i) => ({ i, k, s: 'x' + i })));
      let peak = 0;
      const recent = [];
      for (let n = 0; n < 400; n++) {
        recent.push(Array.from({ length: 30000 }, (_, i) => ({ i, n })));
        if (recent.length > 4) recent.shift();
        peak = Math.max(peak, v8.getHeapStatistics().used_heap_size);
      }
      require('node:vm').runInNewContext('gc')();
      process.stdout.write(JSON.stringify({ peak, kept: v8.getHeapStatistics().used_heap_size, live: live.length }));
    `);
    const run = (mode: string) => JSON.parse(execFileSync(process.execPath, ['--expose-gc', script, mode], { encoding: 'utf8' })) as { peak: number; kept: number };
    const plain = run('plain');
    const server = run('server');
    // Old generation: at most HEAP_GROWING_PERCENT over what stays; young generation: at most 32 MB.
    expect(server.peak).toBeLessThan(server.kept * (1 + HEAP_GROWING_PERCENT / 100) + 48 * MB);
    expect(server.peak).toBeLessThan(plain.peak * 0.7);
  }, 60_000);

  it('holds the young generation at YOUNG_CAP where V8 would let it double to its maximum', () => {
    // A process of its own: the test runner's young generation has grown already.
    const { dir, bundle } = heapBundle();
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
