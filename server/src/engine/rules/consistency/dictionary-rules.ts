/**
 * prh dictionaries as rules: the built-in terminology dictionary (builtin-dictionary) and the
 * dictionaries named in .lgpolicy.json (user-dictionary).
 *
 * Who reports what (no span is reported twice):
 * - The consistency rules own their spellings: self-references, the term-variants groups,
 *   role-name slips, width differences and half-width katakana. The built-in dictionary lists
 *   many of them too (so that the file also works with prh/textlint), but inside LG Policy it
 *   never reports them — turn the consistency rule off to silence them.
 * - A user dictionary is the team's explicit choice: it reports everything it matches except a
 *   span a (enabled) consistency rule already reports in this document; the consistency rules
 *   in turn unify on the user's `expected` when it is one of the spellings in use.
 * - Where a user dictionary and the built-in one match the same text, the user's wins.
 */
import type { Rule, RuleContext } from '../../types';
import type { Span } from '../../text';
import { matchRule, type PrhMatch, type PrhRule } from '../../prh';
import { BUILTIN_SOURCE, builtinDictionary, userDictionaryRules } from './dictionary-data';
import { chunkScan, chunksOf, inUrlOrMail, joinedRegions, joinSafe, minimalEdit, overlapsCode, perChunk, perDocument, regionIndexAt, requiredText, ruleEnabled, SpanSet, textRegions, type Chunk, type ChunkHit, type Draft, type Region } from './support';
import { keep, retaining } from '../../memo';
import { detectSelfReference, SELF_REFERENCE_ID, selfReferencesIn, selfReferencesInRegion } from './self-reference';
import { detectTermVariants, TERM_VARIANTS_ID } from './term-variants';
import { VARIANT_GROUPS } from './variants';
import { detectRoleSlips, ROLE_NAME_ID, roleSlips } from './role-name-misspelling';
import { detectWidthVariants, WIDTH_VARIANTS_ID } from './width-variants';
import { detectHalfwidthKatakana, HALFWIDTH_KATAKANA_ID, halfwidthRuns } from './halfwidth-katakana';

export const BUILTIN_DICTIONARY_ID = 'builtin-dictionary';
export const USER_DICTIONARY_ID = 'user-dictionary';

interface DictHit { start: number; end: number; text: string; replacement: string; rule: PrhRule; stable: boolean }

/**
 * Matches of a list of rules in the prose: left to right, earlier rules first, no overlaps.
 * The built-in dictionary is matched chunk by chunk and cached per chunk (see perChunk): after
 * an edit only the edited chunk is read again. A user's rules come from the configuration and
 * are matched over the whole prose.
 */
function dictionaryHits(ctx: RuleContext, rules: PrhRule[], user = false): DictHit[] {
  if (rules.length === 0) return [];
  if (user || rules !== builtinDictionary().rules) return regionHits(ctx, textRegions(ctx.doc), () => joinedRegions(ctx.doc), rules, user);
  const out: DictHit[] = [];
  const order = new Map(rules.map((r, i) => [r, i]));
  const cached = perChunk(ctx.doc, 'builtin-dictionary', (chunk) => regionHits(ctx, chunk.regions, chunk.joined, rules, false)
    .map((h) => ({ start: h.start - chunk.base, end: h.end - chunk.base, text: keep(h.text), replacement: h.replacement, rule: order.get(h.rule)!, stable: h.stable })));
  for (const { chunk, value } of cached) {
    for (const h of value) out.push({ ...h, start: h.start + chunk.base, end: h.end + chunk.base, rule: rules[h.rule] });
  }
  return out;
}

function regionHits(ctx: RuleContext, regions: Region[], joinedOf: () => ReturnType<typeof joinedRegions>, rules: PrhRule[], user: boolean): DictHit[] {
  // Per region, the raw matches of every rule (region-local offsets).
  const perRegion = new Map<number, { m: PrhMatch; order: number }[]>();
  const add = (i: number, m: PrhMatch, order: number) => {
    let list = perRegion.get(i);
    if (!list) { list = []; perRegion.set(i, list); }
    list.push({ m, order });
  };
  rules.forEach((rule, order) => {
    // A user's expression runs region by region, long regions in windows: its cost stays bounded.
    if (user) {
      regions.forEach((region, i) => { for (const m of matchWindowed(rule, region.text)) add(i, m, order); });
      return;
    }
    // None of its patterns can match: each needs a text the prose lacks (see requiredText).
    if (rule.regexps.every((re) => { const t = requiredText(re); return t !== undefined && !joinedOf().text.includes(t); })) return;
    // One run over the joined prose when the rule cannot see line breaks; region by region otherwise.
    if (rule.regexps.every(joinSafe)) {
      const joined = joinedOf();
      const local: [number, PrhMatch][] = [];
      let crossed = false;
      for (const m of matchRule(rule, joined.text)) {
        const i = regionIndexAt(joined, m.start);
        const base = joined.starts[i];
        if (m.end - base > regions[i].text.length) { crossed = true; break; }
        local.push([i, { ...m, start: m.start - base, end: m.end - base }]);
      }
      if (!crossed) {
        for (const [i, m] of local) add(i, m, order);
        return;
      }
    }
    regions.forEach((region, i) => { for (const m of matchRule(rule, region.text)) add(i, m, order); });
  });
  const out: DictHit[] = [];
  for (const i of [...perRegion.keys()].sort((a, b) => a - b)) {
    const region = regions[i];
    const found: (DictHit & { order: number })[] = [];
    for (const { m, order } of perRegion.get(i)!) {
      if (m.replacement === m.text) continue;
      const start = region.offset + m.start, end = region.offset + m.end;
      if (overlapsCode(ctx.doc, start, end) || inUrlOrMail(ctx.doc.text, start, end)) continue;
      if (alreadyWritten(region.text, m.start, m.end, m.replacement)) continue;
      found.push({ start, end, text: m.text, replacement: m.replacement, rule: m.rule, stable: isStable(m.rule, region.text, m.start, m.end, m.replacement), order });
    }
    found.sort((a, b) => a.start - b.start || a.order - b.order);
    let end = -1;
    for (const f of found) {
      if (f.start < end) continue;
      out.push(f);
      end = f.end;
    }
  }
  return out;
}

/** Longest text a user's expression is run on at once; longer regions are read in overlapping windows. */
export const WINDOW = 4000;
const OVERLAP = 400;

/** matchRule on text of any length with a bounded cost per run: windows overlap so that matches shorter than OVERLAP are all found once. */
export function matchWindowed(rule: PrhRule, text: string): PrhMatch[] {
  if (text.length <= WINDOW) return matchRule(rule, text);
  const out: PrhMatch[] = [];
  let end = -1;
  for (let from = 0; from < text.length; from += WINDOW - OVERLAP) {
    const last = from + WINDOW >= text.length;
    for (const m of matchRule(rule, text.slice(from, from + WINDOW))) {
      const start = from + m.start;
      // A match starting in the overlap is taken from the next window (which sees its whole context).
      if (!last && m.start >= WINDOW - OVERLAP) continue;
      if (start < end) continue;
      out.push({ ...m, start, end: from + m.end });
      end = from + m.end;
    }
    if (last) break;
  }
  return out;
}

/**
 * The expected text is already there and the pattern matched a piece of it (a pattern サーバ
 * with expected サーバー, on サーバー): nothing to report.
 */
function alreadyWritten(text: string, start: number, end: number, replacement: string): boolean {
  const len = end - start;
  if (replacement.length <= len) return false;
  for (let k = 0; k <= replacement.length - len; k++) {
    const s = start - k;
    if (s >= 0 && text.slice(s, s + replacement.length) === replacement && text.slice(s + k, s + k + len) === text.slice(start, end)) return true;
  }
  return false;
}

/** Applying the rule again around the replaced text changes nothing (so fix-all cannot loop). */
function isStable(rule: PrhRule, text: string, start: number, end: number, replacement: string): boolean {
  const from = Math.max(0, start - 40), to = Math.min(text.length, end + 40);
  const after = text.slice(from, start) + replacement + text.slice(end, to);
  const local = start - from;
  return !matchRule(rule, after).some((m) => m.replacement !== m.text && m.start < local + replacement.length && local < m.end && !alreadyWritten(after, m.start, m.end, m.replacement));
}

/** Spans reported by the consistency rules that are switched on, for this document. */
function consistencySpans(ctx: RuleContext): Span[] {
  const spans: Span[] = [];
  const add = (id: string, detect: (c: RuleContext) => Draft[]) => { if (ruleEnabled(ctx, id)) spans.push(...detect(ctx).map((d) => d.span)); };
  add(SELF_REFERENCE_ID, detectSelfReference);
  add(TERM_VARIANTS_ID, detectTermVariants);
  add(ROLE_NAME_ID, detectRoleSlips);
  add(WIDTH_VARIANTS_ID, detectWidthVariants);
  add(HALFWIDTH_KATAKANA_ID, detectHalfwidthKatakana);
  return spans;
}

/**
 * Every span whose spelling a consistency rule owns, whether or not it reports it here: a test
 * for the few dictionary hits. Self-references and term variants are many; a dictionary hit can
 * only overlap those in its own region, hence in its own chunk, so they are gathered only for the
 * chunks that hold dictionary hits (from the per-chunk scans), not for the whole document.
 */
function ownedTest(ctx: RuleContext): (span: Span) => boolean {
  const others = new SpanSet([...roleSlips(ctx), ...halfwidthRuns(ctx)]);
  const chunks = chunksOf(ctx.doc);
  // Each list is the hits of one global regex in a chunk: in document order and without overlaps,
  // so a binary search answers (no set of every hit of the chunk to build and sort).
  const oneShot = !retaining();
  const owned = (chunk: Chunk, span: Span) => {
    if (oneShot ? overlapsSelfReference(ctx, chunk, span) : overlapsHit(chunk, selfReferencesIn(ctx.doc, chunk), span)) return true;
    for (const group of VARIANT_GROUPS) if (overlapsHit(chunk, chunkScan(ctx.doc, chunk, group.re), span)) return true;
    return false;
  };
  return (span) => {
    if (others.overlaps(span)) return true;
    // The chunk whose first region starts at or before the span (dictionary hits lie in regions).
    let lo = 0, hi = chunks.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (chunks[mid].regions[0].offset <= span.start) lo = mid; else hi = mid - 1;
    }
    return chunks.length > 0 && owned(chunks[lo], span);
  };
}

/**
 * overlapsHit() of the chunk's self-references, from the span's region alone (a one-shot analysis
 * has one chunk, the whole prose: its self-references are not gathered for a few dictionary hits).
 * A dictionary hit lies in one region, and so does every self-reference it can overlap.
 */
function overlapsSelfReference(ctx: RuleContext, chunk: Chunk, span: Span): boolean {
  const regions = chunk.regions;
  let lo = 0, hi = regions.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (regions[mid].offset <= span.start) lo = mid; else hi = mid - 1;
  }
  const region = regions[lo];
  if (!region) return false;
  return selfReferencesInRegion(ctx.doc, region).some((h) => region.offset + h.index < span.end && span.start < region.offset + h.index + h.text.length);
}

/** Whether a span overlaps one of a chunk's hits, given in document order and not overlapping one another. */
function overlapsHit(chunk: Chunk, hits: ChunkHit[], span: Span): boolean {
  // The last hit that starts before the span ends: it ends last among those (no overlaps).
  let lo = 0, hi = hits.length - 1, last = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (chunk.regions[hits[mid].r].offset + hits[mid].index < span.end) { last = mid; lo = mid + 1; } else hi = mid - 1;
  }
  return last >= 0 && chunk.regions[hits[last].r].offset + hits[last].index + hits[last].text.length > span.start;
}

function userHits(ctx: RuleContext): DictHit[] {
  return perDocument(ctx.doc, 'user-dictionary-hits', () => {
    const hits = dictionaryHits(ctx, userDictionaryRules(ctx.config), true);
    if (hits.length === 0) return hits;
    const skip = new SpanSet(consistencySpans(ctx));
    return hits.filter((h) => !skip.overlaps(h));
  });
}

function builtinHits(ctx: RuleContext): DictHit[] {
  return perDocument(ctx.doc, 'builtin-dictionary-hits', () => {
    // A difference of width only (ＩＳＭＡＰ, ｾｷｭﾘﾃｨ) belongs to width-variants / halfwidth-katakana.
    const hits = dictionaryHits(ctx, builtinDictionary().rules).filter((h) => h.text.normalize('NFKC') !== h.replacement.normalize('NFKC'));
    if (hits.length === 0) return hits;
    const owned = ownedTest(ctx);
    const skip = new SpanSet([...consistencySpans(ctx), ...(ruleEnabled(ctx, USER_DICTIONARY_ID) ? userHits(ctx) : [])]);
    return hits.filter((h) => !owned(h) && !skip.overlaps(h));
  });
}

function toDraft(h: DictHit, builtin: boolean): Draft {
  const where = builtin ? 'LG Policy の用語辞書' : `辞書 ${h.rule.source} の rules[${h.rule.index}] `;
  const why = h.rule.note ? `${h.rule.note.replace(/[。.]?$/, '。')}` : builtin ? '' : 'チームで決めた表記にそろえるためのルールです。';
  return {
    message: `「${h.text}」は、${where}で「${h.replacement}」と書くことになっています。${why}「${h.replacement}」に直してください。`,
    span: { start: h.start, end: h.end },
    fixes: [{
      title: `「${h.replacement}」に置き換える${h.stable ? '' : '（辞書のルールを確認してから）'}`,
      edits: [minimalEdit(h.start, h.text, h.replacement)],
      safe: h.stable,
      preferred: true,
    }],
    data: { from: h.text, to: h.replacement, dictionary: builtin ? BUILTIN_SOURCE : h.rule.source, rule: String(h.rule.index) },
  };
}

export const builtinDictionaryRule: Rule = {
  meta: {
    id: BUILTIN_DICTIONARY_ID,
    aliases: ['lgpolicy-dictionary', 'LGP306'],
    title: 'LG Policy の用語辞書（prh 形式）に合わない表記',
    defaultSeverity: 'warning',
    fixable: true,
    scope: 'document',
    tags: ['consistency', 'dictionary'],
    guideline: ['1 組織体制（役職名）', '8.3(2)⑨ ISMAP'],
    seeds: ['意見70', '意見148', '質問42'],
  },
  check(ctx) {
    for (const h of builtinHits(ctx)) ctx.report(toDraft(h, true));
  },
};

export const userDictionaryRule: Rule = {
  meta: {
    id: USER_DICTIONARY_ID,
    aliases: ['prh', 'LGP307'],
    title: '利用者の辞書（.lgpolicy.json の dictionaries、prh 形式）に合わない表記',
    defaultSeverity: 'warning',
    fixable: true,
    scope: 'document',
    tags: ['consistency', 'dictionary'],
    guideline: [],
    seeds: [],
  },
  check(ctx) {
    for (const h of userHits(ctx)) ctx.report(toDraft(h, false));
  },
};
