/**
 * Obligation levels that contradict each other in one provision: a clause marked 【推奨事項】
 * that is phrased as a duty (しなければならない／してはならない), and 「…しなければならないことが
 * 望ましい」 (意見42, 意見93, 意見117, 意見136).
 */
import type { Fix, Rule, RuleContext } from '../../types';
import type { Clause } from '../../model/types';
import type { Span } from '../../text';
import { keep, occurs, retaining } from '../../memo';
import { clauseRuns, isIgnored } from './support';
import { RECOMMENDED_MARK as MARK } from '../../model/clauses';

const DUTY = /(?:なければ|なくては)(?:ならない|いけない)|[てで]は(?:ならない|いけない)|してはならず/g;
const MIXED = /(?:なければ|なくては)ならない(?:こと|の)が望ましい|[てで]はならない(?:こと|の)が望ましい/;

/** Godan negative stems (…わなければ) → dictionary form endings. */
const A_TO_U: Record<string, string> = { わ: 'う', か: 'く', が: 'ぐ', さ: 'す', た: 'つ', な: 'ぬ', ば: 'ぶ', ま: 'む', ら: 'る' };
const ICHIDAN = /[いきぎじちにひびみりえけげせぜてねへべめれ]/;

/** 「導入しなければならない」 → 「導入するよう努めなければならない」; undefined when the verb form is unclear. */
export function effortForm(stem: string): string | undefined {
  if (stem === 'し') return 'する';
  if (A_TO_U[stem]) return A_TO_U[stem];
  if (stem === 'こ') return 'くる';
  if (ICHIDAN.test(stem)) return `${stem}る`;
  return undefined;
}

/** The verb in front of an ending: 「利用し」 of 利用しなければならない. */
function verbBefore(text: string, end: number): string {
  return /[\p{Script=Han}\p{Script=Katakana}ー]*\p{Script=Hiragana}?$/u.exec(text.slice(0, end))?.[0] ?? '';
}

/** The text after `at` starts with 【 after blanks (a cheap test before the slice and regex below). */
function markFollows(text: string, at: number): boolean {
  let i = at;
  while (i < text.length && (text[i] === ' ' || text[i] === '\t' || text[i] === '\u3000')) i++;
  return text[i] === '【';
}

export const obligationConsistency: Rule = {
  meta: {
    id: 'obligation-consistency',
    aliases: ['recommendation-as-duty', 'LGP407'],
    title: '【推奨事項】なのに義務の書き方',
    defaultSeverity: 'warning',
    fixable: true,
    scope: 'document',
    tags: ['structure', 'obligation'],
    guideline: ['第2編 例文の【推奨事項】（盛り込むことが推奨される事項の印）'],
    seeds: ['意見42', '意見93', '意見117', '意見136'],
  },
  check(ctx) {
    const { doc } = ctx;
    const marks = new Set<number>();
    // A duty is reported only where a 【推奨事項】 mark covers it, and every mark is in the text: a
    // one-shot analysis (its runs are not cached by their text alone) of a text without one looks
    // for mixed clauses only, and without 望ましい either for nothing.
    const noMark = !retaining() && !doc.text.includes(MARK);
    if (noMark && !doc.text.includes('望ましい')) return;
    // Only a clause with 望ましい (MIXED) or a duty can be reported: found per run of clauses (cached).
    const runs = clauseRuns(doc, 'obligation-consistency', (texts, first) => {
      const out: Candidate[] = [];
      for (let i = 0; i < texts.length; i++) {
        const text = texts[i];
        if (text.includes('望ましい') && MIXED.test(text)) { out.push({ index: i, mixed: true, inside: -1, dutyAt: 0, duty: '' }); continue; }
        if (noMark) continue;
        // The obligation level follows from the clause's text.
        const obligation = doc.clauses[first + i].obligation;
        if (obligation !== 'must' && obligation !== 'must-not') continue;
        // The last duty ending of the sentence (a sentence without one is never reported).
        let duty: RegExpExecArray | undefined;
        DUTY.lastIndex = 0;
        for (let m = DUTY.exec(text); m; m = DUTY.exec(text)) duty = m;
        if (duty) out.push({ index: i, mixed: false, inside: text.indexOf(MARK), dutyAt: duty.index, duty: keep(duty[0]) });
      }
      return out;
    });
    // A duty is reported only where a mark is: none in the text (most documents), and only mixed clauses can be.
    const anyMark = occurs(doc.text, MARK);
    for (const run of runs) for (const f of run.value) if (f.mixed || anyMark) checkClause(ctx, doc.clauses[run.start + f.index], f, marks);
  },
};

/** A clause that may be reported (index in its run): one with a mixed ending, or with a duty ending (the last one, offset in the clause) and where 【推奨事項】 is in it (-1: not). */
interface Candidate { index: number; mixed: boolean; inside: number; dutyAt: number; duty: string }

/** Reports the clause when its mark or ending says so. */
function checkClause(ctx: RuleContext, clause: Clause, f: Candidate, marks: Set<number>): void {
  const { doc } = ctx;
  if (f.mixed) {
    if (isIgnored(doc, clause.span.start)) return;
    const m = MIXED.exec(clause.text)!;
    const verb = verbBefore(clause.text, m.index);
    const start = clause.span.start + m.index - verb.length;
    ctx.report({
      message: `「${verb}${m[0]}」は、義務（しなければならない）と推奨（望ましい）を一つの文で言っていて、守らなければならないのかどうかが読み取れません。義務とするなら「…しなければならない」、推奨にとどめるなら「…することが望ましい」のどちらかにしてください。`,
      span: { start, end: start + verb.length + m[0].length },
    });
    return;
  }
  // Where the 【推奨事項】 mark is: in the sentence, at the start of its item, or right after the sentence.
  let mark: Span | undefined;
  const inside = f.inside;
  if (inside >= 0) mark = { start: clause.span.start + inside, end: clause.span.start + inside + MARK.length };
  else if (clause.recommendedMarker && clause.node.title.startsWith(MARK)) mark = { start: clause.node.titleSpan.start, end: clause.node.titleSpan.start + MARK.length };
  else if (markFollows(doc.text, clause.span.end)) {
    // 「…しなければならない。【推奨事項】」 at the end of the line, as the guideline writes it.
    const after = /^[ \t\u3000]*【推奨事項】(?=[ \t\u3000]*(?:\r?\n|$))/.exec(doc.text.slice(clause.span.end, clause.span.end + 20));
    if (after) mark = { start: clause.span.end + after[0].length - MARK.length, end: clause.span.end + after[0].length };
  }
  // One finding per mark: the first duty sentence it covers (the text of an ignored clause does not count).
  if (!mark || marks.has(mark.start) || isIgnored(doc, clause.span.start)) return;
  marks.add(mark.start);
  const dutyStart = clause.span.start + f.dutyAt;
  const span = { start: Math.min(mark.start, clause.span.start), end: Math.max(mark.end, clause.span.end) };
  const fixes: Fix[] = [];
  // Removing the mark keeps the duty; a following full-width space goes with it.
  const trailing = /^[ \u3000]/.test(doc.text.slice(mark.end, mark.end + 1)) && mark.start === clause.node.titleSpan.start ? 1 : 0;
  fixes.push({ title: '【推奨事項】の印を削除して義務として定める', edits: [{ span: { start: mark.start, end: mark.end + trailing }, newText: '' }], safe: false });
  if (clause.obligation === 'must') {
    const stem = clause.text[f.dutyAt - 1];
    const dict = stem ? effortForm(stem) : undefined;
    if (dict) {
      fixes.push({
        title: '努力義務（…よう努めなければならない）に書き換える',
        edits: [{ span: { start: dutyStart - 1, end: dutyStart + f.duty.length }, newText: `${dict}よう努め${f.duty}` }],
        safe: false,
      });
    }
  }
  ctx.report({
    message: `【推奨事項】の印が付いていますが、文は「${verbBefore(clause.text, f.dutyAt)}${f.duty}」と義務の形で書かれていて、守らなければならないのか努めればよいのかが読み手に分かりません。ガイドラインの【推奨事項】は「ポリシーに盛り込むことを推奨する事項」という作成者向けの印です。自団体で義務とするなら印を削除し、努力目標にとどめるなら「…よう努めなければならない」「…することが望ましい」のように書き換えてください。`,
    span,
    fixes,
    data: { obligation: clause.obligation },
  });
}
