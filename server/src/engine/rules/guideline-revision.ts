/**
 * The guideline revision the document is checked against: a clear warning when the
 * declared revision cannot be understood, and one hint when an older revision applies.
 */
import type { Rule } from '../types';
import { NEWEST_REVISION, REVISION_LABELS } from '../model/metadata';

export const guidelineRevision: Rule = {
  meta: {
    id: 'guideline-revision',
    aliases: ['revision', 'LGP002'],
    title: '対象とするガイドラインの版',
    defaultSeverity: 'hint',
    fixable: false,
    scope: 'document',
    tags: ['revision'],
    guideline: ['令和4年3月版・令和5年3月版・令和6年10月版・令和7年3月版の違い（8.x の番号、自治体機密性、α\'モデル、無線LAN）'],
    seeds: ['意見148'],
  },
  check(ctx) {
    const md = ctx.doc.metadata;
    const at = md.titleSpan ?? md.frontMatterSpan ?? { start: 0, end: 0 };
    if (md.unknownRevision !== undefined) {
      ctx.report({
        severity: 'warning',
        message: `フロントマターの guideline:「${md.unknownRevision}」を版として認識できません。「令和7年3月」や「R7.3」のように書いてください（使える版: ${Object.values(REVISION_LABELS).join('、')}）。いまは${REVISION_LABELS[ctx.revision]}として検査しています。`,
        span: md.frontMatterSpan ?? at,
      });
      return;
    }
    if (ctx.revision === NEWEST_REVISION) return;
    const why = md.declaredRevision ? 'フロントマターの指定' : ctx.config.guideline ? '設定 guideline の指定' : md.inferredRevision?.reason ?? '';
    ctx.report({
      message: `この文書は${REVISION_LABELS[ctx.revision]}に沿って検査しています（${why}）。新しい${REVISION_LABELS[NEWEST_REVISION]}があります。改定の際は、外部サービスの節番号（8.2→8.3）や情報の分類（自治体機密性）の変更を確認してください。`,
      span: at,
    });
  },
};
