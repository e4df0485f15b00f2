/**
 * Missing required elements in guideline sections, driven by the requirements data.
 * First slice: 外部サービスの利用に係る規定の整備 (8.2(1) / 8.3(1)).
 */
import type { Rule, RuleContext } from '../types';
import type { OutlineNode } from '../model/types';
import { ancestors } from '../model/outline';
import { nodeText } from '../model/document';
import { fold } from '../normalize';
import { matchesAny } from '../concepts';
import { Knowledge, type RequirementPart, type RequirementSection } from '../../knowledge';
import { REVISION_LABELS } from '../model/metadata';
import { resolveSnippet, snippet } from '../snippets';
import { appendChildItem } from '../edit';

const titleOf = (n: OutlineNode) => fold(`${n.caption ?? ''} ${n.title}`);
const titleLike = (n: OutlineNode) => n.kind === 'heading' || !!n.caption || (n.title.length <= 40 && !n.title.includes('。'));

export function findPartNodes(ctx: RuleContext, section: RequirementSection, part: RequirementPart): OutlineNode[] {
  const found: OutlineNode[] = [];
  for (const node of ctx.doc.nodes) {
    if (!titleLike(node) || !matchesAny(titleOf(node), part.recognise)) continue;
    if (found.some((f) => ancestors(node).includes(f))) continue;
    const chain = ancestors(node);
    const own = matchesAny(titleOf(node), section.recognise);
    if (!own && !chain.some((a) => matchesAny(titleOf(a), section.recognise))) continue;
    if ([node, ...chain].some((a) => section.exclude && matchesAny(titleOf(a), section.exclude))) continue;
    found.push(node);
  }
  return found;
}

export const requiredElements: Rule = {
  meta: {
    id: 'required-elements',
    aliases: ['missing-element', 'LGP101'],
    title: 'ガイドラインが求める要素の欠落',
    defaultSeverity: 'warning',
    fixable: true,
    scope: 'document',
    tags: ['conformance'],
    guideline: ['8.2(1) / 8.3(1) 外部サービスの利用に係る規定の整備'],
    seeds: ['意見1', '意見7', '意見59', '意見63'],
  },
  check(ctx) {
    for (const section of ctx.knowledge.requirements) {
      const ref = Knowledge.sectionFor(section.sections, ctx.revision);
      for (const part of section.parts) {
        for (const node of findPartNodes(ctx, section, part)) {
          const text = fold(nodeText(ctx.doc, node));
          for (const element of part.elements) {
            if (matchesAny(text, element.present)) continue;
            const where = ref ? `ガイドライン${REVISION_LABELS[ctx.revision]} ${ref.section}${part.item}` : `ガイドライン${REVISION_LABELS[ctx.revision]}`;
            const sn = snippet(element.snippet);
            const fixes = sn
              ? [{
                  title: `モデル条文「${element.label}」を挿入する`,
                  edits: [appendChildItem(ctx.doc, ctx.lines, node, resolveSnippet(sn.body, { organization: ctx.config.organization ?? ctx.doc.metadata.organization, revision: ctx.revision }))],
                  safe: false,
                  preferred: true,
                }]
              : [];
            ctx.report({
              message: `「${part.title}」に「${element.label}」が見当たりません（${where}）。${element.rationale} クイックフィックスでモデル条文を挿入できます。`,
              span: node.lineSpan,
              fixes,
            });
          }
        }
      }
    }
  },
};
