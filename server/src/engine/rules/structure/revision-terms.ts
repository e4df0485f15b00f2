/**
 * Terms and section numbers of 令和5年3月版 and earlier in a document that targets
 * 令和6年10月版 or later (declared in front matter or configuration), or that mixes the old
 * classification (機密性2以上, 機密性3) with the new one (自治体機密性2以上, 自治体機密性3A …).
 */
import type { Fix, Rule, RuleContext } from '../../types';
import type { Revision } from '../../model/types';
import { REVISION_LABELS } from '../../model/metadata';
import { toFullWidthDigits } from '../../normalize';
import { keep } from '../../memo';
import { clauseRuns, isIgnored, nodeRuns } from './support';

const NEW_REVISIONS: Revision[] = ['R6.10', 'R7.3'];
const OLD_CLASS = /(?<!自治体)機密性[ 　]*([1-3１-３])(?![0-9０-９A-CＡ-Ｃa-c])([ 　]*以上)?/g;
/** Old numbering of the external-service sections quoted as guideline references: 8.2 外部サービス…, 8.3 …取り扱わない. */
const OLD_SECTION = /(?<![0-9０-９.．])([8８][.．]([23２３]))(?![0-9０-９.．])((?:[(（][0-9０-９]{1,2}[)）])?[ 　]*外部サービス(?:（クラウドサービス）)?の利用[^。\n]{0,30})/g;
/** The sentence explains the change itself (旧区分の機密性2以上は…). */
const HISTORY = /旧|従来|改正前|改定前|以前の|令和[45]年3月版|令和[45]年版/;

/**
 * An old term in a text, found from the text alone: the match's offset and groups (copies), and
 * for a classification whether the text gives the new name beside it.
 */
interface Hit { kind: 'class' | 'section'; at: number; groups: (string | undefined)[]; beside: boolean }
/** A text with old terms: its span in the document and its hits. */
interface Occurrence { start: number; hits: Hit[] }

/** Texts that may hold an old term: OLD_CLASS needs 機密性 and OLD_SECTION 外部サービス. */
const mayHoldOld = (text: string) => text.includes('機密性') || text.includes('外部サービス');

/**
 * The old terms of a text whose owner (the clause, or a heading's title) does not explain the
 * change: every OLD_CLASS match, and the OLD_SECTION matches that use the old numbering.
 */
function oldTerms(text: string, owner: string): Hit[] {
  const hits: Hit[] = [];
  if (!mayHoldOld(text) || HISTORY.test(owner)) return hits;
  let m: RegExpExecArray | null;
  OLD_CLASS.lastIndex = 0;
  while ((m = OLD_CLASS.exec(text))) {
    // 「機密性3（自治体機密性3A等）」「機密性3、自治体機密性3A」: the text gives the new name beside the old one.
    const beside = /自治体機密性/.test(text.slice(m.index + m[0].length, m.index + m[0].length + 9)) || /自治体機密性[^、。]{0,4}[（(、・]$/.test(text.slice(Math.max(0, m.index - 12), m.index));
    hits.push({ kind: 'class', at: m.index, groups: m.map((g) => g === undefined ? g : keep(g)), beside });
  }
  OLD_SECTION.lastIndex = 0;
  while ((m = OLD_SECTION.exec(text))) {
    const sub = m[2].normalize('NFKC');
    const rest = m[3];
    // Old 8.2 = external services with 機密性2以上 (now 8.3); old 8.3 = without (now 8.4).
    const handlesNone = /取り?扱わない|扱わない|取扱わない/.test(rest);
    const isOld = sub === '2' ? !handlesNone && !/情報システム/.test(rest) : handlesNone;
    if (isOld) hits.push({ kind: 'section', at: m.index, groups: m.map((g) => g === undefined ? g : keep(g)), beside: false });
  }
  return hits;
}

/**
 * The old terms of clause sentences, heading lines and table cells (where the document's own
 * wording is), in that order; clauses and headings per run of clauses or nodes (cached).
 * `hasNew`: some text uses the new classification.
 */
function occurrences(ctx: RuleContext): { occ: Occurrence[]; hasNew: boolean } {
  const { doc } = ctx;
  const out: Occurrence[] = [];
  const runs = clauseRuns(doc, 'revision-terms', (texts) => {
    const old: { index: number; hits: Hit[] }[] = [];
    for (let i = 0; i < texts.length; i++) { const hits = oldTerms(texts[i], texts[i]); if (hits.length) old.push({ index: i, hits }); }
    return { old, hasNew: texts.some((t) => t.includes('自治体機密性')) };
  });
  let hasNew = false;
  for (const run of runs) {
    hasNew ||= run.value.hasNew;
    for (const { index, hits } of run.value.old) out.push({ start: doc.clauses[run.start + index].span.start, hits });
  }
  // Heading lines, likewise per run of nodes (a heading's line lies in its run's range).
  const text = doc.text;
  const headings = nodeRuns(doc, 'revision-terms/headings', (nodes, start, end) => {
    const old: { index: number; hits: Hit[] }[] = [];
    let hasNew = false;
    for (let i = start; i < end; i++) {
      const n = nodes[i];
      if (n.kind !== 'heading') continue;
      const line = text.slice(n.lineSpan.start, n.lineSpan.end);
      const hits = oldTerms(line, n.title);
      if (hits.length) old.push({ index: i - start, hits });
      hasNew ||= line.includes('自治体機密性');
    }
    return { old, hasNew };
  });
  for (const run of headings) {
    hasNew ||= run.value.hasNew;
    for (const { index, hits } of run.value.old) out.push({ start: doc.nodes[run.start + index].lineSpan.start, hits });
  }
  for (const t of doc.tables) {
    for (const r of t.rows) {
      for (const cell of r.cells) {
        hasNew ||= cell.text.includes('自治体機密性');
        const hits = oldTerms(cell.text, cell.text);
        if (hits.length) out.push({ start: cell.span.start, hits });
      }
    }
  }
  return { occ: out, hasNew };
}

export const revisionTerms: Rule = {
  meta: {
    id: 'revision-terms',
    aliases: ['old-revision-terms', 'LGP406'],
    title: '令和6年10月版以降の文書に残る旧版の用語・節番号',
    defaultSeverity: 'warning',
    fixable: true,
    scope: 'document',
    tags: ['revision'],
    guideline: ['対策基準 2 情報資産の分類（令和6年10月版: 自治体機密性3A・3B・3C・2・1）', '対策基準 8 業務委託と外部サービス（クラウドサービス）の利用（令和6年10月版: 8.1〜8.4）'],
    seeds: ['意見11', '意見123', '意見129'],
  },
  check(ctx) {
    const { doc } = ctx;
    const explicit = doc.metadata.declaredRevision ?? ctx.config.guideline;
    if (explicit && !NEW_REVISIONS.includes(explicit)) return;
    const { occ, hasNew } = occurrences(ctx);
    let reason: string;
    if (explicit) {
      reason = `この文書は${REVISION_LABELS[explicit]}に沿うと指定されています（${doc.metadata.declaredRevision ? 'フロントマター' : '設定'}の guideline）`;
    } else {
      if (!hasNew) return;
      reason = 'この文書は「自治体機密性」（令和6年10月版以降の区分）も使っていて、新旧の区分が混在しています';
    }
    const seen = new Set<number>();
    for (const o of occ) {
      for (const hit of o.hits) {
        if (hit.kind !== 'class') continue;
        const m = hit.groups as string[];
        const start = o.start + hit.at;
        if (seen.has(start) || isIgnored(doc, start)) continue;
        seen.add(start);
        if (hit.beside) continue;
        const span = { start, end: start + m[0].length };
        const level = m[1].normalize('NFKC');
        const orMore = !!m[2];
        const fixes: Fix[] = [];
        let advice: string;
        if (level === '2' && orMore) {
          advice = '「機密性2以上」の範囲は、新しい区分では「自治体機密性2以上」（3A・3B・3C・2）に当たります。';
          fixes.push({ title: `「自治体${m[0]}」に直す`, edits: [{ span: { start, end: start }, newText: '自治体' }], safe: false, preferred: true });
        } else if (level === '1' && !orMore) {
          advice = '「機密性1」は、新しい区分では「自治体機密性1」に当たります。';
          fixes.push({ title: `「自治体${m[0]}」に直す`, edits: [{ span: { start, end: start }, newText: '自治体' }], safe: false, preferred: true });
        } else if (level === '3') {
          advice = '旧区分の「機密性3」は、新しい区分の自治体機密性3A・3B・3Cのどれに当たるかが情報の性質によって変わるため、機械的には置き換えられません。自団体の分類表で確かめて、当てはまる区分を書いてください。';
        } else {
          advice = '旧区分の「機密性2」に当たる情報は、新しい区分では自治体機密性3B・3C・2などに分かれるため、機械的には置き換えられません。自団体の分類表で確かめて、当てはまる区分（まとめて指すなら「自治体機密性2以上」）を書いてください。';
        }
        ctx.report({
          message: `「${m[0]}」は令和5年3月版までの情報の分類です。${reason}。${advice}`,
          span,
          fixes,
          data: { term: m[0] },
        });
      }
      for (const hit of o.hits) {
        if (hit.kind !== 'section') continue;
        const m = hit.groups as string[];
        const start = o.start + hit.at;
        if (seen.has(start) || isIgnored(doc, start)) continue;
        const sub = m[2].normalize('NFKC');
        const rest = m[3];
        seen.add(start);
        const now = sub === '2' ? '8.3' : '8.4';
        const nowText = /[８．２３]/.test(m[1]) ? toFullWidthDigits(now).replace('.', '．') : now;
        const span = { start, end: start + m[1].length };
        const heading = doc.nodes.some((n) => n.markerSpan && n.markerSpan.start === start);
        ctx.report({
          message: heading
            ? `この見出しの「${m[1]}」は令和5年3月版までの節番号です。${reason}。令和6年10月版からは「情報システムに関する業務委託」が8.2として加わり、外部サービスの節は${now}になりました（公開資料からの推定）。ガイドラインの番号に合わせる場合は、8.2を加えて節番号を振り直してください。`
            : `「${m[1]}${rest.slice(0, 12)}…」は令和5年3月版までの節番号による参照です。${reason}。令和6年10月版からは外部サービスの節は${now}です（公開資料からの推定）。参照先の番号を確かめてください。`,
          span,
          fixes: heading ? [] : [{ title: `節番号を「${nowText}」に直す`, edits: [{ span, newText: nowText }], safe: false }],
          data: { section: m[1] },
        });
      }
    }
  },
};
