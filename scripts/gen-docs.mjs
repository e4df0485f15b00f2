// Generates docs/requirements.md — every guideline section LG Policy checks, its parts and
// required elements, with the guideline number per revision, confidence and rationale.
// `npm run docs` writes it; the tests fail when it is out of date.
import { writeFileSync, readFileSync, existsSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadKnowledgeFolder } from './knowledge-tools.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const LABEL = { 'R4.3': '令和4年3月版', 'R5.3': '令和5年3月版', 'R6.10': '令和6年10月版', 'R7.3': '令和7年3月版' };
const CONF = { confirmed: '確認済み', inferred: '推定', unverified: '未検証' };

export function renderRequirements() {
  const sections = loadKnowledgeFolder('requirements');
  const out = ['# LG Policy が検査するガイドラインの要素', '', 'このページは `npm run docs` で `server/knowledge/requirements/` から生成しています。直接編集しないでください。', '',
    '確度: **確認済み** = 公開資料で確認した事実、**推定** = 確認済みの事実からの推定、**未検証** = ガイドライン本文での確認が必要な事項。未検証の要素は、自団体の規程に使う前にガイドライン本文で確かめてください。', ''];
  for (const s of sections) {
    const numbers = s.sections.map((r) => `${r.revisions.map((v) => LABEL[v]).join('・')}: ${r.section}`).join(' ／ ');
    out.push(`## ${s.title}`, '', `- ID: \`${s.id}\`（${s.kind === 'procedure' ? '手順書そのものとして検査' : '節として検査'}）`, `- ガイドラインの位置: ${numbers}`);
    if (s.revisions) out.push(`- 対象の版: ${s.revisions.map((v) => LABEL[v]).join('・')}`);
    out.push(`- モデル（スニペット）: \`${s.snippet}\``, `- 確度: ${CONF[s.confidence]}`, '');
    for (const p of s.parts) {
      out.push(`### ${p.item ? `${p.item} ` : ''}${p.title}${p.revisions ? `（${p.revisions.map((v) => LABEL[v]).join('・')}のみ）` : ''}`, '', '| 項番 | 要素 | 確度 | 理由 | 意見・質問 | モデル条文 |', '| --- | --- | --- | --- | --- | --- |');
      for (const e of p.elements) {
        out.push(`| ${p.item}${e.item ?? ''} | ${e.label}${e.revisions ? `（${e.revisions.map((v) => LABEL[v]).join('・')}）` : ''} | ${CONF[e.confidence]} | ${e.rationale.replace(/\|/g, '｜')} | ${(e.seeds ?? []).join('、')} | \`${e.snippet}\` |`);
      }
      out.push('');
    }
  }
  return out.join('\n');
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const file = join(root, 'docs', 'requirements.md');
  const text = renderRequirements();
  if (process.argv.includes('--check')) {
    const current = existsSync(file) ? readFileSync(file, 'utf8') : '';
    if (current !== text) { console.error('docs/requirements.md is out of date: run npm run docs'); process.exit(1); }
  } else {
    writeFileSync(file, text);
    console.log('wrote docs/requirements.md');
  }
}
