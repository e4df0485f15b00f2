/**
 * Caches of facts about one analysis (server/src/engine/analysis-cache.ts): what an analysis
 * stored is found during it and during the next one, then dropped, so that a long session does
 * not hold the facts (and the text) of documents typed over long ago.
 */
import { describe, expect, it } from 'vitest';
import { AnalysisCache, nextAnalysis } from '../../server/src/engine/analysis-cache';
import { analyze } from '../../server/src/engine/engine';
import { Memo } from '../../server/src/engine/memo';

describe('AnalysisCache', () => {
  it('keeps a value for the analysis that stored it and the next one, then forgets it', () => {
    const cache = new AnalysisCache<object, string>();
    const a = {}, b = {};
    nextAnalysis();
    cache.set(a, 'a');
    expect(cache.get(a)).toBe('a');
    nextAnalysis();
    cache.set(b, 'b');
    expect(cache.has(a)).toBe(true);
    nextAnalysis();
    // a was asked for during the previous analysis: it moved along; b was not.
    expect(cache.get(a)).toBe('a');
    expect(cache.get(b)).toBe('b');
    nextAnalysis();
    nextAnalysis();
    expect(cache.get(a)).toBeUndefined();
    expect(cache.has(b)).toBe(false);
  });

  it('keeps undefined values apart from missing ones', () => {
    const cache = new AnalysisCache<object, string | undefined>();
    const k = {};
    nextAnalysis();
    cache.set(k, undefined);
    expect(cache.has(k)).toBe(true);
    nextAnalysis();
    expect(cache.has(k)).toBe(true);
    expect(cache.get(k)).toBeUndefined();
  });

  it('gives the same findings to an analysis of a document whose caches were dropped', () => {
    const text = '---\nlgpolicy: true\n---\n# 情報セキュリティ対策基準\n\n## 第1条 目的\n\nこの基準は、ＥＤＲの導入について定める。\n\n別表第1に定める。\n';
    const memo = new Memo(true);
    const first = analyze(text, { memo }).findings;
    for (let i = 0; i < 3; i++) nextAnalysis();
    const again = analyze(text, { memo }).findings;
    expect(again).toEqual(first);
    expect(first.length).toBeGreaterThan(0);
  });
});
