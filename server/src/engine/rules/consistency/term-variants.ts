/** One term written in several ways in one document (Web会議／WEB会議、不正プログラム対策／不正プログラムの対策 …). */
import type { Rule, RuleContext } from '../../types';
import { matchRule } from '../../prh';
import { literalExpected, userDictionaryRules } from './dictionary-data';
import { chunkScan, chunkTotals, chunkValue, countsText, hitsOf, minimalEdit, perChunk, perDocument, type Chunk, type Draft, type Hit } from './support';
import { VARIANT_GROUPS, type VariantGroup } from './variants';

export const TERM_VARIANTS_ID = 'term-variants';

export function detectTermVariants(ctx: RuleContext): Draft[] {
  return perDocument(ctx.doc, TERM_VARIANTS_ID, () => {
    const out: Draft[] = [];
    // Most groups are written one way throughout: the per-chunk summaries tell which groups are
    // mixed or hold a typo, and only their hits are gathered.
    const summaries = perChunk(ctx.doc, 'term-variant-forms', (chunk) => chunkForms(ctx, chunk));
    // The document's totals: per group, each valid spelling and a typo counted once per chunk that
    // holds it (kept from one analysis to the next, see chunkTotals).
    const totals = chunkTotals(ctx.doc, 'term-variant-counts', (chunk) => {
      const counts: [string, number][] = [];
      chunkValue(ctx.doc, chunk, 'term-variant-forms', () => chunkForms(ctx, chunk)).forEach((s, g) => {
        if (!s) return;
        for (const f of s.valid) counts.push([`${g}\u0000${f}`, 1]);
        if (s.wrong) counts.push([`${g}\u0001`, 1]);
      });
      return counts;
    });
    const forms = VARIANT_GROUPS.map(() => 0);
    const typo = VARIANT_GROUPS.map(() => false);
    for (const key of totals.keys()) {
      const at = key.search(/[\u0000\u0001]/);
      const g = Number(key.slice(0, at));
      if (key.charCodeAt(at) === 1) typo[g] = true; else forms[g]++;
    }
    for (let g = 0; g < VARIANT_GROUPS.length; g++) {
      const group = VARIANT_GROUPS[g];
      if (forms[g] < 2 && !typo[g]) continue;
      const isWrong = (f: string) => !!group.wrong && group.wrong.test(f);
      // The counts of the valid spellings (in the order they first occur) from the summaries; the
      // hits themselves only from the chunks that hold one to report (or the target's first).
      const counts = new Map<string, number>();
      for (const { value } of summaries) {
        const s = value[g];
        if (s) s.valid.forEach((f, k) => counts.set(f, (counts.get(f) ?? 0) + s.counts[k]));
      }
      const mixed = counts.size >= 2;
      if (!mixed && !typo[g]) continue;
      const target = counts.size ? chooseTarget(ctx, group, counts) : undefined;
      // Made once per chunk (a one-shot analysis has one chunk: the whole text).
      const made = new Map<Chunk, Hit[]>();
      const hitsIn = (chunk: Chunk) => {
        let hits = made.get(chunk);
        if (!hits) { hits = hitsOf([{ chunk, value: chunkScan(ctx.doc, chunk, group.re) }]).filter((h) => !h.quoted); made.set(chunk, hits); }
        return hits;
      };
      let first: Hit | undefined;
      if (target) {
        const holder = summaries.find(({ value }) => value[g]?.valid.includes(target.form));
        first = holder && hitsIn(holder.chunk).find((x) => x.text === target.form);
      }
      const hits: Hit[] = [];
      for (const { chunk, value } of summaries) {
        const s = value[g];
        if (s && (s.wrong || (mixed && s.valid.some((f) => f !== target!.form)))) hits.push(...hitsIn(chunk));
      }
      for (const h of hits) {
        const wrong = isWrong(h.text);
        if (!wrong && (!mixed || h.text === target!.form)) continue;
        const to = target?.form ?? group.repair?.(h.text) ?? group.preferred ?? h.text;
        if (to === h.text) continue;
        let message: string;
        if (wrong) {
          message = `「${h.text}」は誤記です（${group.wrongWhy ?? '正しい表記と違います'}）。${target ? 'この文書で使っている表記の' : '正しい表記の'}「${to}」に直してください。`;
        } else {
          const why = group.why ? `${group.why}。` : '';
          const others = [...counts.keys()].filter((f) => f !== h.text).map((f) => `「${f}」`).join('・');
          message = `「${h.text}」と${others}が混在しています（${countsText(counts)}）。同じものを別の表記で書くと、別のものを指しているのかと読み手が迷います。${why}${target!.reason}「${to}」にそろえてください。`;
        }
        out.push({
          message,
          span: { start: h.start, end: h.end },
          fixes: [{ title: `「${to}」に置き換える`, edits: [minimalEdit(h.start, h.text, to)], safe: true, preferred: true }],
          related: first ? [{ span: { start: first.start, end: first.end }, message: `「${to}」と書いている箇所` }] : undefined,
          data: { group: group.id, from: h.text, to },
        });
      }
    }
    return out;
  });
}

/** Per group (undefined when absent from the chunk): the valid spellings of its unquoted hits, and whether a typo is among them. */
function chunkForms(ctx: RuleContext, chunk: Chunk): ({ valid: string[]; counts: number[]; wrong: boolean } | undefined)[] {
  return VARIANT_GROUPS.map((group) => {
    let found: { valid: string[]; counts: number[]; wrong: boolean } | undefined;
    for (const h of chunkScan(ctx.doc, chunk, group.re)) {
      if (h.quoted) continue;
      found ??= { valid: [], counts: [], wrong: false };
      if (group.wrong && group.wrong.test(h.text)) { found.wrong = true; continue; }
      const k = found.valid.indexOf(h.text);
      if (k < 0) { found.valid.push(h.text); found.counts.push(1); } else found.counts[k]++;
    }
    return found;
  });
}

/** `counts`: the valid spellings in the order they first occur. */
function chooseTarget(ctx: RuleContext, group: VariantGroup, counts: Map<string, number>): { form: string; reason: string } {
  const forms = [...counts.keys()];
  for (const rule of userDictionaryRules(ctx.config)) {
    const exp = literalExpected(rule);
    if (!exp || !counts.has(exp)) continue;
    if (forms.some((f) => f !== exp && matchRule(rule, f).some((m) => m.start === 0 && m.end === f.length && m.replacement === exp))) {
      return { form: exp, reason: `利用者の辞書（${rule.source}）が「${exp}」を指定しているので、` };
    }
  }
  const max = Math.max(...counts.values());
  const top = forms.filter((f) => counts.get(f) === max);
  if (top.length === 1) return { form: top[0], reason: '文書の中で最も多い' };
  if (group.preferred) return { form: group.preferred, reason: '使われている数が同じなので、ガイドラインや用語集で使われている' };
  // The first of them to occur (counts keep the order in which spellings first occur).
  const firstForm = top[0];
  return { form: firstForm, reason: '使われている数が同じなので、先に出てくる' };
}

export const termVariants: Rule = {
  meta: {
    id: TERM_VARIANTS_ID,
    aliases: ['variant-spellings', 'LGP302'],
    title: '同じ用語の表記の混在（Web会議／WEB会議、不正プログラム対策／不正プログラムの対策 など）',
    defaultSeverity: 'warning',
    fixable: true,
    scope: 'document',
    tags: ['consistency', 'wording'],
    guideline: ['6.1(21) Web会議サービスの利用時の対策', '6.4 不正プログラム対策', '8.3/8.4 外部サービスの利用（シャドーIT）'],
    seeds: ['意見70', '意見91', '質問42'],
  },
  check(ctx) {
    for (const d of detectTermVariants(ctx)) ctx.report(d);
  },
};
