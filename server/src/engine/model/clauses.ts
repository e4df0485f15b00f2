/** Sentences of each outline node, with their subject and obligation level. */
import type { Clause, Obligation, OutlineNode } from './types';

const OBLIGATIONS: [RegExp, Obligation][] = [
  [/(努め|つとめ)(なければ|なくては)ならない$|(努め|つとめ)るものとする$|努めること$|努める$/, 'effort'],
  [/[てで]は(ならない|いけない)$|してはならず$/, 'must-not'],
  [/(なければ|なくては)(ならない|いけない)$/, 'must'],
  [/ものとする$/, 'shall'],
  [/望ましい$|推奨する$|推奨される$/, 'recommended'],
  [/ことができる$/, 'may'],
];

export function obligationOf(sentence: string): Obligation {
  const core = sentence.replace(/[。．.\s\u3000」』）)]+$/u, '');
  for (const [re, level] of OBLIGATIONS) if (re.test(core)) return level;
  return 'none';
}

const SUBJECT = /^(?:【[^】]{1,10}】)?([^、。「」（）()]{1,40}?)(?:は|が)[、,]/;

/** Splits a node's own text into sentences at 。 outside brackets; segment ends are boundaries too. */
export function splitSentences(node: OutlineNode): { text: string; start: number }[] {
  const out: { text: string; start: number }[] = [];
  for (const seg of node.segments) {
    let depth = 0;
    let start = 0;
    const t = seg.text;
    for (let i = 0; i < t.length; i++) {
      const ch = t[i];
      if (ch === '「' || ch === '（' || ch === '(' || ch === '『') depth++;
      else if ((ch === '」' || ch === '）' || ch === ')' || ch === '』') && depth > 0) depth--;
      else if (ch === '。' && depth === 0) {
        push(t, start, i + 1, seg.offset, out);
        start = i + 1;
      }
    }
    push(t, start, t.length, seg.offset, out);
  }
  return out;
}

function push(t: string, s: number, e: number, offset: number, out: { text: string; start: number }[]) {
  while (s < e && /[\s\u3000]/.test(t[s])) s++;
  while (e > s && /[\s\u3000]/.test(t[e - 1])) e--;
  if (e > s) out.push({ text: t.slice(s, e), start: offset + s });
}

export function buildClauses(nodes: OutlineNode[], findRole: (text: string) => string | undefined): Clause[] {
  const clauses: Clause[] = [];
  for (const node of nodes) {
    const marked = /^【推奨事項】/.test(node.title);
    for (const s of splitSentences(node)) {
      const clause: Clause = {
        text: s.text,
        span: { start: s.start, end: s.start + s.text.length },
        node,
        obligation: obligationOf(s.text),
        recommendedMarker: marked || s.text.includes('【推奨事項】'),
      };
      const m = SUBJECT.exec(s.text);
      if (m) {
        const lead = m[0].indexOf(m[1]);
        const subjectText = m[1];
        clause.subject = { text: subjectText, span: { start: s.start + lead, end: s.start + lead + subjectText.length }, roleId: findRole(subjectText) };
      }
      clauses.push(clause);
    }
  }
  return clauses;
}
