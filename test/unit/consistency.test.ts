import { describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { analyze } from '../../server/src/engine/engine';
import { fixAll } from '../../server/src/engine/fix';
import { defaultConfig, formatProblem, mergeConfig, type ResolvedConfig } from '../../server/src/engine/config';
import { applyRule, buildDictionarySet, catastrophic, joinPath, parsePrhText } from '../../server/src/engine/prh';
import { readConfigFile } from '../../server/src/node/config-files';
import { knowledge } from '../../server/src/knowledge';
import { isSlip } from '../../server/src/engine/rules/consistency/role-name-misspelling';
import { VARIANT_GROUPS } from '../../server/src/engine/rules/consistency/variants';
import { CONSISTENCY_RULES } from '../../server/src/engine/rules/consistency';
import { selfReferencesIn, selfReferencesInRegion } from '../../server/src/engine/rules/consistency/self-reference';
import { chunksOf } from '../../server/src/engine/rules/consistency/support';
import { applyEdits, findingsOf, POLICY_HEAD } from './helpers';

const doc = (...paragraphs: string[]) => POLICY_HEAD + ['# 情報セキュリティ対策基準', '', ...paragraphs.flatMap((p) => [p, ''])].join('\n');
const spanText = (text: string, f: { span: { start: number; end: number } }) => text.slice(f.span.start, f.span.end);
const fixOnce = (text: string, fs: { fixes?: { edits: { span: { start: number; end: number }; newText: string }[] }[] }[]) => applyEdits(text, fs.flatMap((f) => f.fixes![0].edits));
const withDictionaries = (dicts: { source: string; text: string }[], extra: Partial<ResolvedConfig> = {}): ResolvedConfig =>
  mergeConfig({ dictionaries: dicts.map((d) => d.source.replace('/ws/', '')), loadedDictionaries: dicts, baseDir: '/ws', ...extra });
const OUR_RULES = CONSISTENCY_RULES.map((r) => r.meta.id);

describe('self-reference-mixed', () => {
  it('finds the same self-references region by region as per chunk (the one-shot owned test of the dictionary)', () => {
    const text = doc('本市の職員は、本町一丁目の庁舎で自組織の規程を守る。', '事業者は、自組織の規程を守る。', '`本市` と本県は違う。日本市場と本市。', '| 本市 | 自組織 |\n| --- | --- |\n| 本区の | 各自組織 |');
    const { doc: model } = analyze(text, {});
    for (const chunk of chunksOf(model)) {
      const whole = selfReferencesIn(model, chunk).map((h) => [chunk.regions[h.r].offset + h.index, h.text]);
      const byRegion = chunk.regions.flatMap((r) => selfReferencesInRegion(model, r).map((h) => [r.offset + h.index, h.text]));
      expect(whole.length).toBeGreaterThan(3);
      expect(byRegion).toEqual(whole);
    }
  });

  const rule = 'self-reference-mixed';
  it('reports the minority self-reference and fixes it to the form used most', () => {
    const text = doc('本市は、情報資産を守る。', '本市の職員等は、規程を守る。', '自組織の情報資産は分類して管理する。');
    const f = findingsOf(text, rule);
    expect(f.map((x) => spanText(text, x))).toEqual(['自組織']);
    expect(f[0].severity).toBe('warning');
    expect(f[0].message).toContain('「本市」2か所');
    expect(f[0].message).toContain('「本市」にそろえてください');
    expect(f[0].fixes![0].safe).toBe(true);
    const fixed = fixOnce(text, f);
    expect(fixed).toContain('本市の情報資産は分類して管理する。');
    expect(findingsOf(fixed, rule)).toEqual([]);
  });

  it('unifies on the configured organization, and on the front matter one before that', () => {
    const text = doc('本市は、情報資産を守る。', '本市の職員等は、規程を守る。', '本町の情報資産は分類して管理する。');
    const configured = findingsOf(text, rule, { config: mergeConfig({ organization: '本町' }) });
    expect(configured.map((x) => spanText(text, x))).toEqual(['本市', '本市']);
    expect(configured[0].message).toContain('設定 organization');
    const fm = text.replace('lgpolicy: true', 'lgpolicy: true\norganization: 本市');
    expect(findingsOf(fm, rule, { config: mergeConfig({ organization: '本町' }) }).map((x) => spanText(fm, x))).toEqual(['本町']);
  });

  it('is quiet when the other word is not a self-reference', () => {
    const text = doc(
      '本市は、情報資産を守る。本市の職員等は、規程を守る。',
      '庁舎は本町一丁目にある。本区分の情報は公開しない。本道路の管理者に連絡する。',
      '委託事業者は、自組織の従業員に教育を行わなければならない。',
      'ガイドラインの「自組織」は、この規程では本市をいう。',
      '> 自組織で判断する。（他団体の規程の引用）',
      '`自組織` は置換しない。',
    );
    expect(findingsOf(text, rule)).toEqual([]);
  });
});

describe('term-variants', () => {
  const rule = 'term-variants';
  it('unifies Web会議 spellings on the one used most', () => {
    const text = doc('職員等は、Web会議サービスを使う。', 'Web会議の主催者は、参加者を確かめる。', 'WEB会議で機密性2以上の情報を扱わない。');
    const f = findingsOf(text, rule);
    expect(f.map((x) => spanText(text, x))).toEqual(['WEB会議']);
    expect(f[0].message).toContain('「WEB会議」と「Web会議」が混在しています');
    expect(f[0].fixes![0].edits).toEqual([{ span: { start: f[0].span.start + 1, end: f[0].span.start + 3 }, newText: 'eb' }]);
    const fixed = fixOnce(text, f);
    expect(fixed).toContain('Web会議で機密性2以上');
    expect(findingsOf(fixed, rule)).toEqual([]);
  });

  it('on a tie, uses the guideline spelling Web会議 even when the document has neither', () => {
    const text = doc('ウェブ会議を使う。', 'WEB会議を使う。');
    const f = findingsOf(text, rule);
    expect(f.map((x) => x.data?.to)).toEqual(['Web会議', 'Web会議']);
    expect(f[0].message).toContain('使われている数が同じなので');
  });

  it('unifies 不正プログラム対策 / の対策 / への対策 (意見70)', () => {
    const text = doc('## 6.4 不正プログラム対策', '不正プログラム対策ソフトウェアを導入する。', '不正プログラムへの対策として、EDRを導入する。');
    const f = findingsOf(text, rule);
    expect(f.map((x) => spanText(text, x))).toEqual(['不正プログラムへの対策']);
    expect(fixOnce(text, f)).toContain('不正プログラム対策として');
  });

  it('always reports シャド-IT, fixing it to the document’s own spelling or シャドーIT', () => {
    const alone = doc('シャド-ITを防ぐため、利用申請を求める。');
    const f = findingsOf(alone, rule);
    expect(f).toHaveLength(1);
    expect(f[0].message).toContain('誤記です');
    expect(fixOnce(alone, f)).toContain('シャドーITを防ぐ');
    const own = doc('シャドウITを防ぐ。シャドウITの例を示す。シャド-ITに注意する。');
    expect(findingsOf(own, rule).map((x) => x.data?.to)).toEqual(['シャドウIT']);
  });

  it('reports long-vowel and okurigana mixes only when both spellings are used', () => {
    const mixed = doc('サーバを管理区域に置く。サーバの設定を記録する。サーバー室に入る。');
    expect(findingsOf(mixed, rule).map((x) => x.data?.to)).toEqual(['サーバ']);
    const consistent = doc('サーバー室に入る。サーバーの設定を記録する。情報漏洩を防ぐ。ウェブ会議を使う。');
    expect(findingsOf(consistent, rule)).toEqual([]);
  });

  it('is quiet on quoted titles, code and words that only look alike', () => {
    const text = doc('Web会議は「WEB会議サービス利用手順」に従う。', '`WEB会議` と書かない。', 'サーバントリーダーシップは関係がない。サーバを置く。');
    expect(findingsOf(text, rule)).toEqual([]);
  });

  it('unifies on the spelling a user dictionary prefers', () => {
    const dict = { source: '/ws/dict.yml', text: 'version: 1\nrules:\n  - expected: ウェブ会議\n    pattern: Web会議\n' };
    const text = doc('Web会議を使う。Web会議を主催する。ウェブ会議に参加する。');
    const config = withDictionaries([dict]);
    const f = findingsOf(text, rule, { config });
    expect(f.map((x) => x.data?.to)).toEqual(['ウェブ会議', 'ウェブ会議']);
    expect(f[0].message).toContain('利用者の辞書');
    // The user dictionary does not report the same spans again.
    expect(findingsOf(text, 'user-dictionary', { config })).toEqual([]);
  });
});

describe('role-name-misspelling', () => {
  const rule = 'role-name-misspelling';
  it('reports 総括情報セキュリティ責任者 and changes only the wrong character', () => {
    const text = doc('総括情報セキュリティ責任者は、CISOを補佐する。', '情報システム監理者は、手順を定める。');
    const f = findingsOf(text, rule);
    expect(f.map((x) => spanText(text, x))).toEqual(['総括情報セキュリティ責任者', '情報システム監理者']);
    expect(f[0].severity).toBe('warning');
    expect(f[0].message).toContain('「統括情報セキュリティ責任者」に直してください');
    expect(f[0].fixes![0].edits).toEqual([{ span: { start: f[0].span.start, end: f[0].span.start + 1 }, newText: '統' }]);
    const fixed = fixOnce(text, f);
    expect(fixed).toContain('統括情報セキュリティ責任者は、');
    expect(fixed).toContain('情報システム管理者は、');
    expect(findingsOf(fixed, rule)).toEqual([]);
  });

  it('leaves other titles, quotations and the word 総括 alone', () => {
    const text = doc('情報セキュリティ総括責任者を置く。', '「総括情報セキュリティ責任者」を「統括情報セキュリティ責任者」に改める。', '年度末に総括表を作る。');
    expect(findingsOf(text, rule)).toEqual([]);
  });

  it('treats only one-character kanji slips of the knowledge base as misspellings', () => {
    expect(isSlip('総括情報セキュリティ責任者', '統括情報セキュリティ責任者')).toBe(true);
    expect(isSlip('統括情報セキュリティー責任者', '統括情報セキュリティ責任者')).toBe(false);
    expect(isSlip('情報システム管理責任者', '情報システム管理者')).toBe(false);
  });
});

describe('width-variants', () => {
  const rule = 'width-variants';
  it('unifies a term written in both widths on the one used most', () => {
    const text = doc('ISMAPに登録されたサービスを選ぶ。ISMAPの登録状況を確かめる。', 'ＩＳＭＡＰの登録を確認する。');
    const f = findingsOf(text, rule);
    expect(f.map((x) => spanText(text, x))).toEqual(['ＩＳＭＡＰ']);
    const fixed = fixOnce(text, f);
    expect(fixed).toContain('ISMAPの登録を確認する');
    expect(findingsOf(fixed, rule)).toEqual([]);
  });

  it('reports a term mixing widths inside itself, following the document’s habit', () => {
    const text = doc('ＬＧＷＡＮ接続系とＬＧＷＡＮ－ＡＳＰを使う。ＬGWAN接続系の端末。');
    const f = findingsOf(text, rule);
    expect(f.map((x) => x.data?.to)).toEqual(['ＬＧＷＡＮ']);
  });

  it('is quiet for a document that writes terms in full width throughout, URLs and digits', () => {
    const text = doc('ＬＧＷＡＮ接続系とＣＳＩＲＴ。ＬＧＷＡＮを使う。', '詳しくは https://www.example.lg.jp/LGWAN を見る。', '第１条と第1条、ISO27001 とＩＳＯ２７００１は比べない。');
    // Only ISO/ＩＳＯ is mixed; the document writes terms in full width, so ＩＳＯ wins the tie.
    expect(findingsOf(text, rule).map((x) => `${spanText(text, x)}→${x.data?.to}`)).toEqual(['ISO→ＩＳＯ']);
  });
});

describe('halfwidth-katakana', () => {
  const rule = 'halfwidth-katakana';
  it('converts half-width katakana to full width', () => {
    const text = doc('情報ｾｷｭﾘﾃｨ対策として、ﾊﾟｽﾜｰﾄﾞを管理する。');
    const f = findingsOf(text, rule);
    expect(f.map((x) => spanText(text, x))).toEqual(['ｾｷｭﾘﾃｨ', 'ﾊﾟｽﾜｰﾄﾞ']);
    const fixed = fixOnce(text, f);
    expect(fixed).toContain('情報セキュリティ対策として、パスワードを管理する。');
    expect(findingsOf(fixed, rule)).toEqual([]);
  });

  it('is quiet for full-width katakana and code', () => {
    expect(findingsOf(doc('セキュリティ対策として、`ｾｷｭﾘﾃｨ` と書かない。'), rule)).toEqual([]);
  });
});

describe('builtin-dictionary', () => {
  const rule = 'builtin-dictionary';
  it('reports what no consistency rule owns: acronym case and a hyphen written for ー', () => {
    const text = doc('Ismapに登録されたサービスを選ぶ。', 'サ－バ室に入る。');
    const f = findingsOf(text, rule);
    expect(f.map((x) => x.data?.to)).toEqual(['ISMAP', 'サー']);
    expect(f[0].message).toContain('大文字で書きます');
    const fixed = fixOnce(text, f);
    expect(fixed).toContain('ISMAPに登録された');
    expect(fixed).toContain('サーバ室');
    expect(findingsOf(fixed, rule)).toEqual([]);
  });

  it('leaves the spellings owned by consistency rules to them (no span reported twice)', () => {
    const text = doc('総括情報セキュリティ責任者は、ＩＳＭＡＰを確かめる。', 'ウェブ会議を使う。サーバー室に入る。情報漏洩を防ぐ。ｾｷｭﾘﾃｨ。', 'メールは mail.lgwan.jp を経由し、https://example.lg.jp/ismap/ を参照する。');
    expect(findingsOf(text, rule)).toEqual([]);
  });

  it('can be switched off like any rule', () => {
    const text = doc('Ismapに登録されたサービスを選ぶ。');
    expect(findingsOf(text, rule)).toHaveLength(1);
    expect(findingsOf(text, rule, { config: mergeConfig({ rules: { [rule]: { enabled: false } } }) })).toEqual([]);
  });

  it('is valid: every rule loads and passes its own specs', () => {
    const d = parsePrhText(readFileSync('server/knowledge/prh/lgpolicy.yml', 'utf8'), 'lgpolicy.yml');
    expect(d.problems).toEqual([]);
    expect(d.rules.length).toBeGreaterThan(30);
  });

  it('covers the knowledge base’s role slips and agrees with the term-variants preferences', () => {
    const d = parsePrhText(readFileSync('server/knowledge/prh/lgpolicy.yml', 'utf8'), 'lgpolicy.yml');
    const fix = (s: string) => d.rules.reduce((t, r) => applyRule(r, t), s);
    for (const role of knowledge().roles) {
      for (const m of role.misspellings ?? []) if (isSlip(m, role.name)) expect(fix(m)).toBe(role.name);
    }
    for (const g of VARIANT_GROUPS) if (g.preferred) expect(d.rules.some((r) => r.expected === g.preferred), g.id).toBe(true);
    expect(fix('WEB会議とウェブ会議、不正プログラムへの対策、シャド-IT、ＩＳＭＡＰ、ｾｷｭﾘﾃｨ')).toBe('Web会議とWeb会議、不正プログラム対策、シャドーIT、ISMAP、セキュリティ');
  });
});

describe('user-dictionary', () => {
  const rule = 'user-dictionary';
  const dict = {
    source: '/ws/dict/team.yml',
    text: [
      'version: 1',
      'rules:',
      '  - expected: 利用者ID',
      '    patterns: [ユーザーID, ユーザID]',
      '    prh: 当課では「利用者ID」にそろえています。',
      '  - expected: メール-アドレス',
      '    pattern: /メ-ルアドレス|メールアドレス/',
      '  - expected: 電子メール',
      '    pattern: /(?<!電子)メール(?![アサ-])/',
    ].join('\n'),
  };

  it('reports what the team dictionary matches, with its prh note and a safe fix', () => {
    const text = doc('職員等は、ユーザIDを他人に教えてはならない。メールで送らない。');
    const f = findingsOf(text, rule, { config: withDictionaries([dict]) });
    expect(f.map((x) => spanText(text, x))).toEqual(['ユーザID', 'メール']);
    expect(f[0].message).toContain('当課では「利用者ID」にそろえています。');
    expect(f[0].message).toContain('/ws/dict/team.yml');
    expect(f[0].fixes![0].safe).toBe(true);
    const fixed = fixOnce(text, f);
    expect(fixed).toContain('利用者IDを他人に');
    expect(fixed).toContain('電子メールで送らない');
    expect(findingsOf(fixed, rule, { config: withDictionaries([dict]) })).toEqual([]);
  });

  it('does not report text that already has the expected form', () => {
    const text = doc('利用者IDと電子メールを管理する。');
    expect(findingsOf(text, rule, { config: withDictionaries([dict]) })).toEqual([]);
  });

  it('offers only a fix to review when the rule would change its own result again', () => {
    const loop = { source: '/ws/loop.yml', text: 'rules:\n  - expected: "$1$1件"\n    pattern: /([0-9]+)件/\n' };
    const text = doc('報告は3件あった。');
    const f = findingsOf(text, rule, { config: withDictionaries([loop]) });
    expect(f).toHaveLength(1);
    expect(f[0].fixes![0].safe).toBe(false);
    // fix-all leaves it alone, so the text is stable.
    expect(fixAll(text, { config: withDictionaries([loop]) }).text).toBe(text);
  });
});

describe('prh dictionaries', () => {
  it('treats string patterns as literals and /…/ as regular expressions, including patterns with -', () => {
    const d = parsePrhText([
      'rules:',
      '  - expected: ID-パスワード',
      '    pattern: ID－パスワード',
      '  - expected: x',
      "    pattern: '/[\\w-]+号/'",
      '  - expected: "$1番"',
      "    pattern: '/第(\\d+)\\-号/'",
      '  - expected: 一.二',
      '    pattern: 一*二',
    ].join('\n'), 'd.yml');
    expect(d.problems).toEqual([]);
    expect(applyRule(d.rules[0], 'ID－パスワード')).toBe('ID-パスワード');
    expect(applyRule(d.rules[1], 'a-b号')).toBe('x');
    expect(applyRule(d.rules[2], '第12-号')).toBe('12番');
    expect(applyRule(d.rules[3], '一*二と一二')).toBe('一.二と一二');
  });

  it('follows prh for expected-only rules, wordBoundary and regexpMustEmpty', () => {
    const d = parsePrhText([
      'rules:',
      '  - jQuery',
      '  - expected: js',
      '    options: { wordBoundary: true }',
      '  - expected: ソフトウェア',
      '    pattern: /(日経)?ソフトウエア/',
      '    regexpMustEmpty: $1',
      '    specs:',
      '      - { from: 日経ソフトウエア, to: 日経ソフトウエア }',
      '      - { from: ソフトウエア, to: ソフトウェア }',
    ].join('\n'), 'd.yml');
    expect(d.problems).toEqual([]);
    expect(applyRule(d.rules[0], 'JQUERY と ｊｑｕｅｒｙ')).toBe('jQuery と jQuery');
    expect(applyRule(d.rules[1], 'JS と altJS')).toBe('js と altJS');
  });

  it('reports an invalid regex, a failing spec and a catastrophic pattern by file and rule, and keeps the rest', () => {
    const d = parsePrhText([
      'rules:',
      '  - expected: 正しい',
      '    pattern: 正しくない',
      '  - expected: 括弧',
      '    pattern: /(閉じていない/',
      '  - expected: 統括',
      '    pattern: 総括',
      '    specs:',
      '      - from: 総括',
      '        to: 総轄',
      '  - expected: 危険',
      '    pattern: /(あ+)+い/',
    ].join('\n'), 'dict/team.yml');
    expect(d.rules.map((r) => r.expected)).toEqual(['正しい']);
    expect(d.problems.map((p) => p.key)).toEqual(['rules[1]（expected: 括弧）', 'rules[2]（expected: 統括）', 'rules[3]（expected: 危険）']);
    expect(d.problems.every((p) => p.source === 'dict/team.yml')).toBe(true);
    expect(formatProblem(d.problems[0])).toMatch(/^dict\/team\.yml の「rules\[1\]（expected: 括弧）」: 正規表現 .* を解釈できません/);
    expect(d.problems[1].message).toContain('「総括」は「総轄」になるはずですが、このルールを当てると「統括」になります');
    expect(d.problems[2].message).toContain('入れ子になった繰り返し');
  });

  it('detects nested quantifiers statically', () => {
    expect(catastrophic('(a+)+')).toBeDefined();
    expect(catastrophic('(?:\\w*\\s?)*x')).toBeDefined();
    expect(catastrophic('((ab)+c)*')).toBeDefined();
    expect(catastrophic('(a+)?b+')).toBeUndefined();
    expect(catastrophic('[(a+)+]')).toBeUndefined();
    expect(catastrophic('\\(a+\\)+')).toBeUndefined();
    // Lookarounds or back-references with two unbounded repetitions: V8 cannot fall back to its linear engine.
    expect(catastrophic('(?<=x)a*a*c')).toBeDefined();
    expect(catastrophic('(a)b*\\1+')).toBeDefined();
    expect(catastrophic('(?<![日資])本市')).toBeUndefined();
    expect(catastrophic('a*a*c')).toBeUndefined(); // left to V8's linear-time fallback (see the CLI test)
  });

  it('never throws on malformed input', () => {
    for (const text of ['rules: [', ': :', '- a\n- b', 'rules: 3', 'rules:\n  - 3\n  - {expected: 1}\n  - {expected: a, pattern: ""}\n  - {expected: a, specs: 1}', 'imports: 5', '', 'a: &x [*x]']) {
      expect(() => parsePrhText(text, 'bad.yml')).not.toThrow();
    }
    expect(parsePrhText('rules: [', 'bad.yml').problems[0].key).toBe('(YAML)');
  });

  it('merges imports like prh: own rules first, ignoreRules, disableImports, and cycles read once', () => {
    const files = [
      { source: '/ws/a.yml', text: 'imports:\n  - path: sub/b.yml\n    ignoreRules: [ニ]\nrules:\n  - expected: イ\n    pattern: い\n' },
      { source: '/ws/sub/b.yml', text: 'imports: [../a.yml, c.yml]\nrules:\n  - expected: イ\n    pattern: ゐ\n  - expected: ニ\n    pattern: に\n  - expected: ロ\n    pattern: ろ\n' },
      { source: '/ws/sub/c.yml', text: 'rules:\n  - expected: ハ\n    pattern: は\n' },
    ];
    const set = buildDictionarySet(files, ['/ws/a.yml']);
    expect(set.problems).toEqual([]);
    expect(set.rules.map((r) => `${r.expected}:${r.patternTexts[0]}`)).toEqual(['イ:い', 'ロ:ろ', 'ハ:は']);
    expect(joinPath('/ws/sub', '../a.yml')).toBe('/ws/a.yml');
    expect(joinPath('C:\\ws\\sub', '..\\a.yml')).toBe('C:\\ws\\a.yml');
  });
});

describe('dictionaries in .lgpolicy.json', () => {
  const workspace = (files: Record<string, string>) => {
    const dir = mkdtempSync(join(tmpdir(), 'lgp-dict-'));
    for (const [name, text] of Object.entries(files)) {
      mkdirSync(join(dir, name, '..'), { recursive: true });
      writeFileSync(join(dir, name), text);
    }
    return dir;
  };

  it('loads dictionaries relative to the config file and applies them, patterns with - included', () => {
    const dir = workspace({
      '.lgpolicy.json': JSON.stringify({ dictionaries: ['dict/main.yml'] }),
      'dict/main.yml': 'imports: [more.yml]\nrules:\n  - expected: e-ラーニング\n    patterns: [eラーニング, Eラーニング]\n',
      'dict/more.yml': 'rules:\n  - expected: 情報セキュリティ研修\n    pattern: /セキュリティ[-‐]研修/\n',
    });
    const r = readConfigFile(join(dir, '.lgpolicy.json'));
    expect(r.problems).toEqual([]);
    expect(r.config.loadedDictionaries!.map((d) => d.source.slice(dir.length))).toEqual(['/dict/main.yml', '/dict/more.yml']);
    const text = doc('職員等は、eラーニングでセキュリティ-研修を受ける。');
    const f = findingsOf(text, 'user-dictionary', { config: mergeConfig(r.config) });
    expect(f.map((x) => x.data?.to)).toEqual(['e-ラーニング', '情報セキュリティ研修']);
  });

  it('reports an invalid regex and a failing spec as config problems naming the file and the rule, and keeps the other rules', () => {
    const dir = workspace({
      '.lgpolicy.json': JSON.stringify({ dictionaries: ['team.yml'] }),
      'team.yml': 'rules:\n  - expected: 正\n    pattern: /[誤/\n  - expected: 統括\n    pattern: 総括\n    specs: [{ from: 総括, to: 総括 }]\n  - expected: 利用者ID\n    pattern: ユーザID\n',
    });
    const r = readConfigFile(join(dir, '.lgpolicy.json'));
    expect(r.problems.map((p) => [p.source.slice(dir.length), p.key])).toEqual([['/team.yml', 'rules[0]（expected: 正）'], ['/team.yml', 'rules[1]（expected: 統括）']]);
    const f = findingsOf(doc('ユーザIDを管理する。総括する。'), 'user-dictionary', { config: mergeConfig(r.config) });
    expect(f.map((x) => x.data?.to)).toEqual(['利用者ID']);
  });

  it('reads each file of an import cycle once, without a problem', () => {
    const dir = workspace({
      '.lgpolicy.json': JSON.stringify({ dictionaries: ['a.yml'] }),
      'a.yml': 'imports: [b.yml]\nrules:\n  - expected: イ\n    pattern: い\n',
      'b.yml': 'imports: [a.yml]\nrules:\n  - expected: ロ\n    pattern: ろ\n',
    });
    const r = readConfigFile(join(dir, '.lgpolicy.json'));
    expect(r.problems).toEqual([]);
    expect(r.config.loadedDictionaries).toHaveLength(2);
    const f = findingsOf(doc('いろは。'), 'user-dictionary', { config: mergeConfig(r.config) });
    expect(f.map((x) => x.data?.to)).toEqual(['イ', 'ロ']);
  });

  it('reports an unreadable dictionary or import by name and checks without it', () => {
    const dir = workspace({
      '.lgpolicy.json': JSON.stringify({ dictionaries: ['missing.yml', 'ok.yml'] }),
      'ok.yml': 'imports: [gone.yml]\nrules:\n  - expected: イ\n    pattern: い\n',
    });
    const r = readConfigFile(join(dir, '.lgpolicy.json'));
    expect(r.problems).toHaveLength(2);
    expect(formatProblem(r.problems[0])).toContain('missing.yml を読めません（ファイルがありません）');
    expect(r.problems[0].key).toBe('dictionaries');
    expect(r.problems[1].key).toBe('imports');
    expect(r.problems[1].message).toContain('gone.yml');
    expect(findingsOf(doc('いろは。'), 'user-dictionary', { config: mergeConfig(r.config) })).toHaveLength(1);
  });
});

describe('the consistency family together', () => {
  const messy = doc(
    '本市は、Web会議を使う。本市の職員等は、WEB会議の手順を守る。自組織の情報を守る。',
    '総括情報セキュリティ責任者は、ISMAPとISMAPとＩＳＭＡＰとIsmapを確認する。',
    'ｾｷｭﾘﾃｨ対策として、サ－バ室とサーバを管理する。シャド-ITを防ぐ。不正プログラム対策と不正プログラムの対策。',
  );
  const dict = { source: '/ws/team.yml', text: 'rules:\n  - expected: 情報資産\n    pattern: /(?<!情報)資産/\n  - expected: Web会議\n    pattern: WEB会議\n' };
  const config = withDictionaries([dict]);

  it('never reports one span twice', () => {
    const f = analyze(messy, { config }).findings.filter((x) => OUR_RULES.includes(x.ruleId));
    expect(f.length).toBeGreaterThan(8);
    for (let i = 0; i < f.length; i++) {
      for (let j = i + 1; j < f.length; j++) {
        const overlap = f[i].span.start < f[j].span.end && f[j].span.start < f[i].span.end;
        expect(overlap ? `${f[i].ruleId}/${f[j].ruleId} at ${spanText(messy, f[i])}` : '').toBe('');
      }
    }
  });

  it('fix-all converges, and applying it twice equals applying it once', () => {
    const once = fixAll(messy, { config });
    const twice = fixAll(once.text, { config });
    expect(twice.text).toBe(once.text);
    expect(twice.applied).toBe(0);
    expect(once.analysis.findings.filter((x) => OUR_RULES.includes(x.ruleId))).toEqual([]);
    expect(once.text).toContain('本市は、Web会議を使う。本市の職員等は、Web会議の手順を守る。本市の情報を守る。');
    expect(once.text).toContain('統括情報セキュリティ責任者は、ISMAPとISMAPとISMAPとISMAPを確認する。');
    expect(once.text).toContain('セキュリティ対策として、サーバ室とサーバを管理する。シャドーITを防ぐ。不正プログラム対策と不正プログラム対策。');
  });

  it('is quiet on a well-written document', () => {
    const text = doc(
      '## 6.1 コンピュータ及びネットワークの管理',
      '(21) Web会議サービスの利用時の対策',
      '① 統括情報セキュリティ責任者は、本市のWeb会議サービスの利用手順を定めなければならない。',
      '② 職員等は、本市以外の者が主催するWeb会議に参加するときは、利用手順に従う。',
      '## 6.4 不正プログラム対策',
      '(1) 統括情報セキュリティ責任者は、サーバ及び端末に不正プログラム対策ソフトウェアを導入し、ISMAPクラウドサービスリストを参考にする。',
      '(2) 職員等は、シャドーITとなる外部サービスを使ってはならない。',
    );
    expect(analyze(text, { config: defaultConfig() }).findings.filter((x) => OUR_RULES.includes(x.ruleId))).toEqual([]);
  });
});
