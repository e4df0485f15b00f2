/** One Latin-letter term in both full and half width in one document (ISMAP and ＩＳＭＡＰ). */
import type { Rule, RuleContext } from '../../types';
import type { Span } from '../../text';
import { matchRule } from '../../prh';
import { literalExpected, userDictionaryRules } from './dictionary-data';
import { VARIANT_GROUPS } from './variants';
import type { PolicyDocument } from '../../model/types';
import { keep } from '../../memo';
import { chunkScan, chunkScanWhere, chunksOf, chunkTotals, chunkValue, countsText, hitsOf, inUrlOrMail, minimalEdit, perChunk, perDocument, SpanSet, type Chunk, type ChunkHit, type Draft, type Hit } from './support';

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

/** Names of the token counts by width in the totals (no term holds \u0001). */
const FULL_TOKENS = '\u0001full';
const HALF_TOKENS = '\u0001half';
const widthOf = (t: string): Width => (FULL.test(t) ? (HALF.test(t) ? 'mixed' : 'full') : 'half');

/** Terms (two letters or more) outside code, URLs and spans owned by term-variants. */
export function latinTokens(ctx: RuleContext): Hit[] {
  return perDocument(ctx.doc, 'latin-tokens', () => hitsOf(chunksOf(ctx.doc).map((chunk) => ({ chunk, value: tokensIn(ctx.doc, chunk) }))));
}

/** The tokens of one chunk (chunk-relative, cached with the chunk). */
function tokensIn(doc: PolicyDocument, chunk: Chunk): ChunkHit[] {
  // Both filters read only the token's chunk (a variant it overlaps is in the same region, a URL
  // on the same line), so the kept tokens are cached per chunk.
  return chunkScanWhere(doc, chunk, TOKEN, 'latin-tokens', (chunk) => {
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
}

/**
 * What a chunk's unquoted tokens add to the document's counts: per term (NFKC key, in the order
 * terms first occur) its spellings of one width with their counts (in the order they first
 * occur) and whether a token mixes widths; and the tokens of each width.
 */
interface WidthSummary { full: number; half: number; keys: string[]; forms: string[][]; counts: number[][]; mixed: boolean[] }

function summarize(doc: PolicyDocument, chunk: Chunk): WidthSummary {
  const out: WidthSummary = { full: 0, half: 0, keys: [], forms: [], counts: [], mixed: [] };
  const index = new Map<string, number>();
  const keyOf = normalizer();
  for (const t of tokensIn(doc, chunk)) {
    if (t.quoted) continue;
    const key = keyOf(t.text);
    let k = index.get(key);
    if (k === undefined) { k = out.keys.length; index.set(key, k); out.keys.push(key); out.forms.push([]); out.counts.push([]); out.mixed.push(false); }
    const w = widthOf(t.text);
    if (w === 'full') out.full++; else if (w === 'half') out.half++;
    if (w === 'mixed') { out.mixed[k] = true; continue; }
    const f = out.forms[k].indexOf(t.text);
    if (f < 0) { out.forms[k].push(keep(t.text)); out.counts[k].push(1); } else out.counts[k][f]++;
  }
  return out;
}

/** The NFKC form of a token: the same words recur thousands of times, each spelling is normalised once. */
function normalizer(): (text: string) => string {
  const keys = new Map<string, string>();
  return (text) => {
    let key = keys.get(text);
    if (key === undefined) { key = text.normalize('NFKC'); keys.set(text, key); }
    return key;
  };
}

export function detectWidthVariants(ctx: RuleContext): Draft[] {
  return perDocument(ctx.doc, WIDTH_VARIANTS_ID, () => {
    // Which terms are written in two ways, and the widths of all tokens: from the document's
    // totals (kept from one analysis to the next, see chunkTotals). The spellings' counts, in the
    // order they first occur, and the tokens are then gathered only for those terms.
    const { doc } = ctx;
    const summaries = perChunk(doc, 'width-variant-forms', (chunk) => summarize(doc, chunk));
    const totals = chunkTotals(doc, 'width-variant-counts', (chunk) => {
      const s = chunkValue(doc, chunk, 'width-variant-forms', () => summarize(doc, chunk));
      const counts: [string, number][] = [[FULL_TOKENS, s.full], [HALF_TOKENS, s.half]];
      s.keys.forEach((key, k) => {
        for (const f of s.forms[k]) counts.push([`${key}\u0000${f}`, 1]);
        if (s.mixed[k]) counts.push([`${key}\u0002`, 1]);
      });
      return counts;
    });
    const spellings = new Map<string, number>();
    const reported = new Set<string>();
    for (const name of totals.keys()) {
      const at = name.search(/[\u0000\u0002]/);
      if (at < 0) continue;
      const key = name.slice(0, at);
      if (name.charCodeAt(at) === 2) { reported.add(key); continue; }
      const n = (spellings.get(key) ?? 0) + 1;
      spellings.set(key, n);
      if (n >= 2) reported.add(key);
    }
    // In the order the terms first occur (chunk, then place in the chunk's summary).
    const firstAt = new Map<string, number>();
    for (const key of reported) {
      for (let c = 0; c < summaries.length; c++) {
        const k = summaries[c].value.keys.indexOf(key);
        if (k >= 0) { firstAt.set(key, c * 65536 + k); break; }
      }
    }
    const terms = new Map<string, { counts: Map<string, number>; mixed: boolean }>();
    for (const key of [...reported].sort((a, b) => firstAt.get(a)! - firstAt.get(b)!)) {
      const term = { counts: new Map<string, number>(), mixed: false };
      for (const { value: s } of summaries) {
        const k = s.keys.indexOf(key);
        if (k < 0) continue;
        if (s.mixed[k]) term.mixed = true;
        const forms = s.forms[k], counts = s.counts[k];
        for (let f = 0; f < forms.length; f++) term.counts.set(forms[f], (term.counts.get(forms[f]) ?? 0) + counts[f]);
      }
      terms.set(key, term);
    }
    const full = totals.get(FULL_TOKENS) ?? 0, half = totals.get(HALF_TOKENS) ?? 0;
    // The document's own habit, for ties: more full-width or more half-width terms overall.
    const habit: Width = full > half ? 'full' : 'half';
    const out: Draft[] = [];
    const keyOf = normalizer();
    for (const [key, { counts, mixed: hasMixed }] of terms) {
      if (counts.size < 2 && !hasMixed) continue;
      const hits: Hit[] = [];
      for (const { chunk, value: s } of summaries) {
        if (!s.keys.includes(key)) continue;
        for (const h of hitsOf([{ chunk, value: tokensIn(ctx.doc, chunk) }])) if (!h.quoted && keyOf(h.text) === key) hits.push(h);
      }
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
