/** Cross-references: 第N条, 前条/前項/前号, 別表, 「…」を参照. */
import type { Clause, CrossReference, OutlineNode } from './types';
import type { SentenceInfo } from './clauses';
import { parseJapaneseNumber } from '../normalize';
import { fold } from '../normalize';
import { firstAtOrAfter, firstSpanAt, nodeIndex } from './search';
import { spliced } from '../text';

const NUM = '[0-9０-９一二三四五六七八九十百]+';
const ARTICLE_REF = new RegExp(`第(${NUM})条(?:の(${NUM}))?(?:第(${NUM})項)?(?:第(${NUM})号)?`, 'g');
const RELATIVE_REF = /前条|次条|前項|前号/g;
const APPENDIX_REF = new RegExp(`別表(?:第?(${NUM}))?`, 'g');
const TITLE_REF = /「([^「」]{2,60})」(?:を)?参照/g;
const OTHER_DOC = /(法律?|政令|省令|府令|[^指]令|条例|規則|規程|要綱|要領|基準|方針|告示|訓令|通達|通知|同法|同令|同条例|同規則)$/;
const THIS_DOC = /(この|本)(規程|要綱|規則|基準|要領|方針|訓令|告示|手順)$/;

function isExternal(before: string): boolean {
  let s = before;
  for (let i = 0; i < 3; i++) s = s.replace(/[（(][^（）()]*[）)]$/, '');
  if (THIS_DOC.test(s)) return false;
  return OTHER_DOC.test(s);
}

function ancestorsOrSelf(node: OutlineNode): OutlineNode[] {
  const out: OutlineNode[] = [];
  for (let n: OutlineNode | undefined = node; n && n.kind !== 'root'; n = n.parent) out.push(n);
  return out;
}

export function articleKey(path: number[]): string {
  return path.length === 1 ? String(path[0]) : path.join('-');
}

/** articles.indexOf(article) by binary search: the articles are in document order (distinct line starts). */
function indexOfArticle(articles: OutlineNode[], article: OutlineNode): number {
  const at = article.lineSpan.start;
  let lo = 0, hi = articles.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const s = articles[mid].lineSpan.start;
    if (s === at) return articles[mid] === article ? mid : -1;
    if (s < at) lo = mid + 1; else hi = mid - 1;
  }
  return -1;
}

/**
 * What a sentence alone says about its references: each match of the patterns below, in the
 * order they are reported, with whether the words before it name another law (cached per sentence).
 */
export interface RawReference { kind: CrossReference['kind']; index: number; text: string; g1?: string; g2?: string; g3?: string; external: boolean }
const NO_REFS: RawReference[] = [];

function sentenceReferences(t: string): RawReference[] {
  let out: RawReference[] | undefined;
  let m: RegExpExecArray | null;
  // Each pattern needs a word most sentences lack: test for it before running the pattern.
  if (t.includes('条')) {
    ARTICLE_REF.lastIndex = 0;
    while ((m = ARTICLE_REF.exec(t))) (out ??= []).push({ kind: 'article', index: m.index, text: m[0], g1: m[1], g2: m[2], g3: m[3], external: isExternal(t.slice(0, m.index)) });
  }
  if (t.includes('前') || t.includes('次')) {
    RELATIVE_REF.lastIndex = 0;
    while ((m = RELATIVE_REF.exec(t))) (out ??= []).push({ kind: 'relative', index: m.index, text: m[0], external: false });
  }
  if (t.includes('別表')) {
    APPENDIX_REF.lastIndex = 0;
    while ((m = APPENDIX_REF.exec(t))) (out ??= []).push({ kind: 'appendix', index: m.index, text: m[0], g1: m[1], external: isExternal(t.slice(0, m.index)) });
  }
  if (t.includes('参照')) {
    TITLE_REF.lastIndex = 0;
    while ((m = TITLE_REF.exec(t))) (out ??= []).push({ kind: 'title', index: m.index, text: m[0], g1: m[1], external: false });
  }
  return out ?? NO_REFS;
}

/**
 * The articles of the main provisions (before 附則), in order and by number: what article
 * references point to; and the node that starts 附則, if any. It depends on the nodes' markers
 * and the titles of headings only (kept across edits that change neither: the nodes move in place).
 */
export interface ArticleIndex {
  articles: OutlineNode[];
  byNumber: Map<string, OutlineNode>;
  supplement?: OutlineNode;
  /** Some number is held by more than one article (byNumber holds the first). */
  duplicates: boolean;
}

export function articleIndex(nodes: OutlineNode[]): ArticleIndex {
  const articles: OutlineNode[] = [];
  const byNumber = new Map<string, OutlineNode>();
  let supplement: OutlineNode | undefined;
  let duplicates = false;
  for (let i = 0; i < nodes.length; i++) {
    const n = nodes[i];
    if (!supplement && startsSupplement(n)) supplement = n;
    if (n.marker?.style === 'article' && !supplement) {
      articles.push(n);
      const key = articleKey(n.marker.path);
      if (!byNumber.has(key)) byNumber.set(key, n); else duplicates = true;
    }
  }
  return { articles, byNumber, supplement, duplicates };
}

/** A node that starts 附則: its marker, or a heading titled 附則. */
function startsSupplement(n: OutlineNode): boolean {
  return n.marker?.style === 'supplement' || (n.kind === 'heading' && n.title.startsWith('附') && /^附[\s\u3000]*則/.test(n.title));
}

/**
 * The index after an edit that made the nodes [a, b) again, the others being the previous ones
 * (same objects, markers and titles, moved in place: document.ts), without a walk of all the nodes:
 * `previous` itself when none of the nodes removed or made is an article, else the previous
 * articles with those removed replaced by those made (a 第N条 marker broken or mended rebuilds its
 * chapter). The previous articles are in document order: those among the nodes before `a` come
 * first, then the removed ones, then those from `b` on (binary searches tell where each part
 * starts). Built again when 附則 starts among the nodes made or its start was removed, and when some
 * number was held twice (which article holds a number is then decided over all of them).
 */
export function articleIndexAfter(previous: ArticleIndex, nodes: OutlineNode[], a: number, b: number): ArticleIndex {
  for (let i = a; i < b; i++) if (startsSupplement(nodes[i])) return articleIndex(nodes);
  if (previous.supplement) {
    const s = nodeIndex(nodes, previous.supplement);
    if (s < 0) return articleIndex(nodes);
    // The nodes made again lie in 附則, whose articles are not indexed.
    if (s < a) return previous;
  }
  const old = previous.articles;
  // A removed article has no index (-1): the first search counts it as after `a`, the second as before `b`.
  const p = firstAtOrAfter(old, a, (n) => { const j = nodeIndex(nodes, n); return j < 0 ? Infinity : j; });
  const q = firstAtOrAfter(old, b, (n) => nodeIndex(nodes, n));
  const made: OutlineNode[] = [];
  for (let i = a; i < b; i++) if (nodes[i].marker?.style === 'article') made.push(nodes[i]);
  if (p === q && made.length === 0) return previous;
  if (previous.duplicates) return articleIndex(nodes);
  // Each number was held by one article: the removed ones' numbers go, the made ones' come (the first in the text holds a number held twice).
  const byNumber = new Map(previous.byNumber);
  for (let k = p; k < q; k++) byNumber.delete(articleKey(old[k].marker!.path));
  let duplicates = false;
  for (const n of made) {
    const key = articleKey(n.marker!.path);
    const held = byNumber.get(key);
    if (!held) byNumber.set(key, n);
    else { duplicates = true; if (held.lineSpan.start > n.lineSpan.start) byNumber.set(key, n); }
  }
  return { articles: spliced(old, p, q - p, made), byNumber, supplement: previous.supplement, duplicates };
}

/** Whether a reference's target depends on the titles of nodes (see patchReferences). */
export function readsTitles(r: CrossReference): boolean {
  return r.kind === 'title' || r.kind === 'appendix';
}

/**
 * The references after an edit that changed one block [start, oldEnd) into [start, end) without
 * changing the outline or the title of a heading (patch.ts): `refs` (sorted, before the edit)
 * without those in the block, the later ones moved (in place), and those of the block's clauses.
 * The others keep their targets: when the outline changed, or a title that references read
 * (readsTitles), the caller finds them again (retargetReferences).
 */
export function patchReferences(refs: CrossReference[], edit: { start: number; oldEnd: number; delta: number }, nodes: OutlineNode[], index: ArticleIndex, clauses: Clause[], infos?: (SentenceInfo | undefined)[]): void {
  const i0 = firstSpanAt(refs, edit.start), i1 = firstSpanAt(refs, edit.oldEnd);
  if (edit.delta !== 0) for (let i = i1; i < refs.length; i++) { refs[i].span.start += edit.delta; refs[i].span.end += edit.delta; }
  const made = clauses.length === 0 ? [] : buildReferences(nodes, clauses, infos, index);
  if (i1 > i0 || made.length > 0) refs.splice(i0, i1 - i0, ...made);
}

/** `infos[i]`: the cached sentence of clauses[i], if any (see buildClauses). */
export function buildReferences(nodes: OutlineNode[], clauses: Clause[], infos?: (SentenceInfo | undefined)[], index = articleIndex(nodes)): CrossReference[] {
  const refs: CrossReference[] = [];
  const targets = new Targets(nodes, index);
  for (let i = 0; i < clauses.length; i++) {
    const clause = clauses[i];
    const info = infos?.[i];
    const found = info ? (info.refs ??= sentenceReferences(info.text)) : sentenceReferences(clause.text);
    if (found.length === 0) continue;
    for (const r of found) refs.push(targets.reference(r, clause));
  }
  return refs.sort((a, b) => a.span.start - b.span.start);
}

/**
 * The references `refs` (sorted, at their places in the text now) with their targets found again
 * in the outline now: after an edit that changed the outline (numbering, headings, 附則) but left
 * the clauses outside the edited lines as they were, each reference is made again from what its
 * sentence said (`raw`) and the clause holding it (binary search), instead of reading every clause
 * of the document (1–2 ms on a 1 MB 例規 document after every such edit). Undefined when a
 * reference cannot be matched with its clause (then build them anew).
 */
export function retargetReferences(refs: CrossReference[], nodes: OutlineNode[], clauses: Clause[], index: ArticleIndex): CrossReference[] | undefined {
  referenceStats.retargeted++;
  const targets = new Targets(nodes, index);
  const out: CrossReference[] = new Array(refs.length);
  for (let i = 0; i < refs.length; i++) {
    const ref = refs[i];
    const k = firstSpanAt(clauses, ref.span.start + 1) - 1;
    const clause = clauses[k];
    if (!ref.raw || !clause || ref.span.end > clause.span.end) return undefined;
    const again = targets.reference(ref.raw, clause);
    if (again.span.start !== ref.span.start || again.span.end !== ref.span.end) return undefined;
    out[i] = again;
  }
  return out;
}

/** How often references were found again from their sentences (retargetReferences; tests). */
export const referenceStats = { retargeted: 0 };

/** Where references point in an outline: the article index, and 別表 nodes and nodes by folded title (made on first use). */
class Targets {
  private appendices: { node: OutlineNode; num?: number; named: boolean }[] | undefined;
  private byTitle: Map<string, OutlineNode[]> | undefined;
  constructor(private readonly nodes: OutlineNode[], private readonly index: ArticleIndex) {}

  /** The reference a sentence's match `r` makes in `clause`. */
  reference(r: RawReference, clause: Clause): CrossReference {
    const { articles, byNumber } = this.index;
    const at = clause.span.start + r.index;
    if (r.kind === 'article') {
      const n = parseJapaneseNumber(r.g1!);
      const branch = r.g2 ? parseJapaneseNumber(r.g2) : undefined;
      const key = articleKey(branch === undefined ? [n] : [n, branch]);
      let target = r.external ? undefined : byNumber.get(key);
      if (target && r.g3) {
        const para = parseJapaneseNumber(r.g3);
        if (para > 1) target = target.children.find((c) => c.marker?.style === 'paragraph' && c.marker.value === para) ?? target;
      }
      return { kind: 'article', text: r.text, span: { start: at, end: at + r.text.length }, target, external: r.external, detail: key, raw: r };
    }
    if (r.kind === 'relative') {
      const chain = ancestorsOrSelf(clause.node);
      let target: OutlineNode | undefined;
      if (r.text === '前条' || r.text === '次条') {
        const article = chain.find((n) => n.marker?.style === 'article');
        if (article) target = articles[indexOfArticle(articles, article) + (r.text === '前条' ? -1 : 1)];
      } else if (r.text === '前項') {
        const para = chain.find((n) => n.marker?.style === 'paragraph');
        if (para?.parent) {
          const siblings = para.parent.children.filter((c) => c.marker?.style === 'paragraph');
          const i = siblings.indexOf(para);
          target = i > 0 ? siblings[i - 1] : para.parent.marker?.style === 'article' ? para.parent : undefined;
        }
      } else {
        const item = chain.find((n) => n.marker && ['paren-number', 'kanji-number', 'number-paren'].includes(n.marker.style));
        if (item?.parent) {
          const siblings = item.parent.children.filter((c) => c.marker?.style === item.marker!.style);
          target = siblings[siblings.indexOf(item) - 1];
        }
      }
      return { kind: 'relative', text: r.text, span: { start: at, end: at + r.text.length }, target, external: false, detail: r.text, raw: r };
    }
    if (r.kind === 'appendix') {
      const num = r.g1 ? parseJapaneseNumber(r.g1) : undefined;
      this.appendices ??= this.nodes.flatMap((n) => {
        const mm = /^別表(?:第?([0-9０-９一二三四五六七八九十百]+))?/.exec(n.title);
        return mm ? [{ node: n, num: mm[1] !== undefined ? parseJapaneseNumber(mm[1]) : undefined, named: mm[1] !== undefined }] : [];
      });
      const target = r.external ? undefined : this.appendices.find((a) => a.node.titleSpan.start !== at && (num === undefined || (a.named && a.num === num)))?.node;
      return { kind: 'appendix', text: r.text, span: { start: at, end: at + r.text.length }, target, external: r.external, detail: num === undefined ? '別表' : `別表${num}`, raw: r };
    }
    const title = r.g1!;
    const target = this.titled(titleKey(title))?.find((n) => n !== clause.node);
    const external = /『/.test(title) || /(法|条例|ガイドライン|規則|要綱|手順書?)$/.test(title) && !target;
    return { kind: 'title', text: title, span: { start: at + 1, end: at + 1 + title.length }, target, external, raw: r };
  }

  /** The nodes whose title, caption or marker and title fold to `key`. */
  private titled(key: string): OutlineNode[] | undefined {
    if (!this.byTitle) {
      const byTitle = new Map<string, OutlineNode[]>();
      for (const n of this.nodes) {
        for (const s of [n.title, n.caption ?? '', `${n.marker?.text ?? ''}${n.title}`]) {
          if (!s) continue;
          const k = titleKey(s);
          const list = byTitle.get(k) ?? [];
          if (list[list.length - 1] !== n) list.push(n);
          byTitle.set(k, list);
        }
      }
      this.byTitle = byTitle;
    }
    return this.byTitle.get(key);
  }
}

const titleKey = (s: string) => fold(s).replace(/\s/g, '');
