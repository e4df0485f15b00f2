/** One Latin-letter term in both full and half width in one document (ISMAP and ＩＳＭＡＰ). */
import type { Rule, RuleContext } from '../../types';
import type { Span } from '../../text';
import { matchRule } from '../../prh';
import { literalExpected, userDictionaryRules } from './dictionary-data';
import { VARIANT_GROUPS } from './variants';
import { chunkScan, countsText, inUrlOrMail, minimalEdit, perDocument, scanProseWhere, SpanSet, type Draft, type Hit } from './support';

export const WIDTH_VARIANTS_ID = 'width-variants';

/**
 * Runs of Latin letters in either width. Digits are left out on purpose: 例規 often write
 * numbers in full width in the text and in half width in tables, and that is not a term.
 */
const TOKEN = /[A-Za-zＡ-Ｚａ-ｚ]{2,}/g;
const FULL = /[Ａ-Ｚａ-ｚ]/;
const HALF = /[A-Za-z]/;
/** A character TOKEN matches. */
const LETTER = /[A-Za-zＡ-Ｚａ-ｚ]/;

type Width = 'half' | 'full' | 'mixed';
const widthOf = (t: string): Width => (FULL.test(t) ? (HALF.test(t) ? 'mixed' : 'full') : 'half');

/** Terms (two letters or more) outside code, URLs and spans owned by term-variants. */
export function latinTokens(ctx: RuleContext): Hit[] {
  return perDocument(ctx.doc, 'latin-tokens', () => {
    // Both filters read only the token's chunk (a variant it overlaps is in the same region, a URL
    // on the same line), so the kept tokens are cached per chunk.
    const { doc } = ctx;
    return scanProseWhere(doc, TOKEN, 'latin-tokens', (chunk) => {
      // A token is all letters: only a variant with a letter can overlap one (Web会議, シャドーIT), so
      // the set holds those alone, not the thousands of セキュリティ … (a few spellings, tested once each).
      const spans: Span[] = [];
      const lettered = new Map<string, boolean>();
      for (const group of VARIANT_GROUPS) {
        for (const v of chunkScan(doc, chunk, group.re)) {
          let has = lettered.get(v.text);
          if (has === undefined) { has = LETTER.test(v.text); lettered.set(v.text, has); }
          if (!has) continue;
          const start = chunk.regions[v.r].offset + v.index;
          spans.push({ start, end: start + v.text.length });
        }
      }
      const owned = new SpanSet(spans);
      return (h) => {
        const start = chunk.regions[h.r].offset + h.index;
        const span = { start, end: start + h.text.length };
        return !owned.overlaps(span) && !inUrlOrMail(doc.text, span.start, span.end);
      };
    });
  });
}

export function detectWidthVariants(ctx: RuleContext): Draft[] {
  return perDocument(ctx.doc, WIDTH_VARIANTS_ID, () => {
    const tokens = latinTokens(ctx).filter((h) => !h.quoted);
    const byKey = new Map<string, Hit[]>();
    // The same words recur thousands of times in a long document: normalise each spelling once.
    const keys = new Map<string, string>();
    for (const t of tokens) {
      let key = keys.get(t.text);
      if (key === undefined) { key = t.text.normalize('NFKC'); keys.set(t.text, key); }
      const list = byKey.get(key);
      if (list) list.push(t); else byKey.set(key, [t]);
    }
    // The document's own habit, for ties: more full-width or more half-width terms overall.
    const full = tokens.filter((t) => widthOf(t.text) === 'full').length;
    const half = tokens.filter((t) => widthOf(t.text) === 'half').length;
    const habit: Width = full > half ? 'full' : 'half';
    const out: Draft[] = [];
    for (const [key, hits] of byKey) {
      const counts = new Map<string, number>();
      for (const h of hits) if (widthOf(h.text) !== 'mixed') counts.set(h.text, (counts.get(h.text) ?? 0) + 1);
      const hasMixed = hits.some((h) => widthOf(h.text) === 'mixed');
      if (counts.size < 2 && !hasMixed) continue;
      const { form, reason } = chooseTarget(ctx, key, counts, habit);
      const first = hits.find((h) => h.text === form);
      for (const h of hits) {
        if (h.text === form) continue;
        const mixedToken = widthOf(h.text) === 'mixed';
        const message = mixedToken
          ? `「${h.text}」は全角と半角の英数字が混ざっています。検索や置換で見つからなくなるため、${reason}「${form}」に直してください。`
          : `「${h.text}」と「${form}」のように、同じ語を全角と半角で書き分けています（${countsText(counts)}）。検索や置換で片方が見つからなくなり、別の語とも読まれかねないため、${reason}「${form}」にそろえてください。`;
        out.push({
          message,
          span: { start: h.start, end: h.end },
          fixes: [{ title: `「${form}」に置き換える`, edits: [minimalEdit(h.start, h.text, form)], safe: true, preferred: true }],
          related: first ? [{ span: { start: first.start, end: first.end }, message: `「${form}」と書いている箇所` }] : undefined,
          data: { from: h.text, to: form },
        });
      }
    }
    return out;
  });
}

function toWidth(key: string, w: Width): string {
  return w === 'full' ? key.replace(/[A-Za-z]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0)) : key;
}

function chooseTarget(ctx: RuleContext, key: string, counts: Map<string, number>, habit: Width): { form: string; reason: string } {
  const forms = [...counts.keys()];
  for (const rule of userDictionaryRules(ctx.config)) {
    const exp = literalExpected(rule);
    if (!exp || exp.normalize('NFKC') !== key || widthOf(exp) === 'mixed') continue;
    if (forms.some((f) => f !== exp && matchRule(rule, f).some((m) => m.start === 0 && m.end === f.length && m.replacement === exp))) {
      return { form: exp, reason: `利用者の辞書（${rule.source}）の指定どおり` };
    }
  }
  if (counts.size) {
    const max = Math.max(...counts.values());
    const top = forms.filter((f) => counts.get(f) === max);
    if (top.length === 1) return { form: top[0], reason: '文書の中で多い' };
  }
  return { form: toWidth(key, habit), reason: habit === 'full' ? '文書全体で多い全角の' : '文書全体で多い半角の' };
}

export const widthVariants: Rule = {
  meta: {
    id: WIDTH_VARIANTS_ID,
    aliases: ['fullwidth-halfwidth', 'LGP304'],
    title: '英字の全角・半角の混在（ISMAP と ＩＳＭＡＰ など）',
    defaultSeverity: 'warning',
    fixable: true,
    scope: 'document',
    tags: ['consistency', 'width'],
    guideline: [],
    seeds: [],
  },
  check(ctx) {
    for (const d of detectWidthVariants(ctx)) ctx.report(d);
  },
};
