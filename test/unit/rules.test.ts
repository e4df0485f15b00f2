import { describe, expect, it } from 'vitest';
import { applyEdits, check, findingsOf, POLICY_HEAD } from './helpers';
const findingsOfAll = findingsOf;
import { mergeConfig } from '../../server/src/engine/config';
import { encryptionOrPassword } from '../../server/src/engine/rules/encryption-or-password';

describe('numbering-sequence', () => {
  const rule = 'numbering-sequence';
  it('reports a gap, a duplicate and a reversal with what to do', () => {
    const f = findingsOf(POLICY_HEAD + ['# 対策基準', '', '(1) 一', '', '(2) 二', '', '(4) 四', '', '① a', '① b', '', '(5) 五', '', '(3) 三'].join('\n'), rule);
    expect(f.map((x) => x.message.split('。')[0])).toEqual(['(2) の次が (4) です', '① が重複しています（① と同じ番号）', '(5) の次が (3) になっていて、番号が逆順です']);
  });

  it('checks 例規 articles across chapters, restarts 節 per chapter, and expects paragraph 2 first', () => {
    const text = POLICY_HEAD + ['第1章 総則', '第1節 通則', '第1条 目的', '第2条 定義', '第2章 組織', '第1節 体制', '第4条 CISO', '3 項', '附則', '第1条 施行'].join('\n');
    const f = findingsOf(text, rule);
    expect(f.map((x) => x.message.split('。')[0])).toEqual([
      '第2条 の次が 第4条 です',
      '条の2番目の項は「2」から始まります（1項目は条の本文）が、3 になっています',
    ]);
  });

  it('is quiet for correct numbering in both layouts, lazy Markdown lists and 第N条の2', () => {
    const text = POLICY_HEAD + ['# 規程', '', '第1条 目的', '第1条の2 特例', '第2条 定義', '2 二項', '3 三項', '(1) 号', '(2) 号', 'ア 細目', 'イ 細目', '', '1. a', '1. b', '1. c', '', '## 6.1 管理', '', '### 6.1.1 細目', '', '### 6.1.2 細目', '', '(ア) x', '(イ) y', 'イ 一', 'ロ 二'].join('\n');
    expect(findingsOf(text, rule)).toEqual([]);
  });

  it('in an excerpt ignores gaps between sections but not inside one clause list', () => {
    const text = POLICY_HEAD + ['# 対策基準（抜粋）', '', '## 6. 技術的セキュリティ', '', '(14) 電子メール', '', '① 一', '', '(21) Web会議', '', '① 一', '', '② 二', '', '④ 四', '', '## 8. 外部'].join('\n');
    const f = findingsOf(text, rule);
    expect(f).toHaveLength(1);
    expect(f[0].message).toContain('② の次が ④');
  });

  it('offers renumbering for list levels and the result has no numbering finding', () => {
    const text = POLICY_HEAD + ['# 対策基準', '', '（１）一', '（２）二', '（４）四', '（５）五'].join('\n');
    const f = findingsOf(text, rule);
    expect(f).toHaveLength(1);
    const fixed = applyEdits(text, f[0].fixes![0].edits);
    expect(fixed).toContain('（３）四\n（４）五');
    expect(findingsOf(fixed, rule)).toEqual([]);
  });
});

describe('encryption-or-password', () => {
  const rule = 'encryption-or-password';
  it('finds the wording in its variants and fixes it to 暗号化', () => {
    const text = POLICY_HEAD + '# 規程\n\n職員等は、暗号化又はパスワード設定を行う。ファイルは暗号化またはパスワードの設定をする。パスワード設定又は暗号化を行う。\n';
    const f = findingsOf(text, rule);
    expect(f).toHaveLength(3);
    expect(f[0].message).toContain('パスワードだけでは');
    const fixed = applyEdits(text, f.flatMap((x) => x.fixes![0].edits));
    expect(fixed).toContain('職員等は、暗号化を行う。ファイルは暗号化をする。暗号化を行う。');
    expect(findingsOf(fixed, rule)).toEqual([]);
  });

  it('does not fire on near misses', () => {
    const text = POLICY_HEAD + '# 規程\n\n暗号化を行い、パスワードは別の経路で伝える。暗号化又はパスワード設定のみで済ませてはならない。\n\n```\n暗号化又はパスワード設定\n```\n';
    expect(findingsOf(text, rule)).toEqual([]);
  });
});

describe('required-elements (外部サービスの利用に係る規定の整備)', () => {
  const rule = 'required-elements';
  // Only the (1) part is written in these documents: look at its findings.
  const findingsOf = (text: string, r: string) => findingsOfAll(text, r).filter((f) => r !== 'required-elements' || f.data?.part === 'external-service-rules');
  const guideline = (items: string[]) => POLICY_HEAD + ['# 情報セキュリティ対策基準', '', '## 8.3 外部サービス（クラウドサービス）の利用（自治体機密性2以上の情報を取り扱う場合）', '', '(1) 外部サービスの利用に係る規定の整備', '', '統括情報セキュリティ責任者は、次の事項を定めなければならない。', '', ...items.flatMap((i) => [i, '']), '(2) 外部サービスの選定', '', '① 利用を判断する。'].join('\n');
  const complete = [
    '① 外部サービス利用判断基準（外部サービスを利用できる業務と情報の範囲）',
    '② 外部サービス提供者の選定基準',
    '③ 利用申請の許可権限者と利用手続',
    '④ 外部サービスごとの外部サービス管理者の指名と利用状況の管理',
  ];

  it('is quiet for a complete section, also when written in other words', () => {
    expect(findingsOf(guideline(complete), rule)).toEqual([]);
    const paraphrased = ['① どの業務で外部サービスを利用できるか、その利用の可否を判断する基準', '② 事業者を選定するときの条件', '③ 利用申請を承認する者と申請の手続', '④ サービスごとに管理する担当者を指名し、利用状況を記録すること'];
    expect(findingsOf(guideline(paraphrased), rule)).toEqual([]);
  });

  it('reports exactly the removed element, each in turn, at the section heading', () => {
    const labels = ['外部サービス利用判断基準', '外部サービス提供者の選定基準', '利用申請の許可権限者及び利用手続', '外部サービス管理者の指名及び利用状況の管理'];
    complete.forEach((_, i) => {
      const text = guideline(complete.filter((__, j) => j !== i));
      const f = findingsOf(text, rule);
      expect(f.map((x) => x.message.match(/「([^」]+)」が見当たりません/)?.[1])).toEqual([labels[i]]);
      expect(text.slice(f[0].span.start, f[0].span.end)).toBe('(1) 外部サービスの利用に係る規定の整備');
      expect(f[0].message).toContain('ガイドライン令和7年3月版 8.3(1)');
    });
  });

  it('quick fix inserts the model clause with the next number and the element is then present', () => {
    const text = guideline([complete[0], complete[1], complete[3].replace('④', '③')]);
    const f = findingsOf(text, rule)[0];
    const fixed = applyEdits(text, f.fixes![0].edits);
    // Inserted in guideline order (③ before the manager clause, which becomes ④).
    expect(fixed).toMatch(/② 外部サービス提供者の選定基準\n\n③ .*許可権限者.*\n\n④ 外部サービスごとの外部サービス管理者の指名と利用状況の管理/);
    expect(findingsOf(fixed, rule)).toEqual([]);
    expect(findingsOf(fixed, 'numbering-sequence')).toEqual([]);
  });

  it('cites the old section number for a 令和5年3月 document and uses its classification wording', () => {
    const text = guideline([complete[1], complete[2], complete[3]]).replace('8.3 外部サービス（クラウドサービス）の利用（自治体機密性2以上', '8.2 外部サービスの利用（機密性2以上');
    const f = findingsOf(text, rule);
    expect(f[0].message).toContain('令和5年3月版 8.2(1)');
  });

  it('works in 例規 layout and resolves the organisation placeholder to the document’s own', () => {
    const text = POLICY_HEAD + ['# 東西町情報セキュリティ対策基準', '', '第8章 外部サービスの利用', '', '（外部サービスの利用に係る規定の整備）', '第40条 統括情報セキュリティ責任者は、本町における外部サービスの利用について、次に掲げる事項を定めなければならない。', '(1) 外部サービス利用判断基準', '(2) 外部サービス提供者の選定基準', '(3) 外部サービス管理者の指名及び利用状況の管理'].join('\n');
    const f = findingsOf(text, rule);
    expect(f).toHaveLength(1);
    const fixed = applyEdits(text, f[0].fixes![0].edits);
    expect(fixed).toMatch(/\n\(2\) 外部サービス提供者の選定基準\n\(3\) .*許可権限者.*\n\(4\) 外部サービス管理者の指名/);
    expect(fixed).not.toMatch(/\$\{|\$\d/);
    expect(findingsOf(fixed, rule)).toEqual([]);
  });

  it('leaves the section for services that do not handle 機密性2以上 information alone', () => {
    const text = POLICY_HEAD + ['# 対策基準', '', '## 8.4 外部サービスの利用（自治体機密性2以上の情報を取り扱わない場合）', '', '(1) 外部サービスの利用に係る規定の整備', '', '利用手続を定める。'].join('\n');
    // (A full 対策基準 without an 8.3 gets an information note that the topic is absent; no element is claimed missing.)
    expect(findingsOfAll(text, rule).filter((f) => f.data?.section === 'external-service-sensitive' && f.data?.missing !== 'section')).toEqual([]);
  });
});

describe('policy recognition, configuration and suppression', () => {
  const bad = '# 情報セキュリティ実施手順\n\n(1) 一\n\n(3) 三\n\n暗号化又はパスワード設定を行う。\n';

  it('checks nothing in a document that is not a policy document', () => {
    expect(check('# my-tool\n\n(1) a\n\n(3) b\n\n暗号化又はパスワード設定\n').findings).toEqual([]);
    expect(check('---\nlgpolicy: false\n---\n' + bad).findings).toEqual([]);
    expect(check(bad, { globMatch: 'exclude' }).findings).toEqual([]);
    expect(check('# memo\n\n(1) a\n\n(3) b\n', { globMatch: 'include' }).findings).toHaveLength(1);
  });

  it('honours rule on/off and severity from the configuration', () => {
    const config = mergeConfig({ rules: { 'numbering-sequence': { enabled: false }, 'encryption-or-password': { enabled: true, severity: 'error' } } });
    const f = check(bad, { config }).findings;
    expect(f.map((x) => [x.ruleId, x.severity])).toEqual([['encryption-or-password', 'error']]);
  });

  it('honours disable, enable and disable-next-line comments by id or alias', () => {
    const text = ['# 情報セキュリティ実施手順', '', '<!-- lgpolicy-disable numbering -->', '(1) 一', '', '(3) 三', '<!-- lgpolicy-enable -->', '', '<!-- lgpolicy-disable-next-line encryption-or-password -->', '暗号化又はパスワード設定を行う。', '', '暗号化又はパスワード設定を行う。'].join('\n');
    const f = check(text).findings;
    expect(f.map((x) => [x.ruleId, check(text).lines.lineAt(x.span.start)])).toEqual([['encryption-or-password', 11]]);
  });

  it('isolates a rule that throws: the others still report and one finding names it', () => {
    const boom = { meta: { id: 'boom', aliases: [], title: 't', defaultSeverity: 'warning' as const, fixable: false, scope: 'document' as const, tags: [], guideline: [], seeds: [] }, check: () => { throw new Error('kaboom'); } };
    const a = check(bad, { rules: [boom, encryptionOrPassword] });
    expect(a.findings.map((f) => f.ruleId).sort()).toEqual(['encryption-or-password', 'internal-error']);
    expect(a.findings.find((f) => f.ruleId === 'internal-error')!.message).toContain('「boom」');
    expect(a.findings.find((f) => f.ruleId === 'internal-error')!.message).not.toContain('kaboom');
    expect(a.failures[0].error).toContain('kaboom');
  });
});

describe('required-elements inside a broad chapter', () => {
  it('checks 8.3 but not 8.1 or the 8.4 variant that shares the chapter', () => {
    const text = POLICY_HEAD + ['# 対策基準', '', '## 8. 業務委託と外部サービス（クラウドサービス）の利用', '', '### 8.1 業務委託', '', '(1) 業務委託に係る規定の整備', '', '① 委託先の選定基準を定める。', '',
      '### 8.3 外部サービス（クラウドサービス）の利用（自治体機密性2以上の情報を取り扱う場合）', '', '(1) 外部サービスの利用に係る規定の整備', '', '① 外部サービス利用判断基準', '', '② 外部サービス提供者の選定基準', '', '③ 外部サービスごとに外部サービス管理者を指名し利用状況を管理する', '',
      '### 8.4 外部サービス（クラウドサービス）の利用（自治体機密性2以上の情報を取り扱わない場合）', '', '(1) 外部サービスの利用に係る規定の整備', '', '① 利用手続を定める。'].join('\n');
    const f = findingsOf(text, 'required-elements').filter((x) => x.data?.part === 'external-service-rules');
    expect(f.map((x) => x.data?.element)).toEqual(['approval-authority-procedure']);
    const at = f[0].span.start;
    expect(text.slice(at, f[0].span.end)).toBe('(1) 外部サービスの利用に係る規定の整備');
    expect(at).toBeGreaterThan(text.indexOf('### 8.3'));
    expect(at).toBeLessThan(text.indexOf('### 8.4'));
  });
});

describe('encryption-or-password: mentions', () => {
  it('does not fire on the phrase quoted as a mention', () => {
    expect(findingsOf(POLICY_HEAD + '# 規程\n\n「暗号化又はパスワード設定」という書き方は使わない。\n', 'encryption-or-password')).toEqual([]);
  });
});

describe('numbering-sequence and mixed styles', () => {
  it('leaves one list written in mixed styles to numbering-mixed-style', () => {
    const text = POLICY_HEAD + '# 対策基準\n\n(1) 一\n２） 二\n３） 三\n(4) 四\n';
    expect(findingsOf(text, 'numbering-sequence')).toEqual([]);
    expect(findingsOf(text, 'numbering-mixed-style').length).toBeGreaterThan(0);
  });
});

describe('revision switching changes the requirement set', () => {
  it('asks for the 令和7年3月 wireless-LAN and screen-transfer elements only in a 令和7年3月 document', async () => {
    const { knowledge } = await import('../../server/src/knowledge');
    const r7only = knowledge().requirements.flatMap((s) => s.parts.flatMap((p) => p.elements.filter((e) => e.revisions && !e.revisions.includes('R5.3')).map((e) => `${s.id}/${e.id}`)));
    expect(r7only.length).toBeGreaterThan(0);
    const doc = (g: string) => `---\nlgpolicy: true\nguideline: ${g}\n---\n# 対策基準（抜粋）\n\n## 3 情報システム全体の強靱性の向上\n\n(1) マイナンバー利用事務系\n\n① 他の領域との通信をできないようにする。\n`;
    const ids = (g: string) => new Set(findingsOfAll(doc(g), 'required-elements').map((f) => `${f.data?.section}/${f.data?.element}`));
    const r5 = ids('R5.3');
    const r7 = ids('R7.3');
    const added = [...r7].filter((x) => !r5.has(x));
    expect(added.length).toBeGreaterThan(0);
    expect(added.every((x) => r7only.includes(x))).toBe(true);
  });
});
