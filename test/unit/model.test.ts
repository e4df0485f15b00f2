import { describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { buildDocument } from '../../server/src/engine/model/document';
import { simpleFrontMatter } from '../../server/src/engine/model/metadata';
import type { OutlineNode } from '../../server/src/engine/model/types';
import { LineIndex } from '../../server/src/engine/text';
import { rng } from './helpers';

const tree = (n: OutlineNode): unknown => (n.children.length ? { [n.marker?.text ?? n.title]: n.children.map(tree) } : n.marker?.text ?? n.title);

describe('outline', () => {
  it('nests guideline layout written as headings and paragraphs', () => {
    const doc = buildDocument([
      '# 情報セキュリティ対策基準', '', '## 8. 業務委託と外部サービスの利用', '', '### 8.2 外部サービスの利用', '',
      '(1) 外部サービスの利用に係る規定の整備', '', '① 利用判断基準', '', '(ア) 細目', '', '② 選定基準', '', '(2) 外部サービスの選定', '',
    ].join('\n'));
    const h = doc.nodes.find((n) => n.marker?.text === '8.2')!;
    expect(tree(h)).toEqual({ '8.2': [{ '(1)': [{ '①': ['(ア)'] }, '②'] }, '(2)'] });
  });

  it('nests 例規 layout with captions, paragraphs and items in one paragraph block', () => {
    const doc = buildDocument([
      '第1章 総則', '', '（目的）', '第1条 この規程は、情報資産を守るために必要な事項を定める。', '2 前項の規定は、職員等に適用する。', '(1) 第一の号', 'ア 細目', 'イ 細目', '(2) 第二の号', '', '第2章 組織体制', '', '（CISO）', '第2条 本市に最高情報セキュリティ責任者を置く。',
    ].join('\n'));
    expect(doc.root.children.map(tree)).toEqual([{ '第1章': [{ '第1条': [{ '2': [{ '(1)': ['ア', 'イ'] }, '(2)'] }] }] }, { '第2章': ['第2条'] }]);
    const art1 = doc.nodes.find((n) => n.marker?.text === '第1条')!;
    expect(art1.caption).toBe('目的');
    expect(art1.children[0].marker?.style).toBe('paragraph');
  });

  it('reads numbering written as list items, including ordered-list bullets', () => {
    const doc = buildDocument(['# 手順', '', '- (1) 一つ目', '  - ① 細目', '- (2) 二つ目', '', '1. 最初', '2. 次'].join('\n'));
    const labels = doc.nodes.map((n) => n.marker?.text).filter(Boolean);
    expect(labels).toEqual(['(1)', '①', '(2)', '1.', '2.']);
    expect(doc.nodes.find((n) => n.marker?.text === '①')!.parent!.marker?.text).toBe('(1)');
  });

  it('reads イロハ lists as iroha order and アイウ lists as aiueo order', () => {
    const doc = buildDocument(['第1条 次に掲げる。', '(1) 号', 'イ 一', 'ロ 二', 'ハ 三', '(2) 号', 'ア 一', 'イ 二'].join('\n'));
    const iroha = doc.nodes.filter((n) => n.marker?.style === 'iroha').map((n) => n.marker!.value);
    const aiueo = doc.nodes.filter((n) => n.marker?.style === 'katakana').map((n) => n.marker!.value);
    expect(iroha).toEqual([1, 2, 3]);
    expect(aiueo).toEqual([1, 2]);
  });
});

describe('nodeIndex', () => {
  it('finds a node in the document\'s list and in a shorter list of its nodes (a section\'s view), and nothing for a node not there', async () => {
    const { nodeIndex } = await import('../../server/src/engine/model/search');
    const doc = buildDocument(['# 規程', '', '第1条 一', '', '(1) 甲', '(2) 乙', '', '第2条 二', '', '(1) 丙'].join('\n'));
    const nodes = doc.nodes;
    expect(nodes.length).toBeGreaterThan(5);
    nodes.forEach((n, i) => expect(nodeIndex(nodes, n)).toBe(i));
    // A view lists some of them (their ids no longer match their places).
    const view = nodes.slice(3);
    view.forEach((n, i) => expect(nodeIndex(view, n)).toBe(i));
    expect(nodeIndex(view, nodes[1])).toBe(-1);
    expect(nodeIndex(nodes, doc.root)).toBe(-1);
    // Another document's node at the same place is not this one.
    const other = buildDocument(['# 規程', '', '第1条 一'].join('\n'));
    expect(nodeIndex(nodes, other.nodes[1])).toBe(-1);
  });
});

describe('clauses', () => {
  it('finds subject and obligation level', () => {
    const doc = buildDocument(['# 規程', '', '(1) 統括情報セキュリティ責任者は、手順を定めなければならない。職員等は、私物を使用してはならない。', '(2) 【推奨事項】職員等は、研修を受けることが望ましい。', '(3) 職員等は、知識の向上に努めなければならない。', '(4) 管理者は、記録を保存するものとする。'].join('\n'), { findRole: (t) => (t.includes('統括') ? 'general-manager' : undefined) });
    const c = doc.clauses.map((x) => [x.subject?.text, x.obligation, x.recommendedMarker]);
    expect(c).toEqual([
      ['統括情報セキュリティ責任者', 'must', false],
      ['職員等', 'must-not', false],
      ['職員等', 'recommended', true],
      ['職員等', 'effort', false],
      ['管理者', 'shall', false],
    ]);
    expect(doc.clauses[0].subject?.roleId).toBe('general-manager');
  });
});

describe('definitions', () => {
  it('reads a definition table, 定義 article items and inline forms', () => {
    const doc = buildDocument([
      '# 対策基準', '', '## 用語の定義', '', '| 用語 | 定義 |', '| --- | --- |', '| SLA | サービスの品質について事業者と合意した水準 |', '| 「セキュアブラウザ」 | 端末にデータを残さないブラウザ |', '',
      '## 組織', '', '（定義）', '第2条 この規程において、次の各号に掲げる用語の意義は、当該各号に定めるところによる。', '(1) 情報資産　ネットワーク及び情報システム並びにこれらで扱う情報をいう。', '(2) EDR：端末の不審な挙動を検知する仕組みをいう。',
      '', '第3条 最高情報セキュリティ責任者（以下「CISO」という。）を置く。「外部サービス」とは、事業者が提供する情報処理サービスをいう。',
    ].join('\n'));
    expect(doc.definitions.map((d) => [d.term, d.kind])).toEqual([
      ['SLA', 'table'], ['セキュアブラウザ', 'table'], ['情報資産', 'item'], ['EDR', 'item'], ['CISO', 'inline'], ['外部サービス', 'quoted'],
    ]);
    const cisoDef = doc.definitions.find((d) => d.term === 'CISO')!;
    expect(doc.text.slice(cisoDef.span.start, cisoDef.span.end)).toBe('CISO');
  });
});

describe('cross-references', () => {
  const doc = buildDocument([
    '# 規程', '', '（目的）', '第1条 目的を定める。', '', '（適用）', '第2条 前条の目的のため、第3条第2項及び別表第1に従う。', '2 前項の規定は全員に適用する。', '',
    '（手続）', '第3条 個人情報の保護に関する法律（平成15年法律第57号）第2条に定める情報を扱う。', '2 手続を定める。', '', '## 別表第1', '', '| 項目 | 内容 |', '| --- | --- |', '| a | b |', '', '## 参考', '', '詳細は「手続」を参照すること。第9条による。',
  ].join('\n'));
  const find = (text: string) => doc.references.find((r) => r.text === text)!;

  it('resolves 第N条第M項, 前条, 前項 and 別表 to their targets', () => {
    expect(find('前条').target?.marker?.text).toBe('第1条');
    expect(find('第3条第2項').target?.marker?.style).toBe('paragraph');
    expect(find('第3条第2項').target?.parent?.marker?.text).toBe('第3条');
    expect(find('前項').target?.marker?.text).toBe('第2条');
    expect(find('別表第1').target?.title).toBe('別表第1');
    expect(find('手続').target?.caption).toBe('手続');
  });

  it('marks references into other documents as external and leaves missing targets unresolved', () => {
    const law = find('第2条');
    expect(law.external).toBe(true);
    expect(law.target).toBeUndefined();
    const missing = find('第9条');
    expect(missing.external).toBe(false);
    expect(missing.target).toBeUndefined();
  });
});

describe('metadata', () => {
  it('reads front matter, title and self-reference', () => {
    const doc = buildDocument(['---', 'lgpolicy: true', 'guideline: 令和6年10月', 'organization: 自組織', '---', '', '# Web会議サービス利用手順', '', '本市の職員は本市の手順に従う。'].join('\n'));
    expect(doc.metadata).toMatchObject({ declaredPolicy: true, declaredRevision: 'R6.10', organization: '自組織', title: 'Web会議サービス利用手順', looksLikePolicy: true });
    expect(doc.metadata.organizationCounts['本市']).toBe(2);
  });

  it('recognises policies by title or headings, and leaves a software README alone', () => {
    expect(buildDocument('○東西市情報セキュリティ対策基準\n\n第1条 目的').metadata.looksLikePolicy).toBe(true);
    expect(buildDocument('# 職員のSNS運用手順\n\n本文').metadata.looksLikePolicy).toBe(true);
    expect(buildDocument('# my-tool\n\n## インストール手順\n\nnpm i my-tool\n\n## 使い方\n\n実行する。').metadata.looksLikePolicy).toBe(false);
    expect(buildDocument('# Notes\n\n## 組織体制\n\n## 外部サービスの利用\n').metadata.looksLikePolicy).toBe(true);
  });

  it('infers the guideline revision from the terms the text uses', () => {
    expect(buildDocument('自治体機密性2以上の情報').metadata.inferredRevision?.revision).toBe('R7.3');
    expect(buildDocument('機密性2以上の情報を取り扱う場合').metadata.inferredRevision?.revision).toBe('R5.3');
    expect(buildDocument('特になし').metadata.inferredRevision).toBeUndefined();
  });

  it('reads plain front matter without the YAML parser, and exactly as the parser would', () => {
    // The shortcut takes the usual forms…
    expect(simpleFrontMatter('lgpolicy: true\nguideline: 令和7年3月\norganization: 本市')).toEqual({ lgpolicy: true, guideline: '令和7年3月', organization: '本市' });
    // …and whatever it accepts, YAML reads the same; the rest goes to YAML (quotes, numbers, dates,
    // null-like words, comments, nesting, duplicate keys, spaces at the end, CR …).
    const r = rng(7);
    const keys = ['lgpolicy', 'guideline', 'organization', 'title', 'no', 'Null', 'a-b', 'x_1'];
    const values = ['true', 'false', 'True', 'yes', 'no', 'null', '~', '令和7年3月', 'R6.10', 'auto', '本市 職員', 'web会議', '2024-10-01', '12', '0x1F', '.inf', '"q"', "'q'", 'a #c', 'a: b', '[1]', '{a: 1}', '- a', 'a ', '', 'ｗｅｂ', '本市：本庁', 'a -b', '&x', '*x', '!t', '%p', '@a', '`a`', '|', '>', 'on', 'off', 'y'];
    let accepted = 0;
    for (let i = 0; i < 3000; i++) {
      const lines = Array.from({ length: 1 + Math.floor(r() * 4) }, () => `${keys[Math.floor(r() * keys.length)]}:${r() < 0.9 ? ' ' : '  '}${values[Math.floor(r() * values.length)]}`);
      const text = lines.join(r() < 0.95 ? '\n' : '\r\n');
      const fast = simpleFrontMatter(text);
      if (fast === undefined) continue;
      accepted++;
      expect(fast, text).toEqual(YAML.parse(text));
    }
    expect(accepted).toBeGreaterThan(100);
  });

  it('treats （抜粋） titles as excerpts', () => {
    expect(buildDocument('# 情報セキュリティ対策基準（抜粋）\n').metadata.excerpt).toBe(true);
  });
});

describe('positions', () => {
  it('patches the line index after an edit exactly as it would be built anew (LF, CRLF, lone CR, edits across line breaks)', () => {
    const rand = rng(21);
    const pieces = ['\n', '\r\n', '\r', 'あ', 'a', '\n\n', 'い\r\nう'];
    let text = 'first\r\nsecond\nthird\rfourth\n\nfifth';
    let index = new LineIndex(text);
    void index.eol; // counted once, then patched
    for (let i = 0; i < 3000; i++) {
      const at = Math.floor(rand() * (text.length + 1));
      const cut = rand() < 0.5 ? Math.floor(rand() * 4) : 0;
      const insert = rand() < 0.6 ? pieces[Math.floor(rand() * pieces.length)] : '';
      const next = text.slice(0, at) + insert + text.slice(at + cut);
      if (next.length === 0) continue;
      let p = 0;
      while (p < Math.min(text.length, next.length) && text[p] === next[p]) p++;
      let q = 0;
      while (q < Math.min(text.length, next.length) - p && text[text.length - 1 - q] === next[next.length - 1 - q]) q++;
      index = LineIndex.patched(index, next, { prefix: p, suffixStart: next.length - q, delta: next.length - text.length });
      text = next;
      const fresh = new LineIndex(text);
      expect(index.lineStarts, `edit ${i}`).toEqual(fresh.lineStarts);
      expect(index.eol, `edit ${i}`).toBe(fresh.eol);
    }
    // A paste of thousands of lines (the line starts it makes are more than are passed as arguments at once).
    const pasted = 'あ\n'.repeat(5000);
    const at = text.indexOf('\n') + 1;
    const next = text.slice(0, at) + pasted + text.slice(at);
    index = LineIndex.patched(index, next, { prefix: at, suffixStart: at + pasted.length, delta: pasted.length });
    expect(index.lineStarts).toEqual(new LineIndex(next).lineStarts);
    const back = LineIndex.patched(index, text, { prefix: at, suffixStart: at, delta: -pasted.length });
    expect(back.lineStarts).toEqual(new LineIndex(text).lineStarts);
  });

  it('maps offsets to LSP positions with CRLF, full-width text and surrogate pairs', () => {
    const text = '# 規程\r\n\r\n𠮷野家の第1条を参照。\r\n(1) 項目';
    const li = new LineIndex(text);
    const off = text.indexOf('第1条');
    expect(li.positionAt(off)).toEqual({ line: 2, character: 5 }); // 𠮷 is two UTF-16 units
    expect(li.offsetAt({ line: 2, character: 5 })).toBe(off);
    expect(li.positionAt(text.indexOf('\r\n', off) + 1)).toEqual({ line: 2, character: 12 }); // inside CRLF → end of the line's content
    expect(li.offsetAt({ line: 3, character: 0 })).toBe(text.indexOf('(1)'));
    expect(li.eol).toBe('\r\n');
    const doc = buildDocument(text);
    const item = doc.nodes.find((n) => n.marker?.text === '(1)')!;
    expect(li.range(item.lineSpan)).toEqual({ start: { line: 3, character: 0 }, end: { line: 3, character: 6 } });
    const ref = doc.references.find((r) => r.text === '第1条')!;
    expect(li.range(ref.span).start).toEqual({ line: 2, character: 5 });
  });
});

describe('real-world 例規 layouts', () => {
  it('skips a 目次 block whose entries repeat the body, including 附則/付則 entries', () => {
    const doc = buildDocument(['○東西市情報セキュリティ規程', '', '目次', '', '第1章 総則（第1条―第2条）', '', '第2章 組織', '', '第1節 体制（第3条）', '', '付則', '', '第1章 総則', '', '（目的）', '第1条 目的を定める。', '', '第2条 定義', '', '第2章 組織', '', '第1節 体制', '', '第3条 体制', '', '附則', '', '第1条 施行'].join('\n'));
    const chapters = doc.nodes.filter((n) => n.marker?.style === 'chapter').map((n) => n.lineSpan.start);
    expect(chapters).toHaveLength(2);
    expect(doc.text.slice(chapters[0]).startsWith('第1章 総則\n\n（目的）')).toBe(true);
    const supplements = doc.nodes.filter((n) => n.marker?.style === 'supplement');
    expect(supplements).toHaveLength(1);
  });

  it('reads 第1 / 第2 items of 要綱, 款 under 節, and numbers written without a space', () => {
    const doc = buildDocument(['第1 総則', '1 目的', '2 定義', '(1) 一', '第2 分類', '1 分類', '', '第1節 通則', '第1款 細則', '第2款 細則', '第2節 特則', '第1款 細則', '', '1目的', '2定義'].join('\n'));
    const dai = doc.nodes.filter((n) => n.marker?.style === 'item-dai');
    expect(dai.map((n) => n.children.map((c) => c.marker?.text))).toEqual([['1', '2'], ['1']]);
    expect(doc.nodes.filter((n) => n.marker?.style === 'division').map((n) => n.parent?.marker?.text)).toEqual(['第1節', '第1節', '第2節']);
    expect(doc.nodes.filter((n) => n.title === '目的' || n.title === '定義').map((n) => n.marker?.text)).toEqual(['1', '2', '1', '2']);
  });

  it('treats a caption line without its article text as a separator', () => {
    const doc = buildDocument(['(1) 一', '(2) 二', '(管理体制の整備)', '(1) 別の一'].join('\n'));
    const caption = doc.nodes.find((n) => n.caption === '管理体制の整備')!;
    expect(caption.children.map((c) => c.marker?.text)).toEqual(['(1)']);
  });
});

describe('byte order mark', () => {
  it('reads a first-line heading after a BOM and keeps offsets on the original text', () => {
    const text = '\uFEFF# 情報セキュリティ実施手順\n\n(1) 一\n';
    const doc = buildDocument(text);
    expect(doc.metadata.title).toBe('情報セキュリティ実施手順');
    const item = doc.nodes.find((n) => n.marker?.text === '(1)')!;
    expect(text.slice(item.lineSpan.start, item.lineSpan.end)).toBe('(1) 一');
    expect(doc.text).toBe(text);
  });
});

describe('nesting limit', () => {
  it('keeps the text length and offsets while flattening 10,000 nested containers', async () => {
    const { limitNesting, MAX_NESTING } = await import('../../server/src/engine/parse');
    const deep = '- '.repeat(10000) + '(1) a\n> > (2) b\n';
    const limited = limitNesting(deep);
    expect(limited.length).toBe(deep.length);
    expect(limited.slice(0, MAX_NESTING * 2)).toBe('- '.repeat(MAX_NESTING));
    expect(limited.indexOf('(1) a')).toBe(deep.indexOf('(1) a'));
    expect(limited.endsWith('\n> > (2) b\n')).toBe(true);
    expect(limitNesting('# 普通の文書\n\n- a\n  - b\n')).toBe('# 普通の文書\n\n- a\n  - b\n');
  });
});

describe('comments between items', () => {
  it('do not extend the previous item over the next article’s caption', () => {
    const doc = buildDocument(['第1条 一', '(1) 号', '', '（見出し）', '', '<!-- element: x -->', '第2条 二'].join('\n'));
    const item = doc.nodes.find((n) => n.marker?.text === '(1)')!;
    expect(doc.text.slice(item.span.start, item.span.end)).toBe('(1) 号');
    expect(doc.nodes.find((n) => n.marker?.text === '第2条')!.caption).toBe('見出し');
  });
});

describe('foldExact (the folded document that rules slice by offsets)', () => {
  it('is either undefined or aligned: fold() of every slice is the same slice of it', async () => {
    const { fold, foldExact } = await import('../../server/src/engine/normalize');
    // ｶﾞ folds to one unit (ガ) and … to three (...): the lengths match while the offsets do not.
    for (const text of ['ｶﾞｶﾞ…', '本市のｻｰﾊﾞｰ…で', 'ＥＤＲ（Ｅｎｄｐｏｉｎｔ）', 'ﾊﾟｽﾜｰﾄﾞ㍿…', 'Σσ ＡＢＣ', 'テレワーク']) {
      const folded = foldExact(text);
      if (folded === undefined) continue;
      for (let i = 0; i <= text.length; i++) for (let j = i; j <= text.length; j++) expect(folded.slice(i, j), `${text} [${i}, ${j})`).toBe(fold(text.slice(i, j)));
    }
    expect(foldExact('ＥＤＲ（Ｅｎｄｐｏｉｎｔ）')).toBe('edr(endpoint)');
  });
});

describe('foldedDocument after edits (a retained Memo refolds only the pieces an edit touched)', () => {
  it('equals the whole document folded afresh, over random edits with units that do not fold alone', async () => {
    const { foldedDocument } = await import('../../server/src/engine/model/folded');
    const { foldUnits, foldExact } = await import('../../server/src/engine/normalize');
    const { Memo, withMemo } = await import('../../server/src/engine/memo');
    let s = 11;
    const rand = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
    const pieces = ['本市の', 'ＥＤＲ', 'ｶﾞ', 'ﾞ', '…', '㍿', 'Σ', 'é', 'e\u0301', '\ud83d\ude00', 'ABC', '\n', 'テレワーク', '가', '\u1100\u1161'];
    const piece = () => pieces[Math.floor(rand() * pieces.length)];
    let text = '';
    while (text.length < 400) text += rand() < 0.7 ? 'テレワーク。ＡＢＣ' : piece();
    const memo = new Memo(true);
    for (let round = 0; round < 300; round++) {
      const at = Math.floor(rand() * (text.length + 1));
      const r = rand();
      // Runs of exact text only (exact both before and after), or edits that add and remove inexact units.
      if (r < 0.4) text = text.slice(0, at) + (rand() < 0.5 ? 'あ' : piece()) + text.slice(at);
      else if (r < 0.8) text = text.slice(0, at) + text.slice(at + 1 + Math.floor(rand() * 4));
      else if (r < 0.9) text = text.replace(/[ｶﾞﾞ…㍿Σé\u0301\ud83d\ude00가\u1100\u1161]/gu, 'x');
      else text = text.slice(0, at) + piece() + text.slice(at + 1);
      const doc = buildDocument(text);
      // Pieces of at most 16 units (unless a line is longer): edits land in, across and between pieces.
      const got = withMemo(memo, () => { memo.begin(text); const f = foldedDocument(doc, 16); memo.commit(); return f; });
      const exact = foldExact(text);
      const want = exact !== undefined ? { folded: exact, exact: true } : foldUnits(text);
      expect({ folded: got.slice(0, text.length), exact: got.exact }, `round ${round}`).toEqual(want);
      // Each piece starts where the previous one ends, and all but the last end with a line break.
      expect(got.starts.length, `round ${round}`).toBe(got.pieces.length + 1);
      expect(got.starts[got.pieces.length]).toBe(text.length);
      for (let k = 0; k < got.pieces.length; k++) {
        expect(got.starts[k] + got.pieces[k].length, `round ${round} piece ${k}`).toBe(got.starts[k + 1]);
        if (k < got.pieces.length - 1) expect(got.pieces[k].endsWith('\n'), `round ${round} piece ${k}`).toBe(true);
      }
      // Searches over the pieces find what a search of the whole folded text finds.
      const whole = want.folded;
      for (let q = 0; q < 5; q++) {
        const i = Math.floor(rand() * (whole.length + 1));
        const j = i + Math.floor(rand() * (whole.length - i + 1));
        const a = Math.floor(rand() * whole.length);
        const word = whole.slice(a, a + 1 + Math.floor(rand() * 6)).split('\n')[0] || 'テレ';
        expect(got.includes(word, i, j), `round ${round}: ${word} in [${i}, ${j})`).toBe(whole.slice(i, j).includes(word));
        expect(got.range(i, j).includes(word), `round ${round}: range`).toBe(whole.slice(i, j).includes(word));
        expect(got.indexOf(word, i), `round ${round}: indexOf ${word} from ${i}`).toBe(whole.indexOf(word, i));
      }
    }
  });
});
