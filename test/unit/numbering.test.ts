import { describe, expect, it } from 'vitest';
import { formatMarker, parseMarker } from '../../server/src/engine/model/numbering';

const m = (s: string) => parseMarker(s)?.marker;

describe('numbering markers', () => {
  it('reads guideline-style markers in half and full width', () => {
    expect(m('6. 技術的セキュリティ')).toMatchObject({ style: 'decimal', path: [6] });
    expect(m('6.1 コンピュータ及びネットワークの管理')).toMatchObject({ style: 'decimal', path: [6, 1], value: 1 });
    expect(m('６．１．　管理')).toMatchObject({ style: 'decimal', path: [6, 1], fullWidth: true });
    expect(m('8.2 外部サービス')).toMatchObject({ style: 'decimal', path: [8, 2] });
    expect(m('(1) 規定の整備')).toMatchObject({ style: 'paren-number', value: 1 });
    expect(m('（１２）規定')).toMatchObject({ style: 'paren-number', value: 12, fullWidth: true });
    expect(m('①外部サービス')).toMatchObject({ style: 'circled', value: 1 });
    expect(m('⑳ 二十番目')).toMatchObject({ style: 'circled', value: 20 });
    expect(m('(ア) 目的外利用の禁止')).toMatchObject({ style: 'paren-katakana', value: 1 });
    expect(m('（キ）不十分な場合')).toMatchObject({ style: 'paren-katakana', value: 7 });
    expect(m('ア 職員等は')).toMatchObject({ style: 'katakana', value: 1 });
    expect(m('2―4―1 サーバの管理')).toMatchObject({ style: 'dash', path: [2, 4, 1] });
    expect(m('２－４－２ 管理')).toMatchObject({ style: 'dash', path: [2, 4, 2] });
  });

  it('reads 例規-style markers', () => {
    expect(m('第1章 総則')).toMatchObject({ style: 'chapter', value: 1 });
    expect(m('第２節　管理区域')).toMatchObject({ style: 'section', value: 2 });
    expect(m('第十二条 職員等は')).toMatchObject({ style: 'article', value: 12 });
    expect(m('第3条の2 この規程')).toMatchObject({ style: 'article', path: [3, 2] });
    expect(m('第1条（目的）')).toMatchObject({ style: 'article', value: 1 });
    expect(m('2 前項の規定')).toMatchObject({ style: 'bare-number', value: 2 });
    expect(m('二　前号')).toMatchObject({ style: 'kanji-number', value: 2 });
    expect(m('附則')).toMatchObject({ style: 'supplement' });
  });

  it('does not take ordinary text for a marker', () => {
    for (const s of ['アクセス制御は', '第1条の規定により', '2024年の改定', '1.5倍', 'イベント', '情報資産', '第三者']) {
      expect(m(s), s).toBeUndefined();
    }
  });

  it('formats the next marker in the same style', () => {
    expect(formatMarker(m('③ x')!, 4)).toBe('④');
    expect(formatMarker(m('(ウ) x')!, 4)).toBe('(エ)');
    expect(formatMarker(m('（２） x')!, 3)).toBe('（３）');
    expect(formatMarker(m('6.1 x')!, 2)).toBe('6.2');
    expect(formatMarker(m('第５条 x')!, 6)).toBe('第６条');
  });
});

describe('numbering-sequence after edits of markers (a retained Memo checks again only the groups that reported)', () => {
  /** The engine and the benchmark's generator, loaded by these tests only. */
  const load = async () => ({
    ...(await import('../../server/src/engine/engine')),
    ...(await import('../../server/src/engine/memo')),
    ...(await import('../../server/src/engine/rules/numbering-sequence')),
    ...(await import('../../server/src/engine/numbering-facts')),
    ...(await import('./helpers')),
    // @ts-expect-error plain ES module without types (the benchmark's generator)
    ...((await import('../../bench/generate.mjs')) as { generateBig: (bytes: number, layout: string, seed: number) => string }),
  });
  it('equals a fresh analysis when markers are renumbered, broken or split', async () => {
    const { analyze, Memo, rng, generateBig } = await load();
    const ours = (a: ReturnType<typeof analyze>) => a.findings.filter((f) => f.ruleId === 'numbering-sequence');
    for (const [k, layout] of (['guideline', 'reiki'] as const).entries()) {
      let text: string = generateBig(12_000, layout, 30 + k);
      const rand = rng(40 + k);
      const memo = new Memo(true);
      analyze(text, { memo });
      for (let round = 0; round < 40; round++) {
        // An edit in or just after a marker: digits, kana and line breaks change the numbering.
        const markers = [...text.matchAll(/^(?:#+ )?(?:[（(][^）)\n]{1,3}[）)]|第[^条章\n]{1,4}[条章]|[0-9０-９.．]+|[①-⑳]|[ア-ン])/gm)];
        const m = markers[Math.floor(rand() * markers.length)];
        const at = m.index! + Math.floor(rand() * (m[0].length + 1));
        const r = rand();
        text = r < 0.5 ? text.slice(0, at) + ['1', '２', 'イ', '\n', '附則'][Math.floor(rand() * 5)] + text.slice(at) : text.slice(0, at) + text.slice(at + 1);
        expect(ours(analyze(text, { memo })), `${layout}, round ${round}`).toEqual(ours(analyze(text)));
      }
    }
  }, 600_000);

  it('walks again only the section an edit changed the numbering of; 条 and 章 are checked across the document', async () => {
    const { analyze, Memo, numberingStats, generateBig } = await load();
    const ours = (a: ReturnType<typeof analyze>) => a.findings.filter((f) => f.ruleId === 'numbering-sequence');
    for (const [layout, seed] of [['guideline', 50], ['reiki', 51]] as const) {
      const big: string = generateBig(60_000, layout, seed);
      const memo = new Memo(true);
      analyze(big, { memo });
      const middle = Math.floor(big.length / 2);
      // An item (2) followed by (3) in the same list.
      const item = [...big.matchAll(/^[(（]([2２])[)）]/gm)].map((x) => x.index!).find((i) => {
        if (i < middle) return false;
        const next = big.slice(i, i + 600).search(/\n[(（][3３][)）]/);
        return next > 0 && !big.slice(i, i + next).includes('\n#') && !big.slice(i, i + next).includes('\n第');
      })!;
      const step = (text: string, what: string) => {
        const before = numberingStats.walked;
        const found = ours(analyze(text, { memo }));
        expect(found, `${layout}: ${what}`).toEqual(ours(analyze(text)));
        return { walked: numberingStats.walked - before, found };
      };
      // A numbered item made plain text (its number is gone from its list: a gap), then back.
      const broken = step(big.slice(0, item) + 'あ' + big.slice(item), 'a marker made text');
      expect(broken.walked, layout).toBeLessThanOrEqual(2);
      expect(broken.found.length, layout).toBeGreaterThan(ours(analyze(big)).length);
      expect(step(big, 'the marker back').walked, layout).toBeLessThanOrEqual(2);
      // A plain edit elsewhere, then another marker edit: the sections walked before are still known.
      const far = big.indexOf('。', 100);
      const typed = big.slice(0, far) + 'あ' + big.slice(far);
      step(typed, 'a plain edit');
      const again = typed.slice(0, item + 1) + 'あ' + typed.slice(item + 1);
      expect(step(again, 'the marker made text again').walked, layout).toBeLessThanOrEqual(2);
      // A number that runs through the document (条 in 例規, a section's number in the guideline layout) changed.
      const number = layout === 'reiki' ? /^第([0-9]+)条/m : /^## ([0-9]+)\./m;
      const m = again.slice(middle).match(number)!;
      const at = middle + m.index! + m[0].indexOf(m[1]);
      const renumbered = step(again.slice(0, at) + '9' + again.slice(at), 'a number of the whole document');
      expect(renumbered.walked, layout).toBeLessThanOrEqual(2);
      expect(renumbered.found.some((f) => f.span.start === at || (f.span.start <= at && at < f.span.end)), layout).toBe(true);
    }
  }, 600_000);

  it('reports again what a group of 条 or items reported while typing elsewhere keeps its nodes, and checks it again when a marker changes', async () => {
    const { analyze, Memo, numberingStats, generateBig } = await load();
    const ours = (a: ReturnType<typeof analyze>) => a.findings.filter((f) => f.ruleId === 'numbering-sequence');
    for (const [layout, seed] of [['guideline', 53], ['reiki', 54]] as const) {
      // A gap planted in the 条 (例規) or the sections (guideline layout): the group that runs through the document reports.
      const big: string = generateBig(60_000, layout, seed);
      const number = layout === 'reiki' ? /^第([0-9]+)条/gm : /^## ([0-9]+)\./gm;
      const marks = [...big.matchAll(number)];
      const m = marks[Math.floor(marks.length / 2)];
      const at = m.index! + m[0].indexOf(m[1]);
      const gapped = big.slice(0, at) + '9' + big.slice(at);
      const memo = new Memo(true);
      const first = ours(analyze(gapped, { memo }));
      expect(first.length, layout).toBeGreaterThan(ours(analyze(big)).length);
      let text = gapped;
      const step = (next: string, what: string) => {
        text = next;
        const reused = numberingStats.reused;
        const found = ours(analyze(text, { memo }));
        expect(found, `${layout}: ${what}`).toEqual(ours(analyze(text)));
        return numberingStats.reused - reused;
      };
      // Letters typed in sentences before and after the gap: the reports move with the text, from the group's last check.
      const before = text.indexOf('。', 200);
      step(text.slice(0, before) + 'あ' + text.slice(before), 'typed before the gap');
      expect(step(text.slice(0, before) + 'い' + text.slice(before), 'typed again before the gap'), layout).toBeGreaterThan(0);
      const after = text.indexOf('。', at + 200);
      expect(step(text.slice(0, after) + 'う' + text.slice(after), 'typed after the gap'), layout).toBeGreaterThan(0);
      // The front matter fence broken and mended (a heading appears above the title and goes: the
      // nodes after it are the same, at other indexes).
      expect(step(text.slice(0, 2) + 'a' + text.slice(2), 'the fence broken'), layout).toBeGreaterThan(0);
      expect(step(text.slice(0, 2) + text.slice(3), 'the fence mended'), layout).toBeGreaterThan(0);
      // The gap's marker edited back: the numbering changed, the group is checked again and reports less.
      const gap = text.indexOf('9' + m[1], at - 10);
      expect(gap, layout).toBeGreaterThan(0);
      expect(step(text.slice(0, gap) + text.slice(gap + 1), 'the gap mended'), layout).toBe(0);
      expect(ours(analyze(text)).length, layout).toBe(ours(analyze(big)).length);
    }
  }, 600_000);

  it('compares the numbering of the nodes an edit built again only, when the outline was built again in part (a 例規 chapter)', async () => {
    const { analyze, Memo, factStats, generateBig } = await load();
    const ours = (a: ReturnType<typeof analyze>) => a.findings.filter((f) => f.ruleId === 'numbering-sequence');
    const big: string = generateBig(60_000, 'reiki', 52);
    const memo = new Memo(true);
    const nodes = analyze(big, { memo }).doc.nodes.length;
    // A 条 in the middle made plain text (the chapter is built again, the rest of the outline kept), then back.
    const article = [...big.matchAll(/^第[0-9]+条/gm)].map((x) => x.index!).find((i) => i > big.length / 2)!;
    for (const text of [big.slice(0, article) + 'あ' + big.slice(article), big]) {
      const before = factStats.compared;
      const found = ours(analyze(text, { memo }));
      expect(found).toEqual(ours(analyze(text)));
      expect(factStats.compared - before).toBeLessThan(nodes / 10);
    }
    expect(ours(analyze(big.slice(0, article) + 'あ' + big.slice(article))).length).toBeGreaterThan(ours(analyze(big)).length);
  }, 600_000);

  it('checks the sections again when the document comes to be or stops being an excerpt (their numbers are then the original ones)', async () => {
    const { analyze, Memo } = await load();
    const ours = (a: ReturnType<typeof analyze>) => a.findings.filter((f) => f.ruleId === 'numbering-sequence').map((f) => [f.span.start, f.message]);
    const body = ['# 東西市情報セキュリティ対策基準', '', '## 1. 組織体制', '', '### 1.1 最高情報セキュリティ責任者', '', '本市に最高情報セキュリティ責任者を置く。', '', '### 1.3 情報セキュリティ委員会', '', '本市に情報セキュリティ委員会を置く。', '', '## 2. 情報資産の分類', '', '(1) 分類', '', '情報資産を分類する。', ''].join('\n');
    const plain = `---\nlgpolicy: true\n---\n\n${body}`;
    const excerpt = `---\nlgpolicy: true\nexcerpt: true\n---\n\n${body}`;
    const memo = new Memo(true);
    const first = ours(analyze(plain, { memo }));
    expect(first.length).toBeGreaterThan(0);
    expect(ours(analyze(excerpt, { memo }))).toEqual(ours(analyze(excerpt)));
    expect(ours(analyze(plain, { memo }))).toEqual(first);
  });
});
