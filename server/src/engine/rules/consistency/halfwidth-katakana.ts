/** Half-width katakana (ｾｷｭﾘﾃｨ): not used in official documents; converted to full width. */
import type { Rule, RuleContext } from '../../types';
import { minimalEdit, perDocument, scanProse, type Draft, type Hit } from './support';

export const HALFWIDTH_KATAKANA_ID = 'halfwidth-katakana';

/** Half-width katakana, their sound marks and the half-width 「」、。・ that come with them. */
const HALF_KANA = /[\uff61-\uff9f]+/g;

export function halfwidthRuns(ctx: RuleContext): Hit[] {
  return perDocument(ctx.doc, 'halfwidth-runs', () => scanProse(ctx.doc, HALF_KANA).filter((h) => /[\uff66-\uff9d]/.test(h.text)));
}

export function detectHalfwidthKatakana(ctx: RuleContext): Draft[] {
  return perDocument(ctx.doc, HALFWIDTH_KATAKANA_ID, () => halfwidthRuns(ctx).map((h) => {
    const full = h.text.normalize('NFKC');
    return {
      message: `半角カタカナ「${h.text}」が使われています。半角カタカナは公用文では使わず、システムによっては文字化けや検索漏れの原因になるため、全角の「${full}」に直してください。`,
      span: { start: h.start, end: h.end },
      fixes: [{ title: `全角の「${full}」に直す`, edits: [minimalEdit(h.start, h.text, full)], safe: true, preferred: true }],
      data: { from: h.text, to: full },
    };
  }));
}

export const halfwidthKatakana: Rule = {
  meta: {
    id: HALFWIDTH_KATAKANA_ID,
    aliases: ['no-halfwidth-katakana', 'LGP305'],
    title: '半角カタカナ',
    defaultSeverity: 'warning',
    fixable: true,
    scope: 'document',
    tags: ['consistency', 'width'],
    guideline: [],
    seeds: [],
  },
  check(ctx) {
    for (const d of detectHalfwidthKatakana(ctx)) ctx.report(d);
  },
};
