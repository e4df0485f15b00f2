/**
 * Abbreviations and specialist guideline terms (SLA, EDR, CSIRT, セキュアブラウザ …) used in the
 * body of a policy that neither defines nor explains them (意見9, 意見120).
 */
import type { Fix, Rule, RuleContext, TextEdit } from '../../types';
import type { Definition, OutlineNode, PolicyDocument } from '../../model/types';
import type { Knowledge, Term } from '../../../knowledge';
import type { Match } from '../../../knowledge/matcher';
import { formatMarker } from '../../model/numbering';
import { appendBlock } from '../../edit';
import { foldChar, toFullWidthDigits } from '../../normalize';
import { clauseRuns, definitionSectionTest, firstDefinitionHeading, definitionTable, delegatesDefinitionsIn, isIgnored, isPartial, nodeOfDefinition, nodeRuns, spaceFor, textRuns } from './support';

/**
 * Terms a municipal reader cannot be expected to know, by knowledge id. Every name of the
 * term that contains Latin letters triggers the check (SLA, E2E暗号化, IDS/IPS …); `jargon`
 * lists the Japanese or katakana names that do as well. Self-explanatory names
 * (サービス品質保証, 私物端末の業務利用) and English expansions never trigger.
 */
export const UNDEFINED_TERM_IDS: Record<string, { jargon?: string[] }> = {
  sla: {}, 'e2e-encryption': {}, edr: {}, epp: {}, ngav: {}, soc: {}, siem: {},
  'managed-security-service': {}, byod: {}, ismap: {}, 'ismap-liu': {}, csirt: {}, 'soc-report': {},
  utm: {}, waf: {}, 'ids-ips': {}, mdm: {}, cvss: {}, ppap: {}, iaas: {}, paas: {}, saas: {},
  'local-breakout': { jargon: ['ローカルブレイクアウト'] }, 'recovery-time-objective': {}, 's-mime': {},
  'c2-server': {}, mfa: {}, 'two-factor-authentication': {}, 'one-time-password': {}, vdi: {}, isms: {},
  nda: {}, 'sender-domain-authentication': {},
  'secure-browser': { jargon: ['セキュアブラウザ', 'セキュア・ブラウザ'] },
  'zero-trust': { jargon: ['ゼロトラスト'] },
  sandbox: { jargon: ['サンドボックス'] },
  forensics: { jargon: ['デジタルフォレンジック', 'デジタル・フォレンジック', 'フォレンジック', 'フォレンジック調査'] },
};

/** Names that only make sense once the named term is known (ISMAPクラウドサービスリスト needs ISMAP). */
const NEEDS: Record<string, string> = { 'ismap-cloud-service-list': 'ismap', 'ismap-control-criteria': 'ismap' };

/**
 * An abbreviation: the name starts with a Latin run holding at least two capitals or digits
 * (SLA, E2E暗号化, C&Cサーバ, IaaS, 2FA). English expansions (several words) and names that
 * merely start with a word such as Web (Webアプリケーションファイアウォール) do not count.
 */
const isAbbreviation = (name: string) => {
  if (/[A-Za-z]{2,}[ ][A-Za-z]{2,}/.test(name) && !/^[A-Z0-9\- ]+$/.test(name)) return false;
  const lead = /^[A-Za-z0-9&/\-]+/.exec(name)?.[0] ?? '';
  return (lead.match(/[A-Z0-9]/g) ?? []).length >= 2;
};

export function triggersFor(term: Term): string[] {
  const cfg = UNDEFINED_TERM_IDS[term.id];
  if (!cfg) return [];
  const names = [term.headword, ...(term.aliases ?? [])];
  return names.filter((n) => isAbbreviation(n) || (cfg.jargon ?? []).includes(n));
}

/**
 * A short definition (「…をいう。」) derived from the first sentence of the knowledge explanation:
 * the sentence is cut before any remark that follows the definition (「…の制度で、2020年に…」),
 * and its ending is turned into the definition form.
 */
export function definitionText(term: Term): string | undefined {
  if (!definitionTexts.has(term)) definitionTexts.set(term, deriveDefinition(term));
  return definitionTexts.get(term);
}
const definitionTexts = new WeakMap<Term, string | undefined>();

function deriveDefinition(term: Term): string | undefined {
  let s = term.explanation.split('。')[0];
  s = s.replace(/(?:のこと)?ですが[、,].*$/, 'のことです');
  const cut = /^(.*?(?:方式|制度|仕組み|形態|コード|チーム|もの|規格|サービス|装置|製品群|報告書|契約|考え方|方法|慣行|サーバ|目標))で[、,]/.exec(s);
  if (cut) s = cut[1] + 'です';
  s = s
    .replace(/の呼び名です$/, 'です')
    .replace(/のことです$/, 'です')
    .replace(/を指します$/, 'です')
    .replace(/です$/, 'をいう。');
  // An explanation that does not read as a definition gets no inserted text (the finding stays, without a fix).
  if (!s.endsWith('をいう。')) return undefined;
  const acronym = /^[A-Z0-9][A-Za-z0-9/\-&]*$/.test(term.headword) || /[A-Z]{2,}/.test(term.headword);
  return acronym && term.english ? `${term.english}の略で、${s}` : s;
}

interface Use { termId: string; name: string; start: number; end: number }
/**
 * What a clause with relevant matches yields from its text alone (cached with its run): the
 * uses of checked names (offsets in the clause) and the ids it explains where it uses them.
 */
interface ClauseFacts { index: number; uses: Use[]; explained: string[] }

/** Knowledge ids whose matches matter to this rule: the checked terms and the names that need one. */
const RELEVANT = new Set([...Object.keys(UNDEFINED_TERM_IDS), ...Object.keys(NEEDS)]);

/**
 * Folded key of each BMP code unit as the term matcher computes it (foldChar of the unit when
 * that is one unit), filled on first use: -1 not yet known, -2 folds to several units (matches
 * no needle unit), -3 a surrogate (a pair may fold to one letter: always a possible mention).
 */
const UNIT_KEYS = new Int32Array(65536).fill(-1);
function unitKey(code: number): number {
  let k = UNIT_KEYS[code];
  if (k === -1) {
    if (code >= 0xd800 && code <= 0xdfff) k = -3;
    else {
      const f = foldChar(String.fromCharCode(code));
      k = f.length === 1 ? f.charCodeAt(0) : -2;
    }
    UNIT_KEYS[code] = k;
  }
  return k;
}

/**
 * The folded names of the relevant terms. A name is cut before its first character that does not
 * fold to one BMP unit: the kept prefix must occur (in folded keys) wherever the matcher finds
 * the name. `first` marks the first unit of a prefix (2: a one-unit prefix), `byFirst` lists
 * the prefixes by first unit; `always`: some name has no such prefix.
 */
interface Needles { first: Uint8Array; byFirst: Map<number, number[][]>; always: boolean; space: string }
const needleSets = new WeakMap<Knowledge, Needles>();
function needlesOf(kb: Knowledge): Needles {
  let n = needleSets.get(kb);
  if (!n) {
    const first = new Uint8Array(65536);
    const byFirst = new Map<number, number[][]>();
    let always = false;
    for (const id of RELEVANT) {
      const term = kb.termById.get(id);
      if (!term) continue;
      for (const name of [term.headword, ...(term.aliases ?? [])]) {
        const keys: number[] = [];
        for (const ch of name) {
          const f = ch.length === 1 ? foldChar(ch) : '';
          if (f.length !== 1) break;
          keys.push(f.charCodeAt(0));
        }
        if (keys.length === 0) { always = true; continue; }
        first[keys[0]] = keys.length === 1 ? 2 : Math.max(first[keys[0]], 1);
        const list = byFirst.get(keys[0]) ?? [];
        list.push(keys);
        byFirst.set(keys[0], list);
      }
    }
    // Cached clause facts depend on the knowledge: one cache space per knowledge base.
    n = { first, byFirst, always, space: spaceFor('undefined-term', kb) };
    needleSets.set(kb, n);
  }
  return n;
}

/**
 * Whether the term matcher may find a relevant term in `text`: false when no relevant name occurs
 * in it, so that the text need not be matched at all (a pass over its code units; one call per
 * text, which a cold start compiles sooner than one long loop over all texts).
 */
function mayMention(needles: Needles, text: string): boolean {
  if (needles.always) return true;
  const { first } = needles;
  const n = text.length;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    let k = UNIT_KEYS[c];
    if (k === -1) k = unitKey(c);
    if (k < 0) {
      if (k === -3) return true;
      continue;
    }
    const f = first[k];
    if (f === 2 || (f === 1 && nameAt(needles, text, i, k))) return true;
  }
  return false;
}

/** A folded name whose first unit is `k` starts at `i` (a surrogate in the text makes mayMention true by itself). */
function nameAt(needles: Needles, text: string, i: number, k: number): boolean {
  for (const keys of needles.byFirst.get(k)!) {
    const last = keys.length - 1;
    if (i + last >= text.length) continue;
    // The last unit first: 情報セキュリティ… is common, the rest of a long name is not.
    if (unitKey(text.charCodeAt(i + last)) !== keys[last]) continue;
    let j = 1;
    while (j < last && unitKey(text.charCodeAt(i + j)) === keys[j]) j++;
    if (j >= last) return true;
  }
  return false;
}

/** The relevant matches in each text (none without a possible mention: the matcher is not run there). */
function relevantMatches(kb: Knowledge, needles: Needles, texts: string[]): Match[][] {
  return texts.map((text) => mayMention(needles, text) ? kb.matcher.findAll(text).filter((m) => m.entry.kind === 'term' && RELEVANT.has(m.entry.id)) : []);
}

/** The ids of the relevant matches (the needed term for a name that needs one), without repeats. */
function idsOf(matches: Match[][]): string[] {
  const ids: string[] = [];
  for (const list of matches) for (const m of list) { const id = NEEDS[m.entry.id] ?? m.entry.id; if (!ids.includes(id)) ids.push(id); }
  return ids;
}

/**
 * The ids a clause explains where it uses them: 「SLA（サービス品質保証）」「サービス品質保証（SLA）」
 * 「…仕組みであるEDR」「SLA：…」.
 */
function explainedIds(text: string, matches: Match[]): string[] {
  const ids: string[] = [];
  for (const m of matches) {
    const before = text.slice(Math.max(0, m.start - 6), m.start);
    const after = text.slice(m.end, m.end + 40);
    const explainedAfter = /^[ 　]?[（(][^（）()]{2,}[)）]/.test(after) || /^(?:[」』])?(?:とは|という|と呼ばれる|と称する)/.test(after);
    const explainedInside = /[（(]$/.test(before) && /^(?:[)）]|[：:、,]|という)/.test(after);
    const explainedBefore = /(?:である|という|と呼ばれる|いわゆる)[「『]?$/.test(before);
    const glossaryLine = /^[「『]?$/.test(text.slice(0, m.start)) && /^[」』]?[ \t\u3000]*[：:]/.test(after);
    if (explainedAfter || explainedInside || explainedBefore || glossaryLine) ids.push(NEEDS[m.entry.id] ?? m.entry.id);
  }
  return ids;
}

/**
 * The uses of checked names among a clause's matches, in order (offsets in the clause): the
 * needed term itself is what the reader lacks (ISMAPクラウドサービスリスト → ISMAP).
 */
function usesIn(kb: Knowledge, matches: Match[]): Use[] {
  const uses: Use[] = [];
  for (const m of matches) {
    const id = NEEDS[m.entry.id] ?? m.entry.id;
    const term = kb.termById.get(id);
    if (!term || !UNDEFINED_TERM_IDS[id]) continue;
    if (!NEEDS[m.entry.id] && !triggerSet(term).has(m.entry.name)) continue;
    uses.push({ termId: id, name: NEEDS[m.entry.id] ? term.headword : m.entry.name, start: m.start, end: m.end });
  }
  return uses;
}

/**
 * What a run of nodes says about terms: the ids its headings, captions and short titles name (a
 * section devoted to the term describes it: 「(9) CSIRTの設置・役割」), and the items whose term
 * part names one (index in the run; they count when they lie in a definitions section).
 */
interface NodeFacts { ids: string[]; items: { index: number; ids: string[] }[] }
function nodeFacts(kb: Knowledge, needles: Needles, nodes: OutlineNode[], start: number, end: number): NodeFacts {
  const texts: string[] = [];
  const items: number[] = [];
  const terms: string[] = [];
  for (let i = start; i < end; i++) {
    const n = nodes[i];
    let whole = false;
    if (n.kind === 'heading' || n.caption) texts.push(`${n.caption ?? ''} ${n.kind === 'heading' ? n.title : ''}`);
    else if (n.title.length <= 30 && !n.title.includes('。')) { texts.push(n.title); whole = true; }
    // Definition items whose term stands alone on its line (「(1) SLA」 followed by the explanation).
    if (n.kind === 'item' && n.title.length <= 40) {
      const term = n.title.includes('とは') || n.title.includes('をいう') ? n.title.replace(/(?:とは|をいう).*$/, '') : n.title;
      // A term that is the whole title, matched above already, adds nothing.
      if (!(whole && term === n.title)) { items.push(i - start); terms.push(term); }
    }
  }
  const out: NodeFacts = { ids: idsOf(relevantMatches(kb, needles, texts)), items: [] };
  relevantMatches(kb, needles, terms).forEach((matches, k) => { if (matches.length) out.items.push({ index: items[k], ids: idsOf([matches]) }); });
  return out;
}

/** Term ids the document defines (definitions, headings of definition items) or explains in brackets (`explained`, from the clauses). */
function definedIds(doc: PolicyDocument, kb: Knowledge, needles: Needles, inDefinitions: (n: OutlineNode) => boolean, explained: Set<string>): Set<string> {
  // Only relevant ids are ever looked up: matches of other terms are left out.
  const ids = explained;
  // Texts that define or describe a term by themselves: the defined terms and glossary-like table
  // rows (the term alone in the first cell and an explanation beside it), cached by runs of texts.
  const texts: string[] = [];
  for (const d of doc.definitions) texts.push(d.term);
  for (const t of doc.tables) {
    for (const r of t.rows.slice(1)) {
      if (r.cells.length >= 2 && r.cells[1].text.length >= 4 && r.cells[0].text.length <= 40) texts.push(r.cells[0].text);
    }
  }
  for (const run of textRuns(`${needles.space}/defined`, texts, (run) => idsOf(relevantMatches(kb, needles, run)))) for (const id of run.value) ids.add(id);
  // Headings, captions, short titles and definition items, cached by runs of nodes: only the items
  // with a match are asked whether they lie in a definitions section (which looks at their ancestors).
  for (const run of nodeRuns(doc, `${needles.space}/nodes`, (nodes, start, end) => nodeFacts(kb, needles, nodes, start, end))) {
    for (const id of run.value.ids) ids.add(id);
    for (const item of run.value.items) {
      if (!inDefinitions(doc.nodes[run.start + item.index])) continue;
      for (const id of item.ids) ids.add(id);
    }
  }
  return ids;
}

/** The names of a term that trigger the check, per term. */
const triggerSets = new WeakMap<Term, Set<string>>();
function triggerSet(term: Term): Set<string> {
  let s = triggerSets.get(term);
  if (!s) { s = new Set(triggersFor(term)); triggerSets.set(term, s); }
  return s;
}

/** The first use of each checked term outside definitions sections and ignored text. */
function firstUses(doc: PolicyDocument, inDefinitions: (n: OutlineNode) => boolean, runs: { start: number; value: { found: ClauseFacts[] } }[]): Use[] {
  const seen = new Map<string, Use>();
  for (const run of runs) {
    for (const f of run.value.found) {
      // A clause whose terms were all used before adds nothing (its node need not be looked at).
      if (f.uses.every((u) => seen.has(u.termId))) continue;
      const c = doc.clauses[run.start + f.index];
      if (inDefinitions(c.node)) continue;
      for (const u of f.uses) {
        const start = c.span.start + u.start;
        if (seen.has(u.termId) || isIgnored(doc, start)) continue;
        seen.set(u.termId, { termId: u.termId, name: u.name, start, end: c.span.start + u.end });
      }
    }
  }
  return [...seen.values()];
}

export const undefinedTerm: Rule = {
  meta: {
    id: 'undefined-term',
    aliases: ['define-abbreviations', 'LGP401'],
    title: '定義も説明もない略語・専門用語',
    defaultSeverity: 'info',
    fixable: true,
    scope: 'document',
    tags: ['structure', 'definitions'],
    guideline: ['基本方針 2 定義', 'ガイドライン巻末の用語の定義'],
    seeds: ['意見9', '意見120', '意見3'],
  },
  check(ctx) {
    const { doc, knowledge: kb } = ctx;
    if (isPartial(doc)) return;
    const needles = needlesOf(kb);
    // What the clauses with relevant matches yield (uses and explanations), and whether a clause
    // delegates the definitions to another document: cached by runs of clauses (indexes in the run).
    const runs = clauseRuns(doc, needles.space, (texts) => {
      const found: ClauseFacts[] = [];
      relevantMatches(kb, needles, texts).forEach((matches, index) => {
        if (matches.length) found.push({ index, uses: usesIn(kb, matches), explained: explainedIds(texts[index], matches) });
      });
      return { found, delegates: texts.some(delegatesDefinitionsIn) };
    });
    for (const run of runs) if (run.value.delegates) return;
    const inDefinitions = definitionSectionTest(doc);
    const uses = firstUses(doc, inDefinitions, runs);
    if (uses.length === 0) return;
    const explained = new Set<string>();
    for (const run of runs) for (const f of run.value.found) for (const id of f.explained) explained.add(id);
    const defined = definedIds(doc, kb, needles, inDefinitions, explained);
    for (const use of uses) {
      if (defined.has(use.termId)) continue;
      const term = kb.termById.get(use.termId)!;
      const entryTerm = use.name === term.headword ? term.headword : `${use.name}（${term.headword}）`;
      const text = definitionText(term);
      const fix = text ? definitionFix(ctx, entryTerm, text) : undefined;
      ctx.report({
        message: `「${use.name}」は、この文書のどこにも定義や説明がありません。略語や専門用語は、読み手の職員等が意味を取り違えたり、解釈が人によって分かれたりする原因になります。用語の定義に加えるか、初めて使う箇所に「${use.name}（…）」のように括弧書きで説明を添えてください。`,
        span: { start: use.start, end: use.end },
        fixes: fix ? [fix] : [],
        data: { term: term.id },
      });
    }
  },
};

/** Inserts a definition into the document's definitions table or list, or creates a 用語の定義 section. */
export function definitionFix(ctx: RuleContext, term: string, text: string): Fix | undefined {
  const { doc, lines } = ctx;
  const eol = lines.eol;
  let edit: TextEdit | undefined;
  let where = '用語の定義';

  const table = definitionTable(doc);
  const itemDefs = doc.definitions.filter((d) => d.kind === 'item');
  if (table && table.rows.length >= 2) {
    const header = table.rows[0];
    const last = table.rows[table.rows.length - 1];
    const firstCell = last.cells[0]?.text ?? '';
    const num = /^([（(]?)([0-9０-９]+)([)）.]?)/.exec(firstCell);
    const next = num ? `${num[1]}${nextNumber(num[2])}${num[3]}` : '';
    // A number column of its own (| 番号 | 用語 | 定義 |), or the number written before the term (| (3) 用語 | … |).
    const numberColumn = table.rows.slice(1).every((r) => /^[（(]?[0-9０-９]+[)）.]?$/.test(r.cells[0]?.text ?? ''));
    const lead = numberColumn ? [next, term] : [num ? `${next}${/^[ \t\u3000]*/.exec(firstCell.slice(num[0].length))![0]}${term}` : term];
    const cells = [...lead, text, ...Array(Math.max(0, header.cells.length - lead.length - 1)).fill('')];
    const raw = doc.text.slice(last.span.start, last.span.end);
    const row = raw.trimStart().startsWith('|') ? `| ${cells.join(' | ')} |` : cells.join(' | ');
    const indent = /^[ \t]*/.exec(lines.lineText(lines.lineAt(last.span.start)))?.[0] ?? '';
    edit = { span: { start: last.span.end, end: last.span.end }, newText: `${eol}${indent}${row}` };
    where = '用語の定義の表';
  } else if (itemDefs.length > 0) {
    const lastDef = itemDefs[itemDefs.length - 1];
    const node = nodeOfDefinition(doc, lastDef);
    if (node?.marker && node.markerSpan) edit = listItemEdit(doc, lines, node, lastDef, term, text);
    where = '用語の定義の一覧';
  }
  if (!edit) {
    const section = firstDefinitionHeading(doc);
    const block = ['| 用語 | 定義 |', '| --- | --- |', `| ${term} | ${text} |`].join(eol);
    if (section) {
      edit = { span: { start: section.span.end, end: section.span.end }, newText: `${eol}${eol}${block}` };
    } else {
      edit = appendBlock(doc, lines, ['## 用語の定義', '', block].join(eol));
      where = '文末の「用語の定義」（新しい節）';
    }
  }
  return { title: `「${term}」の定義を${where}に追加する`, edits: [edit], safe: false };
}

function nextNumber(s: string): string {
  const n = String(Number(s.normalize('NFKC')) + 1);
  return /[０-９]/.test(s) ? toFullWidthDigits(n) : n;
}

/** A new numbered item after the last item of the definitions list, in the list's own layout (`node` holds `def`). */
function listItemEdit(doc: PolicyDocument, lines: RuleContext['lines'], node: OutlineNode, def: Definition, term: string, text: string): TextEdit {
  const eol = lines.eol;
  const siblings = node.parent?.children.filter((c) => c.marker?.style === node.marker!.style) ?? [node];
  const last = siblings[siblings.length - 1];
  // Keep the digits as the list writes them (（1） has half-width digits in full-width brackets).
  const formatted = formatMarker(last.marker!, last.marker!.value + 1);
  const marker = /[0-9]/.test(last.marker!.text) ? formatted.replace(/[０-９]/g, (d) => String.fromCharCode(d.charCodeAt(0) - 0xfee0)) : formatted;
  const markerSep = doc.text.slice(node.markerSpan!.end, node.titleSpan.start);
  const termEnd = def.span.end - node.titleSpan.start;
  const title = node.title;
  // The separator between the term and its explanation as the list writes it (全角空白, ：, とは …).
  const afterTerm = title.slice(termEnd);
  const bracket = /^」/.test(afterTerm) ? '」' : '';
  const sep = /^」?([ \t\u3000]+|[：:]|とは[、,]?)/.exec(afterTerm)?.[1] ?? '\u3000';
  const open = bracket ? '「' : '';
  const lineStart = lines.lineStarts[lines.lineAt(last.lineSpan.start)];
  const prefix = doc.text.slice(lineStart, last.lineSpan.start);
  const prev = siblings[siblings.length - 2];
  const between = prev ? doc.text.slice(prev.span.end, last.lineSpan.start) : '';
  const blank = /\r?\n[ \t\u3000>]*\r?\n/.test(between);
  return { span: { start: last.span.end, end: last.span.end }, newText: `${blank ? eol + eol : eol}${prefix}${marker}${markerSep}${open}${term}${bracket}${sep}${text}` };
}
