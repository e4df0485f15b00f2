/** The organisation calling itself by two names in one document (本市 and 自組織 …, 意見148). */
import type { Rule, RuleContext } from '../../types';
import type { PolicyDocument } from '../../model/types';
import { retaining } from '../../memo';
import { chunkScanWhere, chunkTotals, countsText, minimalEdit, overlapsCode, perDocument, scanProseWhere, type Chunk, type ChunkHit, type Draft, type Hit, type Region } from './support';

export const SELF_REFERENCE_ID = 'self-reference-mixed';

export const SELF_REFERENCES = ['本市', '本町', '本村', '本区', '本県', '本府', '本都', '本道', '自組織'];

/**
 * 本市 … only where the next character shows a self-reference (a particle, punctuation, or a
 * word such as 職員・役場・内), so that 本町一丁目 (an address), 本区分, 本道路, 本都市 … are not
 * taken for one; never right after a kanji or katakana (日本市場, 各自組織).
 */
const SELF_RE = /(?<![\p{Script=Han}\p{Script=Katakana}])(?:本[市町村区県府都道](?=$|[のはがにでをとへもやかまよ、。，．,.）)」』・：:\s]|[及又並職役全内外独情行庁組議公施所各主管]|ホームページ|ウェブ|Web)|自組織)/gu;

/** Parties other than the organisation: 「事業者は、自組織の…」 means the contractor's organisation. */
const OTHER_PARTY = /事業者|提供者|受託者|受注者|委託先|業者|団体|自治体|相手方|法人|企業|会社|ベンダ|サプライヤ|利用者/;

/** The filter reads only the hit's region: its result is cached with the chunk. */
const notOtherParty = (chunk: Chunk) => (h: ChunkHit) => h.text !== '自組織' || !OTHER_PARTY.test(chunk.regions[h.r].text.slice(0, h.index));

export function selfReferenceOccurrences(ctx: RuleContext): Hit[] {
  return perDocument(ctx.doc, 'self-reference-occurrences', () => scanProseWhere(ctx.doc, SELF_RE, 'self-reference', notOtherParty));
}

/** The self-references of one chunk (chunk-relative, cached with the chunk). */
export function selfReferencesIn(doc: PolicyDocument, chunk: Chunk): ChunkHit[] {
  return chunkScanWhere(doc, chunk, SELF_RE, 'self-reference', notOtherParty);
}

/**
 * The self-references of one region, as selfReferencesIn() finds them there (SELF_RE cannot run
 * over joined regions: it is matched region by region, and the filter reads the region alone):
 * for a one-shot analysis that asks about a few places only.
 */
export function selfReferencesInRegion(doc: PolicyDocument, region: Region): { index: number; text: string }[] {
  const out: { index: number; text: string }[] = [];
  SELF_RE.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = SELF_RE.exec(region.text))) {
    if (m[0].length === 0) { SELF_RE.lastIndex++; continue; }
    const start = region.offset + m.index;
    if (overlapsCode(doc, start, start + m[0].length)) continue;
    if (m[0] === '自組織' && OTHER_PARTY.test(region.text.slice(0, m.index))) continue;
    out.push({ index: m.index, text: m[0] });
  }
  return out;
}

/**
 * At most one of the forms SELF_RE finds (本市 … 自組織) occurs anywhere in the text, so the
 * document cannot mix them: a one-shot analysis then looks no further (one scan, no hits gathered).
 */
function singleForm(doc: PolicyDocument): boolean {
  if (retaining()) return false;
  const forms = /本[市町村区県府都道]|自組織/g;
  let first: string | undefined;
  let m: RegExpExecArray | null;
  while ((m = forms.exec(doc.text))) {
    if (first === undefined) first = m[0];
    else if (m[0] !== first) return false;
  }
  return true;
}

/** Whether the document calls itself in two ways outside quotations (from per-chunk counts: no hit is gathered otherwise). */
function mixed(ctx: RuleContext): boolean {
  if (singleForm(ctx.doc)) return false;
  // Per chunk, each form it holds unquoted once: the document's forms are the names with a sum.
  const forms = chunkTotals(ctx.doc, 'self-reference-forms', (chunk) => {
    const found: [string, number][] = [];
    for (const h of selfReferencesIn(ctx.doc, chunk)) if (!h.quoted && !found.some(([f]) => f === h.text)) found.push([h.text, 1]);
    return found;
  });
  return forms.size >= 2;
}

export function detectSelfReference(ctx: RuleContext): Draft[] {
  return perDocument(ctx.doc, SELF_REFERENCE_ID, () => {
    if (!mixed(ctx)) return [];
    const hits = selfReferenceOccurrences(ctx).filter((h) => !h.quoted);
    const counts = new Map<string, number>();
    for (const h of hits) counts.set(h.text, (counts.get(h.text) ?? 0) + 1);
    if (counts.size < 2) return [];
    const { form, reason } = chooseTarget(ctx, counts, hits);
    const first = hits.find((h) => h.text === form);
    return hits.filter((h) => h.text !== form).map((h) => ({
      message: `組織の自称に「${h.text}」と「${form}」が混在しています（${countsText(counts)}）。別の組織を指しているのかと読み手が迷うため（意見照会でも両者に違いがあるのかという質問がありました）、${reason}「${form}」にそろえてください。`,
      span: { start: h.start, end: h.end },
      fixes: [{ title: `「${form}」に置き換える`, edits: [minimalEdit(h.start, h.text, form)], safe: true, preferred: true }],
      related: first ? [{ span: { start: first.start, end: first.end }, message: `「${form}」と書いている箇所` }] : undefined,
      data: { from: h.text, to: form },
    }));
  });
}

function chooseTarget(ctx: RuleContext, counts: Map<string, number>, hits: Hit[]): { form: string; reason: string } {
  const fm = ctx.doc.metadata.frontMatter?.organization;
  if (typeof fm === 'string' && SELF_REFERENCES.includes(fm.trim())) return { form: fm.trim(), reason: 'フロントマターの organization の指定どおり' };
  const configured = ctx.config.organization;
  if (configured && counts.has(configured)) return { form: configured, reason: '設定 organization の指定どおり' };
  const max = Math.max(...counts.values());
  const top = [...counts.keys()].filter((f) => counts.get(f) === max);
  if (top.length === 1) return { form: top[0], reason: '文書の中で最も多い' };
  // A tie: the organisation's own name (本市 …) reads more naturally in its own rules than 自組織.
  const own = top.filter((f) => f !== '自組織');
  const pick = hits.find((h) => (own.length ? own : top).includes(h.text))!.text;
  return { form: pick, reason: own.length && top.includes('自組織') ? '使われている数が同じなので、団体の例規で一般的な' : '使われている数が同じなので、先に出てくる' };
}

export const selfReferenceMixed: Rule = {
  meta: {
    id: SELF_REFERENCE_ID,
    aliases: ['organization-self-reference', 'LGP301'],
    title: '組織の自称の混在（本市と自組織など）',
    defaultSeverity: 'warning',
    fixable: true,
    scope: 'document',
    tags: ['consistency', 'wording'],
    guideline: ['第2編 例文（本市・自組織の表記）'],
    seeds: ['意見148'],
  },
  check(ctx) {
    for (const d of detectSelfReference(ctx)) ctx.report(d);
  },
};
