import { describe, expect, it } from 'vitest';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { applyEdits, check, findingsOf, POLICY_HEAD } from './helpers';
import { mergeConfig } from '../../server/src/engine/config';
import { analyze } from '../../server/src/engine/engine';
import { Memo } from '../../server/src/engine/memo';
import { referenceStats } from '../../server/src/engine/model/references';
import { knowledge } from '../../server/src/knowledge';
import { STRUCTURE_RULES } from '../../server/src/engine/rules/structure';
import { UNDEFINED_TERM_IDS, definitionText, triggersFor } from '../../server/src/engine/rules/structure/undefined-term';
import { effortForm } from '../../server/src/engine/rules/structure/obligation-consistency';
import { nearestRoles } from '../../server/src/engine/rules/structure/unknown-role';

const STRUCTURE_IDS = STRUCTURE_RULES.map((r) => r.meta.id);
const structureFindings = (text: string, options = {}) => check(text, options).findings.filter((f) => STRUCTURE_IDS.includes(f.ruleId));
const doc = (...lines: string[]) => POLICY_HEAD + lines.join('\n') + '\n';

/** A complete, well-written 例規-style standard (written for these tests). */
const REIKI = [
  '---', 'lgpolicy: true', 'guideline: 令和7年3月', '---',
  '○あおば市情報セキュリティ対策規程', '',
  '第1章 総則', '',
  '（目的）', '第1条 この規程は、あおば市（以下「本市」という。）が保有する情報資産を脅威から守るため、職員等が守るべき対策の基準を定めるものとする。', '',
  '（定義）', '第2条 この規程において、次の各号に掲げる用語の意義は、当該各号に定めるところによる。',
  '(1) 情報資産　本市が保有する情報、情報システム及び電磁的記録媒体をいう。',
  '(2) 職員等　本市の職員、会計年度任用職員及び派遣労働者をいう。',
  '(3) EDR　端末の動作を記録して不審な挙動を見つけ、端末の隔離や原因の調査を助ける仕組みをいう。', '',
  '第2章 組織体制', '',
  '（最高情報セキュリティ責任者）', '第3条 本市に最高情報セキュリティ責任者（以下「CISO」という。）を置き、副市長をもって充てる。', '2 CISOは、本市の情報セキュリティ対策について最終的な権限と責任を有する。', '',
  '（統括情報セキュリティ責任者）', '第4条 本市に統括情報セキュリティ責任者を置き、デジタル推進部長をもって充てる。', '2 統括情報セキュリティ責任者は、CISOを補佐しなければならない。', '',
  '（情報セキュリティ推進者）', '第5条 各課に情報セキュリティ推進者を置き、課長補佐をもって充てる。', '2 情報セキュリティ推進者は、課の職員等に対し、この規程の内容を周知しなければならない。', '',
  '（CSIRT）', '第6条 CISOは、CSIRTを設置し、その構成員を指名する。', '2 CSIRTは、前項の構成員をもって組織し、情報セキュリティインシデントへの対応を取りまとめる。', '',
  '第3章 対策', '',
  '（不正プログラム対策）', '第7条 統括情報セキュリティ責任者は、庁内の端末にEDRを導入し、その警告を監視しなければならない。', '2 職員等は、前項の警告を受けたときは、直ちに端末をネットワークから切り離し、CSIRTに報告しなければならない。', '3 前項の報告は、別表第1に定める事項を含むものとする。', '',
  '（情報の送信）', '第8条 職員等は、自治体機密性2以上の情報を外部に送るときは、暗号化しなければならない。', '2 職員等は、第7条第2項に定める場合のほか、次の各号のいずれかに該当するときは、統括情報セキュリティ責任者に報告しなければならない。', '(1) 端末を紛失したとき。', '(2) 前号のほか、情報資産が漏えいしたおそれがあるとき。', '',
  '（推奨する対策）', '第9条 【推奨事項】職員等は、支給された端末で多要素認証を利用するよう努めなければならない。', '',
  '附則', 'この規程は、令和7年4月1日から施行する。', '',
  '別表第1（第7条関係）', '', '| 項目 | 内容 |', '| --- | --- |', '| 報告者 | 所属及び氏名 |', '| 発生日時 | 警告を受けた日時 |', '',
].join('\n');

/** The same kind of document in guideline layout, with a definitions table at the end. */
const GUIDELINE = [
  '---', 'lgpolicy: true', 'guideline: 令和7年3月', '---',
  '# かえで町情報セキュリティ対策基準', '',
  '## 1. 組織体制', '',
  '(1) 最高情報セキュリティ責任者', '', '① 副町長を最高情報セキュリティ責任者（以下「CISO」という。）とする。', '', '② CISOは、本町の情報セキュリティ対策について最終的な権限と責任を持つ。', '',
  '(2) 統括情報セキュリティ責任者', '', '① 総務課長を統括情報セキュリティ責任者とする。', '', '② 統括情報セキュリティ責任者は、CISOを補佐しなければならない。', '',
  '## 6. 技術的セキュリティ', '',
  '### 6.1 コンピュータ及びネットワークの管理', '',
  '(1) Web会議サービスの利用時の対策', '',
  '① 統括情報セキュリティ責任者は、Web会議サービスの利用手順を定めなければならない。', '',
  '② 職員等は、前号の利用手順に従い、会議の参加者と扱う情報に応じた対策を講じなければならない。', '',
  '③ 職員等は、自治体機密性2以上の情報を扱う会議では、E2E暗号化（通信の両端の端末だけが内容を復号できる暗号化）を有効にしなければならない。', '',
  '## 8. 業務委託と外部サービス（クラウドサービス）の利用', '',
  '### 8.3 外部サービス（クラウドサービス）の利用（自治体機密性2以上の情報を取り扱う場合）', '',
  '(1) 外部サービスの選定', '',
  '① 統括情報セキュリティ責任者は、外部サービスの選定に当たり、SLAの内容を確かめる手順を定めなければならない。', '',
  '② 手順の詳細は、「6.1 コンピュータ及びネットワークの管理」を参照すること。', '',
  '## 用語の定義', '',
  '| 用語 | 定義 |', '| --- | --- |',
  '| SLA | 外部サービスの提供者と利用者が合意する、稼働率や復旧時間などのサービスの水準をいう。 |',
  '| 職員等 | 本町の職員、会計年度任用職員及び派遣労働者をいう。 |', '',
].join('\n');

describe('structure rules on well-written policies', () => {
  it('report nothing on a complete 例規-style standard and a guideline-layout standard', () => {
    expect(structureFindings(REIKI).map((f) => `${f.ruleId}: ${f.message}`)).toEqual([]);
    expect(structureFindings(GUIDELINE).map((f) => `${f.ruleId}: ${f.message}`)).toEqual([]);
  });

  it('report nothing on the example regulation and the example excerpt', () => {
    for (const file of ['web-kaigi-kitei.md', 'taisaku-kijun.md']) {
      const text = fs.readFileSync(path.resolve(__dirname, '../../examples', file), 'utf8');
      expect(structureFindings(text).map((f) => `${file} ${f.ruleId}: ${f.message}`)).toEqual([]);
    }
  });

  it('have unique ids, LGP4xx aliases, a docs page and Japanese titles', () => {
    for (const r of STRUCTURE_RULES) {
      expect(r.meta.aliases.some((a) => /^LGP4[0-4][0-9]$/.test(a)), r.meta.id).toBe(true);
      expect(fs.existsSync(path.resolve(__dirname, '../../docs/rules', `${r.meta.id}.md`)), r.meta.id).toBe(true);
      expect(r.meta.title).toMatch(/[\u3040-\u30ff\u4e00-\u9fff]/);
    }
    expect(new Set(STRUCTURE_IDS).size).toBe(STRUCTURE_IDS.length);
  });
});

describe('undefined-term', () => {
  const rule = 'undefined-term';
  it('reports each undefined abbreviation once, at its first use in the body', () => {
    const text = doc('# 対策基準', '', '## 6.4 不正プログラム対策', '', '(1) 統括情報セキュリティ責任者は、端末にEDRを導入しなければならない。', '', '(2) EDRの警告はSOCに送る。セキュアブラウザを使う。', '', '(3) ISMAPクラウドサービスリストを確認する。', '');
    const f = findingsOf(text, rule);
    expect(f.map((x) => x.data?.term)).toEqual(['edr', 'soc', 'secure-browser', 'ismap']);
    expect(text.slice(f[0].span.start, f[0].span.end)).toBe('EDR');
    expect(f[0].span.start).toBe(text.indexOf('EDR'));
    expect(f[0].severity).toBe('info');
    expect(f[0].message).toContain('用語の定義に加える');
  });

  it('is quiet when the term is defined, explained in brackets, or described by its own section', () => {
    const defined = [
      doc('# 対策基準', '', 'EDRを導入する。', '', '## 用語の定義', '', '| 用語 | 定義 |', '| --- | --- |', '| EDR | 端末の挙動を監視する仕組みをいう。 |'),
      doc('# 対策基準', '', '端末の挙動を監視する仕組み（以下「EDR」という。）を導入する。EDRの警告を確認する。'),
      doc('# 対策基準', '', 'EDR（端末の挙動を監視する仕組み）を導入する。'),
      doc('# 対策基準', '', 'サービス品質保証（SLA）を確認する。SLAは契約に含める。'),
      doc('# 対策基準', '', '「SLA」とは、事業者と合意したサービスの水準をいう。SLAを確認する。'),
      doc('# 対策基準', '', '## CSIRTの設置', '', 'CISOは、CSIRTを設置し、その役割を定める。'),
      doc('第1条 この規程で使用する用語の意義は、情報セキュリティ基本方針で使用する用語の例による。', '第2条 職員等は、EDRの警告に従う。', '第3条 職員等は、規程を守る。'),
      doc('# 対策基準（抜粋）', '', 'EDRを導入する。'),
      doc('# 対策基準', '', '次の設定を使う。', '', '```', 'EDR=on', '```', '', '設定は `SIEM` に送る。'),
      doc('# 対策基準', '', '## EDRの導入', '', '端末を監視する。'),
      doc('# 対策基準', '', '端末の挙動を監視する仕組みであるEDRを導入する。'),
      doc('# 対策基準', '', 'EDRを導入する。', '', '## 略語', '', 'EDR：端末の挙動を監視する仕組み。'),
      doc('# 対策基準', '', 'EDRを導入する。', '', '| 略語 | 意味 |', '| --- | --- |', '| EDR | 端末の挙動を監視する仕組み |'),
    ];
    for (const t of defined) expect(findingsOf(t, rule), t).toEqual([]);
  });

  it('adds the definition as a new row of the definitions table', () => {
    const text = doc('# 対策基準', '', '外部サービスの選定ではSLAを確認する。', '', '## 用語の定義', '', '| 用語 | 定義 |', '| --- | --- |', '| 外部サービス | 事業者が提供する情報処理サービスをいう。 |');
    const [f] = findingsOf(text, rule);
    expect(f.fixes![0].safe).toBe(false);
    const fixed = applyEdits(text, f.fixes![0].edits);
    expect(fixed).toContain('| 外部サービス | 事業者が提供する情報処理サービスをいう。 |\n| SLA | Service Level Agreementの略で、');
    expect(findingsOf(fixed, rule)).toEqual([]);
    expect(findingsOf(fixed, 'unused-definition')).toEqual([]);
  });

  it('continues the numbering of a 定義 article and creates a 用語の定義 section when there is none', () => {
    const reiki = doc('（定義）', '第1条 この規程において、次の各号に掲げる用語の意義は、当該各号に定めるところによる。', '(1) 情報資産　本市の情報及び情報システムをいう。', '(2) 職員等　本市の職員をいう。', '', '（対策）', '第2条 職員等は、情報資産をBYODの端末で扱ってはならない。');
    const [f] = findingsOf(reiki, rule);
    const fixed = applyEdits(reiki, f.fixes![0].edits);
    expect(fixed).toContain('(2) 職員等　本市の職員をいう。\n(3) BYOD　Bring Your Own Deviceの略で、');
    expect(findingsOf(fixed, rule)).toEqual([]);
    expect(findingsOf(fixed, 'numbering-sequence')).toEqual([]);

    const numbered = doc('# 対策基準', '', '職員等は、EDRの警告を確かめる。', '', '## 用語の定義', '', '| 番号 | 用語 | 意味 |', '| --- | --- | --- |', '| 1 | 職員等 | 本市の職員をいう。 |');
    const [n] = findingsOf(numbered, rule);
    expect(applyEdits(numbered, n.fixes![0].edits)).toContain('| 1 | 職員等 | 本市の職員をいう。 |\n| 2 | EDR | Endpoint Detection and Responseの略で、');
    const spaced = doc('# 対策基準', '', '職員等は、EDRの警告を確かめる。', '', '## 用語の定義', '', '（1）職員等　本市の職員をいう。', '', '（2）端末　職員等が使うパソコンをいう。');
    const [sp] = findingsOf(spaced, rule);
    expect(applyEdits(spaced, sp.fixes![0].edits)).toContain('（2）端末　職員等が使うパソコンをいう。\n\n（3）EDR　Endpoint');

    const plain = doc('# 対策基準', '', '職員等は、MFAを使わなければならない。');
    const [g] = findingsOf(plain, rule);
    const created = applyEdits(plain, g.fixes![0].edits);
    expect(created).toMatch(/\n## 用語の定義\n\n\| 用語 \| 定義 \|\n\| --- \| --- \|\n\| MFA（多要素認証） \| .+をいう。 \|\n$/);
    expect(findingsOf(created, rule)).toEqual([]);
  });

  it('knows a short definition for every term it checks', () => {
    const kb = knowledge();
    for (const id of Object.keys(UNDEFINED_TERM_IDS)) {
      const term = kb.termById.get(id);
      expect(term, id).toBeDefined();
      expect(triggersFor(term!).length, id).toBeGreaterThan(0);
      const def = definitionText(term!) ?? "";
      expect(def, id).toMatch(/をいう。$/);
      expect(def, id).not.toMatch(/ください|なければならない|ですが/);
      expect(def.length, id).toBeLessThan(200);
    }
    // Self-explanatory names and English expansions do not trigger.
    expect(triggersFor(kb.termById.get('sla')!)).toEqual(['SLA']);
    expect(triggersFor(kb.termById.get('waf')!)).toEqual(['WAF']);
  });
});

describe('unused-definition', () => {
  const rule = 'unused-definition';
  it('reports a defined term that the document never uses, and removes its table row', () => {
    const text = doc('# 対策基準', '', '職員等は、外部サービスを承認を得て利用する。', '', '## 用語の定義', '', '| 用語 | 定義 |', '| --- | --- |', '| 外部サービス | 事業者が提供する情報処理サービスをいう。 |', '| 約款による外部サービス | 約款への同意だけで使えるサービスをいう。 |', '| 職員等 | 本市の職員をいう。 |');
    const f = findingsOf(text, rule);
    expect(f.map((x) => x.data?.term)).toEqual(['約款による外部サービス']);
    expect(f[0].severity).toBe('info');
    const fixed = applyEdits(text, f[0].fixes![0].edits);
    expect(fixed).not.toContain('約款による');
    expect(fixed).toContain('| 外部サービス | 事業者が提供する情報処理サービスをいう。 |\n| 職員等 |');
    expect(findingsOf(fixed, rule)).toEqual([]);
  });

  it('reports an unused inline abbreviation', () => {
    const text = doc('# 要綱', '', '最高情報セキュリティ責任者（以下「CISO」という。）は、方針を定める。最高情報セキュリティ責任者は、結果を確認する。');
    expect(findingsOf(text, rule).map((x) => x.data?.term)).toEqual(['CISO']);
  });

  it('is quiet for terms used in the body or in other definitions, alias forms, 基本方針 and partial documents', () => {
    const quiet = [
      doc('# 対策基準', '', '## 用語の定義', '', '| 用語 | 定義 |', '| --- | --- |', '| 機密性 | 認められた者だけが情報に触れられる状態をいう。 |', '| 情報セキュリティ | 機密性を維持することをいう。 |', '', '## 対策', '', '職員等は、情報セキュリティの確保に努める。'),
      doc('# 対策基準', '', '| 用語 | 定義 |', '| --- | --- |', '| CISO（最高情報セキュリティ責任者） | 副市長をいう。 |', '', 'CISOは、方針を定める。'),
      doc('# 情報セキュリティ基本方針', '', '## 2 定義', '', '(1) 無害化通信　危険な要素を取り除いてから渡す通信をいう。', '', '## 3 対策', '', '職員等は、対策基準に従う。'),
      doc('# 対策基準（抜粋）', '', '## 用語の定義', '', '(1) 不要語　使わない語をいう。'),
      doc('# 対策基準', '', '## 用語の定義', '', '(1) 職員等　本市の職員をいう。', '', '## 対策', '', '(1) 職員等は、情報資産の管理を'),
    ];
    for (const t of quiet) expect(findingsOf(t, rule), t).toEqual([]);
  });
});

describe('unknown-role', () => {
  const rule = 'unknown-role';
  it('reports misspelt or reordered guideline role titles and suggests the role', () => {
    const text = doc('# 対策基準', '', '## 5 運用', '', '情報セキュリティ統括者は、手順を定める。', '', '各課の情報システム管理責任者は、設定を記録する。', '', '情報セキュリティ統括責任者は、記録を確認する。', '', '各課の情報セキュリティ監理者は、職員を指導する。');
    const f = findingsOf(text, rule);
    expect(f.map((x) => text.slice(x.span.start, x.span.end))).toEqual(['情報セキュリティ統括者', '情報システム管理責任者', '情報セキュリティ統括責任者', '情報セキュリティ監理者']);
    expect(f.map((x) => x.data?.suggestion)).toEqual(['general-manager', 'system-manager', 'general-manager', 'security-manager']);
    expect(f[0].message).toContain('「統括情報セキュリティ責任者」の書き誤りではありませんか');
    let fixed = text;
    for (const x of [...f].reverse()) fixed = applyEdits(fixed, x.fixes![0].edits);
    expect(f.every((x) => x.fixes![0].safe === false)).toBe(true);
    expect(fixed).toContain('各課の情報セキュリティ管理者は');
    expect(findingsOf(fixed, rule)).toEqual([]);
  });

  it('leaves spelling slips that the consistency rules report to them', () => {
    const text = doc('# 対策基準', '', '総括情報セキュリティ責任者は、手順を見直す。情報セキュリテイ管理者は、職員を指導する。情報セキュリティー責任者は、部局を監督する。');
    expect(findingsOf(text, rule)).toEqual([]);
  });

  it('is quiet for guideline roles, aliases, ordinary subjects and roles the document establishes', () => {
    const quiet = [
      doc('# 対策基準', '', 'CISOは、方針を定める。副CISOは、CISOを補佐する。監査統括責任者は、計画を立てる。', '', '外部サービスの利用申請の許可権限者は、申請を審査する。情報セキュリティ対策委員会は、方針を決める。', '', '職員等は、規程を守る。事業者は、契約を守る。主催者は、参加者を確かめる。利用者は、端末を施錠する。'),
      doc('# 対策基準', '', '情報セキュリティ副管理者は、情報セキュリティ管理者を補佐する。情報化推進委員会は、計画を決める。'),
      doc('# 対策基準', '', '本市に情報セキュリティ統括者を置き、総務部長をもって充てる。', '', '情報セキュリティ統括者は、手順を定める。'),
      doc('# 対策基準', '', '（情報セキュリティ統括者）', '第1条 情報セキュリティ統括者は、手順を定める。'),
      doc('# 対策基準（抜粋）', '', '情報セキュリティ統括者は、手順を定める。'),
    ];
    for (const t of quiet) expect(findingsOf(t, rule), t).toEqual([]);
    expect(nearestRoles(knowledge(), '情報セキュリティ副管理者')).toEqual([]);
  });
});

describe('cross-reference-target', () => {
  const rule = 'cross-reference-target';
  const reiki = (...extra: string[]) => doc('（目的）', '第1条 この規程は、情報資産の保護について定める。前条の規定は適用しない。', '（責務）', '第2条 前項の規定にかかわらず、職員等は規程を守る。', '2 職員等は、第9条に定める手続に従う。', '3 職員等は、第1条第3項の規定に従う。', '(1) 前号に掲げる者', '(2) 前号に掲げる者以外の者', ...extra);
  it('reports 第N条 that cannot exist as an error and other missing targets as warnings', () => {
    const f = findingsOf(reiki('4 詳細は別表第2のとおりとする。'), rule);
    expect(f.map((x) => [x.data?.reference, x.severity])).toEqual([
      ['前条', 'warning'], ['前項', 'warning'], ['第9条', 'error'], ['第1条第3項', 'warning'], ['前号', 'warning'], ['別表第2', 'warning'],
    ]);
    expect(f[2].message).toContain('第1条から第2条まで');
  });

  it('is quiet for references to other documents, existing targets, documents without articles and excerpts', () => {
    const quiet = [
      doc('第1条 この規程は、地方公務員法第34条及び個人情報の保護に関する法律第66条に基づき定める。', '第2条 前条の規定は、職員等に適用する。', '2 前項の職員等は、規則第3条に定める者とする。', '3 詳細は別表第1のとおりとする。', '(1) 端末', '(2) 前号以外の機器', '', '別表第1', '', '| 項目 | 内容 |', '| --- | --- |', '| 端末 | 庁内の端末 |'),
      doc('# 実施手順', '', '第5条に定める手続は、対策基準による。'),
      doc('# 対策基準（抜粋）', '', '第1条 職員等は、第9条に従う。'),
      doc('# 対策基準', '', '(1) 手順', '', '① 手順を定める。', '', '② 前号の手順に従う。'),
      doc('# テレワーク実施手順', '', '## 1 その他', '', '定めのない事項は、対策基準「5.1 職員等の遵守事項」を参照すること。'),
      doc('第1条 職員等は、第9条に従う。', '第2条 職員等は、別表第3に定める'),
    ];
    for (const t of quiet) expect(findingsOf(t, rule), t).toEqual([]);
  });

  it('finds the same missing targets in the language server while the articles are typed into (前条, 次条, 附則)', () => {
    let text = doc('第1条 前条の規定は適用しない。', '', '第2条 職員等は、第1条に従う。', '', '第3条 次条に定める手続に従う。', '', '附則', '', '第1条 この規程は、公布の日から施行する。前条の例による。');
    const memo = new Memo(true);
    const refs = () => {
      const incremental = analyze(text, { memo }).findings.filter((f) => f.ruleId === rule);
      expect(incremental).toEqual(analyze(text).findings.filter((f) => f.ruleId === rule));
      return incremental.map((f) => f.data?.reference);
    };
    expect(refs()).toEqual(['前条', '次条']);
    for (const ch of 'あい') {
      const at = text.indexOf('職員等は、') + 2;
      text = text.slice(0, at) + ch + text.slice(at);
      expect(refs()).toEqual(['前条', '次条']);
    }
    // An article added after the last one: 次条 finds its article.
    const last = text.indexOf('\n\n附則');
    text = `${text.slice(0, last)}\n\n第4条 手続は別に定める。${text.slice(last)}`;
    expect(refs()).toEqual(['前条']);
    // 附則 renamed: its articles count as main provisions (第1条 twice: 前条 in the second one finds 第4条).
    text = text.replace('\n附則\n', '\n附属\n');
    expect(refs()).toEqual(['前条']);
  });

  it('finds the targets of every reference again when an edit breaks or mends an article\'s number, without reading every clause', () => {
    // A 例規 in chapters: an edit in 第2章 builds that chapter again; the references in 第3章 point into it.
    let text = doc('# 試験市情報セキュリティ規程', '', '第1章 総則', '', '第1条 この規程は、情報資産の保護について定める。', '', '第2条 前条の規定は、職員等に適用する。', '', '第2章 運用', '', '第3条 職員等は、手順を守る。', '', '第4条 職員等は、記録を残す。', '', '第3章 雑則', '', '第5条 第3条及び第4条の規定は、委託先にも適用する。前条の記録は5年間保存する。');
    const memo = new Memo(true);
    const targets = () => {
      const a = analyze(text, { memo });
      const fresh = analyze(text);
      const of = (x: typeof a) => x.doc.references.map((r) => [r.text, r.span.start, r.target?.title ?? null]);
      expect(of(a)).toEqual(of(fresh));
      expect(a.findings.filter((f) => f.ruleId === rule)).toEqual(fresh.findings.filter((f) => f.ruleId === rule));
      return of(a).map(([t, , target]) => `${t}→${target ?? '-'}`);
    };
    expect(targets()).toEqual(['前条→この規程は、情報資産の保護について定める。', '第3条→職員等は、手順を守る。', '第4条→職員等は、記録を残す。', '前条→職員等は、記録を残す。']);
    const before = referenceStats.retargeted;
    // 第3条 → 第あ3条: no longer an article, so 第3条 in 第3章 points nowhere (and 第5条 is the fourth article).
    const at = text.indexOf('第3条 職員等') + 1;
    text = text.slice(0, at) + 'あ' + text.slice(at);
    expect(targets()).toEqual(['前条→この規程は、情報資産の保護について定める。', '第3条→-', '第4条→職員等は、記録を残す。', '前条→職員等は、記録を残す。']);
    text = text.slice(0, at) + text.slice(at + 1);
    expect(targets()[1]).toBe('第3条→職員等は、手順を守る。');
    expect(referenceStats.retargeted - before, 'references found again from their sentences').toBe(2);
  });

  it('checks section paths quoted with 「…」を参照 and fixes a shifted number', () => {
    const text = doc('# 対策基準', '', '## 2. 情報資産の分類と管理', '', '(2) 情報資産の管理', '', '④ 情報資産の廃棄', '', '廃棄は手順に従う。', '', '## 8. 外部サービス', '', '廃棄の方法は「2. 情報資産の分類と管理 (2) 情報資産の管理 ⑩情報資産の廃棄」を参照すること。存在しない手順は「6.9 記録の保管」を参照すること。');
    const f = findingsOf(text, rule);
    expect(f).toHaveLength(2);
    expect(f[0].message).toContain('この文書の「情報資産の廃棄」は④です');
    expect(f[1].message).toContain('「記録の保管」という節や項目が見当たりません');
    const fixed = applyEdits(text, f[0].fixes![0].edits);
    expect(fixed).toContain('(2) 情報資産の管理 ④情報資産の廃棄」を参照');
    expect(findingsOf(fixed, rule)).toHaveLength(1);
  });
});

describe('numbering-mixed-style', () => {
  const rule = 'numbering-mixed-style';
  it('reports a list that switches numbering style and aligns it to the list', () => {
    const text = doc('# 対策基準', '', '## 5.1 遵守事項', '', '(1) 規程を守る。', '２） 端末を管理する。', '３） 記録を残す。', '(4) 報告する。');
    const f = findingsOf(text, rule);
    expect(f).toHaveLength(1);
    expect(f[0].message).toContain('「２）」は「(1)」の並びの続きの番号');
    const fixed = applyEdits(text, f[0].fixes![0].edits);
    expect(fixed).toContain('(1) 規程を守る。\n(2) 端末を管理する。\n(3) 記録を残す。\n(4) 報告する。');
    expect(findingsOf(fixed, rule)).toEqual([]);
    expect(findingsOf(fixed, 'numbering-sequence')).toEqual([]);
  });

  it('is quiet for normal nesting in both layouts', () => {
    const quiet = [
      doc('# 対策基準', '', '(1) 報告', '① 所属長に報告する。', '② 記録する。', '(2) 事後の対応', '(ア) 原因を調べる。', '(イ) 再発を防ぐ。', '(3) 訓練', 'ア 年に一度行う。'),
      doc('第1条 次に掲げる。', '(1) 号', 'イ 一', 'ロ 二', '(2) 号', 'ア 一', 'イ 二', '2 前項の規定は適用する。'),
      doc('# 手順', '', '1. 準備', '2. 実施', '   - ① 確認する', '3. 記録'),
    ];
    for (const t of quiet) expect(findingsOf(t, rule), t).toEqual([]);
  });
});

describe('revision-terms', () => {
  const rule = 'revision-terms';
  const r6 = (...lines: string[]) => ['---', 'lgpolicy: true', 'guideline: 令和6年10月', '---', ...lines].join('\n') + '\n';
  it('reports old classification terms in a 令和6年10月版 document, fixing only the unambiguous ones', () => {
    const text = r6('# 対策基準', '', '機密性2以上の情報は暗号化する。機密性3の情報は持ち出さない。機密性2の情報は庁内で扱う。');
    const f = findingsOf(text, rule);
    expect(f.map((x) => x.data?.term)).toEqual(['機密性2以上', '機密性3', '機密性2']);
    expect(f[0].fixes![0].safe).toBe(false);
    expect(f[1].fixes).toEqual([]);
    expect(f[1].message).toContain('3A・3B・3C');
    const fixed = applyEdits(text, f[0].fixes![0].edits);
    expect(fixed).toContain('自治体機密性2以上の情報は暗号化する');
    expect(findingsOf(fixed, rule).map((x) => x.data?.term)).toEqual(['機密性3', '機密性2']);
  });

  it('reports renumbered 8.x references and headings, saying the numbering is inferred', () => {
    const text = r6('# 対策基準', '', '## 8.2 外部サービスの利用（自治体機密性2以上の情報を取り扱う場合）', '', '規定はガイドラインの8.2(1) 外部サービスの利用に係る規定の整備に沿って定める。');
    const f = findingsOf(text, rule);
    expect(f).toHaveLength(2);
    expect(f.every((x) => x.message.includes('推定'))).toBe(true);
    expect(f[0].fixes).toEqual([]);
    const fixed = applyEdits(text, f[1].fixes![0].edits);
    expect(fixed).toContain('ガイドラインの8.3(1) 外部サービス');
  });

  it('reports old terms mixed with new ones, and follows the configured revision', () => {
    const mixed = doc('# 対策基準', '', '自治体機密性3Aの情報は持ち出さない。機密性2以上の情報は暗号化する。');
    expect(findingsOf(mixed, rule).map((x) => x.data?.term)).toEqual(['機密性2以上']);
    const plain = POLICY_HEAD + '# 対策基準\n\n機密性2以上の情報は暗号化する。\n';
    expect(findingsOf(plain, rule, { config: mergeConfig({ guideline: 'R7.3' }) })).toHaveLength(1);
  });

  it('is quiet for documents that consistently follow an older revision, and for sentences about the change', () => {
    const quiet = [
      doc('# 対策基準', '', '機密性2以上の情報は暗号化する。機密性3の情報は持ち出さない。', '', '## 8.2 外部サービスの利用（機密性2以上の情報を取り扱う場合）'),
      ['---', 'lgpolicy: true', 'guideline: 令和5年3月', '---', '# 対策基準', '', '機密性2以上の情報は暗号化する。自治体機密性という語は使わない。'].join('\n'),
      r6('# 対策基準', '', '旧区分の機密性2以上に当たる情報は、自治体機密性2以上として扱う。自治体機密性3Aの情報は持ち出さない。', '', '## 8.3 外部サービス（クラウドサービス）の利用（自治体機密性2以上の情報を取り扱う場合）'),
      r6('# 対策基準', '', '| 区分 | 情報 |', '| --- | --- |', '| A | 秘密文書に相当する情報（機密性3、自治体機密性3A等） |'),
    ];
    for (const t of quiet) expect(findingsOf(t, rule), t).toEqual([]);
  });
});

describe('obligation-consistency', () => {
  const rule = 'obligation-consistency';
  it('reports 【推奨事項】 written as a duty, before or after the sentence, with two fixes', () => {
    const text = doc('# 対策基準', '', '① 【推奨事項】職員等は、多要素認証を利用しなければならない。', '', '② 職員等は、暗号化された通信を監視のために復号しなければならない。【推奨事項】', '', '③ 【推奨事項】職員等は、私物の端末を使ってはならない。');
    const f = findingsOf(text, rule);
    expect(f).toHaveLength(3);
    expect(f[0].message).toContain('「利用しなければならない」と義務の形');
    expect(f.map((x) => x.fixes!.length)).toEqual([2, 2, 1]);
    const removed = applyEdits(text, f[0].fixes![0].edits);
    expect(removed).toContain('① 職員等は、多要素認証を利用しなければならない。');
    const effort = applyEdits(text, f[1].fixes![1].edits);
    expect(effort).toContain('② 職員等は、暗号化された通信を監視のために復号するよう努めなければならない。【推奨事項】');
    let fixed = text;
    for (const x of [...f].reverse()) fixed = applyEdits(fixed, x.fixes![0].edits);
    expect(findingsOf(fixed, rule)).toEqual([]);
    expect(findingsOf(effort, rule)).toHaveLength(2);
  });

  it('reports 「しなければならないことが望ましい」', () => {
    const f = findingsOf(doc('# 対策基準', '', '職員等は、定期的に訓練を受けなければならないことが望ましい。'), rule);
    expect(f).toHaveLength(1);
    expect(f[0].message).toContain('「受けなければならないことが望ましい」');
  });

  it('is quiet for recommendations written as such and duties without the mark', () => {
    const quiet = doc('# 対策基準', '', '① 【推奨事項】職員等は、多要素認証を利用することが望ましい。', '', '② 【推奨事項】職員等は、端末を施錠するよう努めなければならない。', '', '③ 職員等は、端末を施錠しなければならない。', '', '④ 推奨事項に関する記録は保存しなければならない。');
    expect(findingsOf(quiet, rule)).toEqual([]);
  });

  it('turns the duty ending into an effort only when the verb form is clear', () => {
    expect(['し', 'わ', 'け', 'ら', 'め'].map(effortForm)).toEqual(['する', 'う', 'ける', 'る', 'める']);
    expect(effortForm('得')).toBeUndefined();
    expect(effortForm('で')).toBeUndefined();
  });
});
