/** Wrong role names: 総括情報セキュリティ責任者 for 統括情報セキュリティ責任者 and similar one-character slips. */
import type { Rule, RuleContext } from '../../types';
import type { Knowledge } from '../../../knowledge';
import { escapeLiteral } from '../../prh';
import { minimalEdit, perDocument, scanProse, type Draft } from './support';

export const ROLE_NAME_ID = 'role-name-misspelling';

/**
 * Character slips that make a different word: 総括 (summing up) / 統轄 for 統括 (overall command),
 * 監理 (supervision) for 管理. Other misspellings in the knowledge base (セキュリティー, テイ)
 * are spelling variants handled by term-variants; reworded titles (情報セキュリティ総括責任者 …)
 * may be an organisation's own post and are left alone.
 */
const SLIPS: [string, string][] = [['総', '統'], ['轄', '括'], ['監', '管']];

/** The role-name misspellings of the knowledge base that are one of the slips above. */
export function isSlip(misspelling: string, name: string): boolean {
  if (misspelling.length !== name.length || misspelling === name) return false;
  for (let i = 0; i < name.length; i++) {
    if (misspelling[i] === name[i]) continue;
    if (!SLIPS.some(([wrong, right]) => misspelling[i] === wrong && name[i] === right)) return false;
  }
  return true;
}

export interface RoleSlip { start: number; end: number; text: string; correct: string; quoted: boolean }

const slipTables = new WeakMap<Knowledge, { re: RegExp; correct: Map<string, string> }>();

/** The knowledge base's slips as one regex (longest first) and their corrections. */
function slipTable(kb: Knowledge): { re: RegExp; correct: Map<string, string> } {
  let t = slipTables.get(kb);
  if (!t) {
    const correct = new Map<string, string>();
    for (const role of kb.roles) for (const m of role.misspellings ?? []) if (isSlip(m, role.name)) correct.set(m, role.name);
    const alternatives = [...correct.keys()].sort((a, b) => b.length - a.length).map(escapeLiteral);
    t = { re: new RegExp(alternatives.length ? alternatives.join('|') : '(?!)', 'g'), correct };
    slipTables.set(kb, t);
  }
  return t;
}

/** Every slip in the document's prose (quoted ones included): the spans this rule owns. */
export function roleSlips(ctx: RuleContext): RoleSlip[] {
  return perDocument(ctx.doc, 'role-slips', () => {
    const { re, correct } = slipTable(ctx.knowledge);
    return scanProse(ctx.doc, re).map((h) => ({ start: h.start, end: h.end, text: h.text, correct: correct.get(h.text)!, quoted: h.quoted }));
  });
}

export function detectRoleSlips(ctx: RuleContext): Draft[] {
  return perDocument(ctx.doc, ROLE_NAME_ID, () => roleSlips(ctx).filter((s) => !s.quoted).map((s) => ({
    message: `「${s.text}」は役職名の誤記です。ガイドラインの役職名は「${s.correct}」です。役職名が違うと、権限と責任を負う者が誰なのかが条文から読み取れなくなるため、「${s.correct}」に直してください。`,
    span: { start: s.start, end: s.end },
    fixes: [{ title: `「${s.correct}」に直す`, edits: [minimalEdit(s.start, s.text, s.correct)], safe: true, preferred: true }],
    data: { from: s.text, to: s.correct },
  })));
}

export const roleNameMisspelling: Rule = {
  meta: {
    id: ROLE_NAME_ID,
    aliases: ['role-name-typo', 'LGP303'],
    title: '役職名の誤記（総括情報セキュリティ責任者 → 統括情報セキュリティ責任者 など）',
    defaultSeverity: 'warning',
    fixable: true,
    scope: 'document',
    tags: ['consistency', 'roles'],
    guideline: ['1 組織体制'],
    seeds: [],
  },
  check(ctx) {
    for (const d of detectRoleSlips(ctx)) ctx.report(d);
  },
};
