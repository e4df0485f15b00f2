/**
 * Cross-references whose target is not in the document: 第N条 beyond the document's articles,
 * 前条 in the first article, 前項 in an article's first paragraph, 前号 in the first item,
 * 別表 that is not attached, and 「6.1(16) 電子署名・暗号化」を参照 naming a section that is
 * not there or has another number (意見20, 意見55, 質問22, 質問27, 質問29).
 */
import type { Rule, RuleContext, Fix } from '../../types';
import type { CrossReference, OutlineNode, PolicyDocument } from '../../model/types';
import { intrinsicRank, parseMarker, type Marker } from '../../model/numbering';
import { ancestors } from '../../model/outline';
import { fold, parseJapaneseNumber } from '../../normalize';
import { clauseContaining } from '../../model/document';
import { foldedDocument } from '../../model/folded';
import { isIgnored, isPartial } from './support';

function chainOf(node: OutlineNode): OutlineNode[] {
  return [node, ...ancestors(node)].filter((n) => n.kind !== 'root');
}

const OTHER_DOCUMENT = /(?:基準|規程|規則|要綱|要領|方針|手順書?|ガイドライン|マニュアル|法|法律|条例|計画|指針|通知|ポリシー)(?:の|で定める|に定める)?$/;
const ITEM_STYLES = ['paren-number', 'kanji-number', 'number-paren'];

/** 「2. 情報資産の分類と管理 (2) 情報資産の管理 ⑩情報資産の廃棄」 → [{marker 2., title …}, …]. */
export function splitPath(quoted: string): { marker?: Marker; markerText: string; title: string }[] {
  const parts: { marker?: Marker; markerText: string; title: string }[] = [];
  let rest = quoted.trim();
  while (rest.length) {
    const m = parseMarker(rest);
    let marker: Marker | undefined;
    let markerText = '';
    if (m && m.marker.style !== 'bare-number' && m.marker.style !== 'kanji-number') {
      marker = m.marker;
      markerText = rest.slice(0, m.length).trim();
      rest = rest.slice(m.length);
    }
    // The title runs to the next marker that follows a space (or to the end).
    const next = /[\s\u3000]+(?=[（(][0-9０-９ア-ン]{1,2}[)）]|[①-⑳]|[0-9０-９]+[.．][0-9０-９]|[0-9０-９]+[.．][\s\u3000])/.exec(rest);
    const title = (next ? rest.slice(0, next.index) : rest).trim();
    parts.push({ marker, markerText, title });
    rest = next ? rest.slice(next.index).trim() : '';
    if (!marker && !title) break;
  }
  return parts;
}

const norm = (s: string) => fold(s).replace(/[\s\u3000]/g, '');

function report(ctx: RuleContext, ref: CrossReference, severity: 'error' | 'warning', message: string, fixes: Fix[] = []) {
  ctx.report({ severity, message, span: ref.span, fixes, data: { kind: ref.kind, reference: ref.text } });
}

export const crossReferenceTarget: Rule = {
  meta: {
    id: 'cross-reference-target',
    aliases: ['reference-target', 'LGP404'],
    title: '参照先が文書にない条・項・号・別表・節',
    defaultSeverity: 'warning',
    fixable: true,
    scope: 'document',
    tags: ['structure', 'references'],
    guideline: ['第2編 例文の条項の引用（「…を参照すること」）'],
    seeds: ['意見20', '意見55', '質問22', '質問27', '質問29'],
  },
  check(ctx) {
    const { doc } = ctx;
    // Every finding is about a reference.
    if (doc.references.length === 0 || isPartial(doc)) return;
    // An amending regulation cites the articles of the regulation it amends.
    if (/改正する|一部改正/.test(doc.metadata.title ?? '')) return;
    // 附則 may have articles of its own (附則第2条): its 第N条 are not checked against the main provisions.
    // The model's index of the main provisions' articles (kept across edits that leave markers and headings alone).
    const { articles, supplement } = doc.articles;
    const supplementStart = supplement ? supplement.lineSpan.start : Infinity;
    const numbered = articles.length > 0 && articles[0].marker!.value === 1;
    const maxArticle = articles.reduce((m, a) => Math.max(m, a.marker!.value), 0);
    // Where an article stands among them, for 前条 and 次条 (made on the first: a 1 MB 例規 has ~400 references).
    let place: Map<OutlineNode, number> | undefined;

    for (const ref of doc.references) {
      if (ref.external || isIgnored(doc, ref.span.start)) continue;
      const clause = clauseContaining(doc, ref.span.start, ref.span.end);
      if (!clause) continue;

      if (ref.kind === 'article') {
        if (!numbered || ref.span.start >= supplementStart) continue;
        if (!ref.target) {
          report(ctx, ref, 'error', `${ref.text}はこの文書にありません（この文書の条は第1条から第${maxArticle}条までです）。条の追加や削除で番号がずれていないか、参照先を確かめてください。別の法令や規程の条を指すときは、「○○規程${ref.text}」のように文書名を添えてください。`);
          continue;
        }
        const para = /第([0-9０-９一二三四五六七八九十]+)項/.exec(ref.text);
        if (para && parseJapaneseNumber(para[1]) > 1 && ref.target.marker?.style === 'article') {
          const article = ref.target;
          const count = 1 + article.children.filter((c) => c.marker?.style === 'paragraph').length;
          report(ctx, ref, 'warning', `${ref.text}を参照していますが、${article.marker!.text}は第${count}項までしかありません。項の追加や削除で番号がずれていないか確かめてください。`);
        }
        continue;
      }

      if (ref.kind === 'relative') {
        if (ref.target) continue;
        const chain = chainOf(clause.node);
        const article = chain.find((n) => n.marker?.style === 'article');
        if (ref.detail === '前条' || ref.detail === '次条') {
          if (!article || !numbered) continue;
          const i = (place ??= new Map(articles.map((a, k) => [a, k]))).get(article) ?? -1;
          if (i < 0) continue;
          if (ref.detail === '前条' && i === 0) report(ctx, ref, 'warning', `${article.marker!.text}は最初の条なので、「前条」に当たる条がありません。参照したい条を「第○条」と番号で書いてください。`);
          if (ref.detail === '次条' && i === articles.length - 1) report(ctx, ref, 'warning', `${article.marker!.text}は最後の条なので、「次条」に当たる条がありません。条を削除したあとに参照が残っていないか確かめてください。`);
        } else if (ref.detail === '前項') {
          // In the article's own text (paragraph 1) or an item under it: there is no earlier paragraph.
          if (!article || chain.some((n) => n.marker?.style === 'paragraph')) continue;
          report(ctx, ref, 'warning', `「前項」が${article.marker!.text}の第1項（条の本文）にあるため、指す項がありません。参照したい条項を「第○条第○項」のように書くか、項の並びを確かめてください。`);
        } else if (ref.detail === '前号') {
          // 例規: 号 are (1) 一 1); guideline layout: the innermost list item (① after ①, (ア) after (ア)).
          const item = article ? chain.find((n) => n.marker && ITEM_STYLES.includes(n.marker.style)) : chain.find((n) => n.marker && intrinsicRank(n.marker) === undefined);
          if (!item?.parent) continue;
          const siblings = item.parent.children.filter((c) => c.marker?.style === item.marker!.style);
          const unit = article ? '号' : '項目';
          if (siblings.indexOf(item) === 0) report(ctx, ref, 'warning', `${item.marker!.text}は最初の${unit}なので、「前号」に当たる${unit}がありません。参照先を番号で書くか、${unit}の並びを確かめてください。`);
        }
        continue;
      }

      if (ref.kind === 'appendix') {
        // The line that starts with 別表第1 is the appendix itself (別表第1（第4条関係）).
        const lineStart = ctx.lines.lineStarts[ctx.lines.lineAt(ref.span.start)];
        if (/^[#>*\s\u3000|]*[\[［【(（]?$/.test(doc.text.slice(lineStart, ref.span.start))) continue;
        if (ref.target || appendixPresent(doc, ref)) continue;
        report(ctx, ref, 'warning', `${ref.text}を参照していますが、この文書に${ref.text}が見当たりません。${ref.text}を文書に載せるか、別の文書の別表を指すときは「○○要綱${ref.text}」のように文書名を添えてください。`);
        continue;
      }

      if (ref.kind === 'title') {
        if (ref.target) continue;
        // 対策基準「5.1 職員等の遵守事項」を参照 / ガイドラインの「…」: a place in another document.
        const before = doc.text.slice(Math.max(clause.span.start, ref.span.start - 16), ref.span.start - 1);
        if (OTHER_DOCUMENT.test(before)) continue;
        const parts = splitPath(ref.text);
        const last = parts[parts.length - 1];
        // Only references written as a section path (番号 + 見出し) are checked; a bare name may be another document.
        if (!parts.some((p) => p.marker) || !last?.title) continue;
        const wanted = norm(last.title);
        const candidates = doc.nodes.filter((n) => n !== clause.node && (norm(n.caption ?? '') === wanted || norm(n.title) === wanted));
        if (candidates.length === 0) {
          report(ctx, ref, 'warning', `「${ref.text}」を参照していますが、この文書に「${last.title}」という節や項目が見当たりません。見出しの変更や削除のあとに参照が残っていないか確かめてください。別の文書の箇所なら、文書名を添えてください。`);
          continue;
        }
        if (!last.marker) continue;
        if (candidates.some((n) => n.marker && fold(n.marker.text) === fold(last.markerText.replace(/[\s\u3000]+$/, '')))) continue;
        const actual = candidates.find((n) => n.marker && n.marker.style === last.marker!.style) ?? candidates.find((n) => n.marker);
        if (!actual?.marker) continue;
        const markerAt = ref.text.lastIndexOf(last.markerText);
        const fixes: Fix[] = markerAt >= 0 ? [{ title: `参照の番号を「${actual.marker.text}」に直す`, edits: [{ span: { start: ref.span.start + markerAt, end: ref.span.start + markerAt + last.markerText.length }, newText: actual.marker.text }], safe: false }] : [];
        report(ctx, ref, 'warning', `「${ref.text}」を参照していますが、この文書の「${last.title}」は${actual.marker.text}です。番号の振り直しで参照がずれていないか確かめてください。`, fixes);
      }
    }
  },
};

/** 別表 written as a plain line, a heading or a table caption somewhere else in the document. */
function appendixPresent(doc: PolicyDocument, ref: CrossReference): boolean {
  const num = ref.detail && ref.detail !== '別表' ? ref.detail.slice(2) : undefined;
  const folded = foldedDocument(doc);
  const re = new RegExp(`(^|\\n)[#>*\\s|]*[\\[［【(（]?別表${num ? `(?:第)?(?:${num}|${toKanji(Number(num))})(?![0-9])` : ''}`, 'g');
  // Piece by piece: each piece starts a line (^), and 別表 does not span a line break.
  for (let k = 0; k < folded.pieces.length; k++) {
    const text = folded.pieces[k];
    if (!text.includes('別表')) continue;
    re.lastIndex = 0;
    let m: RegExpExecArray | null;
    while ((m = re.exec(text))) {
      const at = folded.starts[k] + m.index + m[0].length - 1;
      if (at < ref.span.start || at > ref.span.end) return true;
    }
  }
  return false;
}

function toKanji(n: number): string {
  const d = ['', '一', '二', '三', '四', '五', '六', '七', '八', '九'];
  if (n < 10) return d[n];
  if (n < 20) return '十' + d[n - 10];
  return d[Math.floor(n / 10)] + '十' + d[n % 10];
}
