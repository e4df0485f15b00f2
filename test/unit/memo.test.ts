import { describe, expect, it } from 'vitest';
import { Memo, memoizedAt, memoizedRuns, withMemo, type RunKey } from '../../server/src/engine/memo';
import { layoutOf } from '../../server/src/engine/rules/structure/support';

/** Deterministic pseudo-random numbers in [0, 1). */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}

/** Text with long runs of one character and repeated pieces: common prefixes and suffixes are ambiguous. */
function start(rand: () => number): string {
  const pieces = ['aaaa', 'ab', '。', '\n', '\n\n', 'あいう', 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa'];
  let t = '';
  while (t.length < 3_000) t += pieces[Math.floor(rand() * pieces.length)];
  return t;
}

function edit(text: string, rand: () => number): string {
  const at = Math.floor(rand() * (text.length + 1));
  const r = rand();
  if (r < 0.4) return text.slice(0, at) + ['a', 'aa', 'b', '\n', 'あ'][Math.floor(rand() * 5)] + text.slice(at);
  if (r < 0.8) return text.slice(0, at) + text.slice(at + 1 + Math.floor(rand() * 3));
  return text.slice(0, at) + 'x' + text.slice(at + 1);
}

/** 80 rounds of random edits of repetitive text, each analysed with one retained Memo. */
function replayEdits(seed: number, check: (text: string, round: number, rand: () => number) => void): void {
  const rand = rng(seed);
  const memo = new Memo(true);
  let text = start(rand);
  for (let round = 0; round < 80; round++) {
    text = edit(text, rand);
    const now = text;
    withMemo(memo, () => {
      memo.begin(now);
      check(now, round, rand);
    });
    memo.commit();
  }
}

describe('Memo.getAt (cache by position outside the edit)', () => {
  it('always returns the value of the range as it is now, over random edits of repetitive text', () => {
    replayEdits(7, (text, round, rand) => {
      // Ranges on a grid (the same ranges recur across edits) and random ones.
      const ranges: [number, number][] = [];
      // Every offset: a position mistaken by a few characters would find a neighbour's entry.
      for (let s = 0; s + 8 <= text.length; s++) ranges.push([s, s + 8]);
      for (let i = 0; i < 40; i++) { const s = Math.floor(rand() * text.length); ranges.push([s, Math.min(text.length, s + Math.floor(rand() * 300))]); }
      ranges.push([0, text.length], [text.length - 5, text.length], [0, 5]);
      for (const [s, e] of ranges) {
        const extra = s % 3 === 0 ? 'x' : '';
        const got = memoizedAt('range', text, s, e, extra, () => text.slice(s, e) + '|' + extra);
        expect(got, `round ${round}, range ${s}-${e}`).toBe(text.slice(s, e) + '|' + extra);
      }
    });
  });

  it('finds ranges before and after an edit by position, without hashing their text', () => {
    const memo = new Memo(true);
    const text1 = 'HEAD-PART' + 'x'.repeat(1000) + 'TAIL-PART';
    const text2 = 'HEAD-PART' + 'x'.repeat(500) + 'yy' + 'x'.repeat(500) + 'TAIL-PART';
    const get = (text: string, s: number, e: number) => withMemo(memo, () => memoizedAt('t', text, s, e, '', () => text.slice(s, e)));
    memo.begin(text1);
    get(text1, 0, 9);
    get(text1, 1009, 1018);
    memo.commit();
    expect(memo.stats).toEqual({ position: 0, content: 0, computed: 2 });
    memo.begin(text2);
    expect(get(text2, 0, 9)).toBe('HEAD-PART');
    expect(get(text2, 1011, 1020)).toBe('TAIL-PART');
    memo.commit();
    expect(memo.stats).toEqual({ position: 2, content: 0, computed: 2 });
  });
});

describe('Memo.latest (a whole-text value updated from the previous analysis)', () => {
  it('passes the previous value and the edited range, once per analysis', async () => {
    const { latest } = await import('../../server/src/engine/memo');
    const memo = new Memo(true);
    const seen: ({ value: string; prefix: number; suffixStart: number; delta: number } | undefined)[] = [];
    const run = (text: string) => withMemo(memo, () => {
      memo.begin(text);
      const a = latest<string>('v', text, (old) => { seen.push(old); return text.toUpperCase(); });
      const b = latest<string>('v', text, () => 'again');
      memo.commit();
      return [a, b];
    });
    expect(run('abcdef')).toEqual(['ABCDEF', 'ABCDEF']);
    expect(run('abXYcdef')).toEqual(['ABXYCDEF', 'ABXYCDEF']);
    expect(seen).toEqual([undefined, { value: 'ABCDEF', prefix: 2, suffixStart: 4, delta: 2 }]);
    // A one-shot Memo, or a text other than the analysed one, starts over.
    const once = new Memo(false);
    withMemo(once, () => { once.begin('x'); expect(latest('v', 'x', (old) => String(old))).toBe('undefined'); once.commit(); });
    withMemo(memo, () => { memo.begin('q'); expect(latest('v', 'other', (old) => String(old))).toBe('undefined'); memo.commit(); });
  });
});

describe('Memo.getRuns (lists of runs cached by position outside the edit)', () => {
  it('always returns the values of the runs as they are now, over random edits of repetitive text', () => {
    replayEdits(11, (text, round) => {
      // Runs cut where the text says so (after a character that is 'b'), or every 7 characters
      // in odd rounds, with gaps: the same runs recur across edits, at shifted offsets.
      const keys: RunKey[] = [];
      let from = 0;
      for (let i = 0; i < text.length; i++) {
        if (text[i] !== 'b' && !(round % 2 && i - from === 6)) continue;
        keys.push({ from, to: i + 1, extra: String((i - from) % 3) });
        from = i + 2;
      }
      const got = memoizedRuns('runs', text, keys, (i) => text.slice(keys[i].from, keys[i].to) + '|' + keys[i].extra);
      expect(got, `round ${round}`).toEqual(keys.map((k) => text.slice(k.from, k.to) + '|' + k.extra));
      // Asked again in the same analysis: the same values.
      expect(memoizedRuns('runs', text, keys, () => 'recomputed')).toBe(got);
    });
  });

  it('finds runs before and after an edit by position, and runs that overlap it by content', () => {
    const memo = new Memo(true);
    const text1 = 'HEAD-PART' + 'x'.repeat(100) + 'TAIL-PART';
    const text2 = 'HEAD-PART' + 'x'.repeat(50) + 'yy' + 'x'.repeat(50) + 'TAIL-PART';
    const keys1: RunKey[] = [{ from: 0, to: 9, extra: '' }, { from: 9, to: 109, extra: '' }, { from: 109, to: 118, extra: '' }];
    const keys2: RunKey[] = [{ from: 0, to: 9, extra: '' }, { from: 9, to: 111, extra: '' }, { from: 111, to: 120, extra: '' }];
    const get = (text: string, keys: RunKey[]) => withMemo(memo, () => memoizedRuns('t', text, keys, (i) => text.slice(keys[i].from, keys[i].to)));
    memo.begin(text1);
    get(text1, keys1);
    memo.commit();
    expect(memo.stats).toEqual({ position: 0, content: 0, computed: 3 });
    memo.begin(text2);
    expect(get(text2, keys2)).toEqual(['HEAD-PART', 'x'.repeat(50) + 'yy' + 'x'.repeat(50), 'TAIL-PART']);
    memo.commit();
    expect(memo.stats).toEqual({ position: 2, content: 0, computed: 4 });
    // Undo: the middle run is found by its content, the others by position.
    memo.begin(text1);
    expect(get(text1, keys1)).toEqual(['HEAD-PART', 'x'.repeat(100), 'TAIL-PART']);
    memo.commit();
    expect(memo.stats.position).toBe(4);
  });
});

describe('run layouts (cache keys of clause and node runs)', () => {
  it('are the units of the values as String.fromCharCode makes them, whatever the values', () => {
    const units = (values: number[]) => values.flatMap((v) => (v >= 0 && v < 0x8000 ? [v & 0xffff] : v < 0 ? [v & 0xffff] : [0x8000 | (v >>> 15), v & 0x7fff]).map((u) => u & 0xffff));
    const rand = rng(3);
    const cases = [[], [0], [0x7fff, 0x8000, 0xffff, 0x10000], [-1, -2, 5], [0x6c000000, 1], [0x7eff << 15, 3]];
    for (let i = 0; i < 200; i++) cases.push(Array.from({ length: Math.floor(rand() * 3000) }, () => Math.floor(rand() * (rand() < 0.9 ? 0x8000 : 0x40000000))));
    for (const values of cases) {
      const expected = units(values);
      const got = layoutOf(values);
      expect(got.length).toBe(expected.length);
      expect([...Array(got.length).keys()].every((k) => got.charCodeAt(k) === expected[k])).toBe(true);
    }
  });
});
