/** Renders docs/rules/index.md from the rules' own metadata. */
import type { Rule } from '../engine/types';
import { SEVERITY_LABELS } from '../engine/types';

const FAMILY: Record<string, string> = {
  structure: '構成・番号・参照',
  conformance: 'ガイドラインへの適合',
  wording: '誤解を招く書き方',
  consistency: '表記ゆれ・用語',
  revision: 'ガイドラインの版',
};

export function renderRulesIndex(rules: Rule[]): string {
  const out = ['# LG Policy のルール一覧', '', 'このページは `npm run docs` でルールの定義から生成しています。直接編集しないでください。', ''];
  const groups = new Map<string, Rule[]>();
  for (const r of rules) {
    const tag = r.meta.tags.find((t) => t in FAMILY) ?? 'structure';
    groups.set(tag, [...(groups.get(tag) ?? []), r]);
  }
  for (const [tag, list] of [...groups].sort((a, b) => Object.keys(FAMILY).indexOf(a[0]) - Object.keys(FAMILY).indexOf(b[0]))) {
    out.push(`## ${FAMILY[tag]}`, '', '| ルールID | 内容 | 既定の重要度 | 自動修正 | 別名 |', '| --- | --- | --- | --- | --- |');
    for (const r of list) out.push(`| [${r.meta.id}](${r.meta.id}.md) | ${r.meta.title} | ${SEVERITY_LABELS[r.meta.defaultSeverity]} | ${r.meta.fixable ? 'あり' : 'なし'} | ${r.meta.aliases.map((a) => `\`${a}\``).join(' ')} |`);
    out.push('');
  }
  out.push(
    '## 設定と抑止',
    '',
    'ルールの有効・無効と重要度は、VS Code の設定 `lgpolicy.rules` またはワークスペースの `.lgpolicy.json` の `rules` で変えられます（値は `true` / `false` / `"off"` / `"error"` / `"warning"` / `"info"` / `"hint"`）。ルールIDの代わりに別名も使えます。',
    '',
    '文書の中で一時的に止めるには、次のコメントを書きます。',
    '',
    '```markdown',
    '<!-- lgpolicy-disable-next-line encryption-or-password -->',
    '<!-- lgpolicy-disable numbering-sequence -->',
    '…',
    '<!-- lgpolicy-enable numbering-sequence -->',
    '```',
    '',
    '自動修正が「あり」のルールのうち、意味を変えない置き換え（安全な修正）は「安全に直せる問題をすべて修正」と `lgpolicy check --fix` で一括して適用されます。それ以外の修正（モデル条文の挿入や言い換え）は、内容を確かめてから一つずつ適用してください。',
    '',
  );
  return out.join('\n');
}
