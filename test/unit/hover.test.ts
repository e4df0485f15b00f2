import { describe, expect, it } from 'vitest';
import { analyze } from '../../server/src/engine/engine';
import { hoverAt } from '../../server/src/features/hover';
import { completionAt } from '../../server/src/features/completion';
import { knowledge } from '../../server/src/knowledge';
import { fold } from '../../server/src/engine/normalize';

const hover = (text: string, needle: string, nth = 0) => {
  const a = analyze(text);
  let at = -1;
  for (let i = 0; i <= nth; i++) at = text.indexOf(needle, at + 1);
  return hoverAt(a, at + Math.floor(needle.length / 2));
};

describe('hover on every knowledge name', () => {
  const kb = knowledge();
  // A fixture line per name: the name in brackets, so nothing around it joins a longer name.
  const entries = [
    ...kb.terms.flatMap((t) => [t.headword, ...(t.aliases ?? [])].map((name) => ({ name, id: t.id, head: `**${t.headword}**` }))),
    ...kb.roles.flatMap((r) => [r.name, r.abbreviation, ...(r.aliases ?? []), ...(r.misspellings ?? [])].filter(Boolean).map((name) => ({ name: name!, id: r.id, head: `**${r.name}**` }))),
  ];

  it('covers at least 150 terms and every role', () => {
    expect(kb.terms.length).toBeGreaterThanOrEqual(150);
    expect(kb.roles.length).toBeGreaterThanOrEqual(14);
  });

  it('returns the entry of each headword, alias, abbreviation and known misspelling', () => {
    const text = '# 用語の確認\n\n' + entries.map((e) => `- 「${e.name}」`).join('\n') + '\n';
    const a = analyze(text);
    const wrong: string[] = [];
    let from = 0;
    for (const e of entries) {
      const at = text.indexOf(`「${e.name}」`, from) + 1;
      from = at;
      const h = hoverAt(a, at + Math.floor(e.name.length / 2));
      if (!h || !h.markdown.includes(e.head)) wrong.push(`${e.name} → ${h?.markdown.split('\n')[0] ?? 'nothing'}`);
    }
    expect(wrong).toEqual([]);
  });

  it('matches full-width, half-width and case variants of a name', () => {
    for (const [written, head] of [['ＩＳＭＡＰ', '**ISMAP**'], ['ｅｄｒ', '**EDR**'], ['ＣＩＳＯ', '**最高情報セキュリティ責任者**']]) {
      expect(hover(`# 規程\n\n${written}を使う。`, written)?.markdown, written).toContain(head);
    }
  });

  it('prefers the longest name and does not match inside longer words', () => {
    expect(hover('# 規程\n\n外部サービス管理者を置く。', '外部サービス管理者')!.markdown).toContain('**外部サービス管理者**');
    expect(hover('# 規程\n\n統括情報セキュリティ責任者を置く。', 'セキュリティ責任者')!.markdown).toContain('**統括情報セキュリティ責任者**');
    expect(hover('# 規程\n\nブログを書く。', 'ログ')).toBeUndefined();
    expect(hover('# x\n\nSOCKET を開く。', 'SOC')).toBeUndefined();
  });

  it('explains a misspelt role with the right name', () => {
    const h = hover('# 規程\n\n総括情報セキュリティ責任者は、手順を定める。', '総括情報セキュリティ責任者')!;
    expect(h.markdown).toContain('正しくは「**統括情報セキュリティ責任者**」');
  });

  it('ignores code and shows the document’s own definition with a link', () => {
    expect(hover('# 規程\n\n`SLA` を確認\n', 'SLA')).toBeUndefined();
    const text = '# 対策基準\n\n## 用語の定義\n\n| 用語 | 定義 |\n| --- | --- |\n| SLA | 事業者と合意した稼働率などの水準 |\n\n## 本文\n\nSLAを確認する。\n';
    const h = hover(text, 'SLA', 1)!;
    expect(h.markdown).toContain('**この文書での定義**（[7行目](#L7)）: 事業者と合意した稼働率などの水準');
  });
});

describe('revision-aware hover', () => {
  const doc = (guideline: string) => `---\nguideline: ${guideline}\n---\n\n# 対策基準\n\n外部サービス利用判断基準を定める。\n`;
  it('shows the section number of the document’s revision', () => {
    const r5 = hover(doc('令和5年3月'), '利用判断基準')!.markdown;
    const r7 = hover(doc('令和7年3月'), '利用判断基準')!.markdown;
    expect(r5).toMatch(/ガイドライン該当箇所（令和5年3月版）: 8\.2/);
    expect(r7).toMatch(/ガイドライン該当箇所（令和7年3月版）: 8\.3/);
  });

  it('warns when a term belongs to another revision', () => {
    const h = hover(doc('令和5年3月').replace('外部サービス利用判断基準を定める。', '自治体機密性2の情報を扱う。'), '自治体機密性2')!;
    expect(h.markdown).toContain('令和6年10月版・令和7年3月版の用語です（この文書の対象は令和5年3月版）');
  });
});

describe('hover on a clause heading', () => {
  it('lists the required elements of a part with ✓ and ✗', () => {
    const text = '---\nlgpolicy: true\n---\n\n# 対策基準\n\n## 8.3 外部サービス（クラウドサービス）の利用（自治体機密性2以上の情報を取り扱う場合）\n\n(1) 外部サービスの利用に係る規定の整備\n\n① 外部サービス利用判断基準\n';
    const h = hover(text, '(1)')!;
    expect(h.markdown).toContain('✓ 8.3(1)① 外部サービス利用判断基準');
    expect(h.markdown).toContain('✗ 8.3(1)③ 利用申請の許可権限者及び利用手続');
  });
});

describe('completion', () => {
  it('offers term and role names that start with what was typed', () => {
    const text = '# 規程\n\n統括情報';
    const items = completionAt(analyze(text), text.length);
    expect(items.map((i) => i.label)).toContain('統括情報セキュリティ責任者');
    expect(text.slice(items[0].replace.start, items[0].replace.end)).toBe('統括情報');
    const isma = '# 規程\n\n登録は ISMA';
    expect(completionAt(analyze(isma), isma.length).map((i) => i.label)).toEqual(expect.arrayContaining(['ISMAP', 'ISMAP-LIU']));
    expect(completionAt(analyze('# 規程\n\n```\n統括'), '# 規程\n\n```\n統括'.length)).toEqual([]);
  });

  it('uses the same explanation as hover', () => {
    const text = '# 規程\n\nセキュアブラ';
    const item = completionAt(analyze(text), text.length).find((i) => i.label === 'セキュアブラウザ')!;
    expect(fold(item.documentation)).toContain(fold('**セキュアブラウザ**'));
  });
});

describe('guideline-revision rule', () => {
  const rule = (text: string) => analyze(text).findings.filter((f) => f.ruleId === 'guideline-revision');
  it('gives one hint for an older revision and nothing for the newest', () => {
    const older = rule('---\nlgpolicy: true\nguideline: R5.3\n---\n# 対策基準\n');
    expect(older.map((f) => f.severity)).toEqual(['hint']);
    expect(older[0].message).toContain('令和5年3月版に沿って検査しています（フロントマターの指定）');
    expect(rule('---\nlgpolicy: true\nguideline: R7.3\n---\n# 対策基準\n')).toEqual([]);
    expect(rule('---\nlgpolicy: true\n---\n# 対策基準\n\n機密性2以上の情報\n')[0].message).toContain('機密性2・機密性3など令和5年3月版までの区分を使用');
  });

  it('warns clearly when the declared revision cannot be understood', () => {
    const f = rule('---\nlgpolicy: true\nguideline: 平成30年\n---\n# 対策基準\n');
    expect(f.map((x) => x.severity)).toEqual(['warning']);
    expect(f[0].message).toContain('guideline:「平成30年」を版として認識できません');
  });
});

describe('hover on a clause heading: the guideline outline', () => {
  it('names the guideline section of a 対策基準 heading for the document’s revision', () => {
    const text = (g: string) => `---\nlgpolicy: true\nguideline: ${g}\n---\n\n# 東西市情報セキュリティ対策基準\n\n## 外部サービス（クラウドサービス）の利用（自治体機密性2以上の情報を取り扱わない場合）\n\n本文。\n`;
    const r7 = hover(text('令和7年3月'), '取り扱わない場合')!.markdown;
    expect(r7).toMatch(/ガイドラインとの対応\*\*（令和7年3月版）: 対策基準 8\.4/);
    expect(r7).toMatch(/他の版: 令和4年3月版・令和5年3月版では 8\.3/);
  });

  it('does not map the headings of a procedure document onto the 基本方針', () => {
    const text = '---\nlgpolicy: true\n---\n\n# Web会議サービス利用手順\n\n## 1 目的\n\nこの手順は会議を安全に開くために定める。\n';
    expect(hover(text, '目的')?.markdown ?? '').not.toContain('ガイドラインとの対応');
  });
});

describe('the terms issue 3 names', () => {
  // Every term the knowledge-base issue lists must be answered by hover, by its usual name.
  const names = ['αモデル', "α'モデル", 'βモデル', "β'モデル", '特定通信', '無害化通信', '画面転送', 'マイナンバー利用事務系', 'LGWAN接続系', 'インターネット接続系',
    '機密性1', '機密性2', '機密性3', '完全性1', '完全性2', '可用性1', '可用性2', '自治体機密性3A', '自治体機密性3B', '自治体機密性3C', '自治体機密性2', '自治体機密性1',
    'ISMAP', 'ISMAP-LIU', 'ISO/IEC 27001', 'ISO/IEC 27017', 'SOC報告書', 'クラウド情報セキュリティ監査', 'LGWAN', 'LGWAN-ASP', 'ガバメントクラウド', '自治体情報セキュリティクラウド',
    'EDR', 'NGAV', 'SOC', 'SIEM', 'CSIRT', '多要素認証', 'E2E暗号化', 'PPAP', 'シャドーIT', 'BYOD', 'テレワーク', 'セキュアブラウザ', 'SLA', '完全に分離', '外部サービス利用判断基準', '外部サービス提供者の選定基準'];
  it.each(names)('%s', (name) => {
    const text = `# 用語\n\n「${name}」について。\n`;
    const h = hover(text, name);
    expect(h?.markdown, name).toMatch(/^\*\*[^*]+\*\*/);
    expect(text.slice(h!.span.start, h!.span.end)).toBe(name);
  });
});

describe('completion without analysis', () => {
  it('knows from the text alone when the cursor is in code', async () => {
    const { completionFor, inFence } = await import('../../server/src/features/completion');
    expect(inFence('# a\n\n```\n統括', 11)).toBe(true);
    expect(inFence('# a\n\n```\nx\n```\n統括', 16)).toBe(false);
    expect(inFence('文中の `統括', 7)).toBe(true);
    const text = '# 規程\n\n```\nx\n```\n\n統括情報';
    expect(completionFor(text, text.length, 'R7.3').map((c) => c.label)).toContain('統括情報セキュリティ責任者');
  });
});

describe('hover in every kind of Markdown text', () => {
  const text = ['# EDRの導入', '', '- SLAを確認する', '', '| 用語 | 意味 |', '| --- | --- |', '| SIEM | ログの相関分析 |', '', '> ISMAPに登録された', '', '```', 'SOC', '```'].join('\n');
  it.each([['EDR', '**EDR**'], ['SLA', '**SLA**'], ['SIEM', '**SIEM**'], ['ISMAP', '**ISMAP**']])('answers %s in a heading, a list, a table cell and a quote', (word, head) => {
    expect(hover(text, word)?.markdown).toContain(head);
  });
  it('stays silent inside a code block', () => {
    expect(hover(text, 'SOC')).toBeUndefined();
  });
});
