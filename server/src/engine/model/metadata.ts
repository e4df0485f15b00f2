/** Front matter, title, policy recognition, self-reference and guideline revision. */
import YAML from 'yaml';
import type { DocumentMetadata, OutlineNode, Revision } from './types';
import type { Span } from '../text';

export const REVISIONS: Revision[] = ['R4.3', 'R5.3', 'R6.10', 'R7.3'];
export const NEWEST_REVISION: Revision = 'R7.3';
export const REVISION_LABELS: Record<Revision, string> = {
  'R4.3': '令和4年3月版',
  'R5.3': '令和5年3月版',
  'R6.10': '令和6年10月版',
  'R7.3': '令和7年3月版',
};

/** Understands R7.3, 令和7年3月, 令和７年３月版, 2025-03, r7-03 … */
export function parseRevision(value: unknown): Revision | undefined {
  if (typeof value !== 'string' && typeof value !== 'number') return undefined;
  const s = String(value).normalize('NFKC').replace(/\s/g, '').replace(/版$/, '');
  let m = /^[Rr令和]*(\d+)[.\-年/](\d+)月?$/.exec(s.replace(/^令和/, 'R'));
  if (m) {
    const id = `R${Number(m[1])}.${Number(m[2])}` as Revision;
    if (REVISIONS.includes(id)) return id;
  }
  m = /^(20\d\d)[-/.年](\d+)月?$/.exec(s);
  if (m) {
    const id = `R${Number(m[1]) - 2018}.${Number(m[2])}` as Revision;
    if (REVISIONS.includes(id)) return id;
  }
  if (/^(latest|newest|最新)$/i.test(s)) return NEWEST_REVISION;
  return undefined;
}

const SELF_REFS = ['本市', '本町', '本村', '本区', '本県', '本府', '本都', '本道', '自組織'];
const SELF_RE = /(?<![日資基根脚])本(市|町|村|区|県|府|都|道)(?![場民長])|自組織/g;

const TITLE_POLICY = /情報セキュリティ|セキュリティポリシー|基本方針|対策基準|実施手順|規程|要綱|要領|規則|訓令|条例|(?:利用|運用|実施|管理|対応|申請|承認|取扱い?)(?:手順|基準|方針|ポリシー)|判断基準|選定基準|アカウント運用|ソーシャルメディア.*(?:方針|ポリシー)/;
const TOPIC = /組織体制|情報資産の分類|物理的セキュリティ|人的セキュリティ|技術的セキュリティ|外部サービス|業務委託|例外措置|侵害時の対応|不正プログラム対策|情報セキュリティ|Web会議|ウェブ会議|ソーシャルメディア|アカウント運用|用語の定義|遵守事項|情報システム(?:の)?(?:管理|運用)|保有情報|管理基準|運用基準|セキュリティ対策|^第[0-9０-９一二三四五六七八九十百]+条$/i;

/** What metadata reads from the raw text: self-reference counts (in order of first occurrence) and revision hints. */
export interface TextFacts { counts: [string, number][]; hasNew: boolean; hasOld: boolean }

const NEW_TERMS = /自治体機密性|α[’']モデル/;
const OLD_TERMS = /(?<!自治体)機密性[2-3２-３](?![A-CＡ-Ｃ])/;

/**
 * The facts of a text. A text cut into blocks (blocks.ts: each block after a blank line) has the
 * facts of its blocks summed: no match spans a line break, and what the look-arounds see across a
 * block boundary (a line break) matches none of them.
 */
export function textFacts(text: string): TextFacts {
  const counts = new Map<string, number>();
  SELF_RE.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = SELF_RE.exec(text))) counts.set(m[0], (counts.get(m[0]) ?? 0) + 1);
  return { counts: [...counts], hasNew: NEW_TERMS.test(text), hasOld: OLD_TERMS.test(text) };
}

export interface MetadataInput {
  text: string;
  frontMatter?: { value: string; span: Span };
  root: OutlineNode;
  nodes: OutlineNode[];
  firstLine?: { text: string; span: Span };
  /** textFacts() of consecutive parts of the text (cached per block), instead of a scan of the whole text. */
  facts?: TextFacts[];
  /** The sums of `facts`, when the caller keeps them (see sumFacts). */
  sums?: FactSums;
  /** What was read from the nodes, kept by the caller while no heading changes (filled in here). */
  outline?: OutlineFacts;
}

/**
 * What metadata reads from the outline: the first H1, whether a heading says 抜粋, and the policy
 * topics of headings, chapters and articles (found on first use). They depend on the nodes'
 * kinds, markers and the titles of headings and chapters only.
 */
export interface OutlineFacts { h1?: OutlineNode | null; excerpt?: boolean; topics?: { looks: boolean; reason: string } }

/** Self-reference counts in order of first occurrence, and how many parts hold new / old terms. */
export interface FactSums { counts: Map<string, number>; hasNew: number; hasOld: number }

export function sumFacts(facts: TextFacts[]): FactSums {
  const sums: FactSums = { counts: new Map(), hasNew: 0, hasOld: 0 };
  // Index loops (one per block of the document, most blocks name no self-reference).
  for (let i = 0; i < facts.length; i++) addFacts(sums, facts[i], 1);
  return sums;
}

/** Adds (sign 1) or removes (sign -1) one part's facts. */
export function addFacts(sums: FactSums, f: TextFacts, sign: 1 | -1): void {
  const counts = f.counts;
  for (let i = 0; i < counts.length; i++) { const k = counts[i][0]; sums.counts.set(k, (sums.counts.get(k) ?? 0) + sign * counts[i][1]); }
  if (f.hasNew) sums.hasNew += sign;
  if (f.hasOld) sums.hasOld += sign;
}

/** Whether two parts' facts name the same self-references in the same order (sums keep their order when one replaces the other). */
export function sameCountKeys(a: TextFacts, b: TextFacts): boolean {
  if (a.counts.length !== b.counts.length) return false;
  for (let i = 0; i < a.counts.length; i++) if (a.counts[i][0] !== b.counts[i][0]) return false;
  return true;
}

/** A `key: value` line whose meaning YAML leaves no doubt about (see simpleFrontMatter). */
const SIMPLE_ENTRY = /^([A-Za-z][A-Za-z0-9_-]*): +(true|false|(?:[A-Za-z\u3001-\ufefe\uff01-\uffef][A-Za-z0-9._/\-\u3001-\ufefe\uff01-\uffef]*)(?: +[A-Za-z0-9._/\-\u3001-\ufefe\uff01-\uffef]+)*)$/;
/** Keys and values that YAML's core schema reads as null or booleans (or other YAML versions might). */
const SPECIAL_WORD = /^(?:null|true|false|y|n|yes|no|on|off)$/i;

/**
 * Front matter made only of lines `key: value` with a plain value that YAML reads as a string
 * (one starting with a letter or a CJK character, no YAML punctuation) or as true / false, read
 * without the YAML parser (the usual `lgpolicy: true` / `guideline: 令和7年3月`: YAML.parse costs
 * ~10 ms in a cold process). Anything else (quotes, numbers, dates, nesting, comments, duplicate
 * keys, CR …): undefined, and the YAML parser decides. Same object as YAML.parse for what it accepts.
 */
export function simpleFrontMatter(value: string): Record<string, unknown> | undefined {
  if (value.length === 0 || value.length > 4096) return undefined;
  const out: Record<string, unknown> = {};
  let any = false;
  for (const line of value.split('\n')) {
    if (line.length === 0) continue;
    const m = SIMPLE_ENTRY.exec(line);
    if (!m || SPECIAL_WORD.test(m[1]) || Object.prototype.hasOwnProperty.call(out, m[1])) return undefined;
    const v = m[2];
    if (v === 'true' || v === 'false') out[m[1]] = v === 'true';
    else if (SPECIAL_WORD.test(v)) return undefined;
    else out[m[1]] = v;
    any = true;
  }
  return any ? out : undefined;
}

export function buildMetadata(input: MetadataInput): DocumentMetadata {
  const md: DocumentMetadata = { looksLikePolicy: false, policyReason: '', excerpt: false, organizationCounts: {} };
  if (input.frontMatter) {
    md.frontMatterSpan = input.frontMatter.span;
    try {
      const fm = simpleFrontMatter(input.frontMatter.value) ?? YAML.parse(input.frontMatter.value);
      if (fm && typeof fm === 'object' && !Array.isArray(fm)) md.frontMatter = fm as Record<string, unknown>;
    } catch (e) {
      md.frontMatterError = e instanceof Error ? e.message.split('\n')[0] : String(e);
    }
  }
  const fm = md.frontMatter ?? {};
  if (typeof fm.lgpolicy === 'boolean') md.declaredPolicy = fm.lgpolicy;
  else if (fm.lgpolicy && typeof fm.lgpolicy === 'object') md.declaredPolicy = true;
  if (fm.guideline !== undefined) {
    const r = parseRevision(fm.guideline);
    if (r) md.declaredRevision = r; else md.unknownRevision = String(fm.guideline);
  }

  // Title: front matter, first H1, or the first line of a 例規 (○○市情報セキュリティ規程).
  const outline = input.outline ?? {};
  if (outline.h1 === undefined) outline.h1 = input.nodes.find((n) => n.kind === 'heading' && n.headingDepth === 1) ?? null;
  const h1 = outline.h1 ?? undefined;
  if (typeof fm.title === 'string') md.title = fm.title;
  else if (h1) { md.title = h1.title ? `${h1.marker?.text ?? ''}${h1.marker ? ' ' : ''}${h1.title}`.trim() : h1.marker?.text; md.titleSpan = h1.lineSpan; }
  else if (input.firstLine && input.firstLine.text.length <= 80 && !/。$/.test(input.firstLine.text)) {
    md.title = input.firstLine.text.replace(/^[○〇◯]/, ''); md.titleSpan = input.firstLine.span;
  }
  md.excerpt = fm.excerpt === true || /[（(]抜粋[)）]/.test(md.title ?? '') || (outline.excerpt ??= input.nodes.some((n) => n.kind === 'heading' && /[（(]抜粋[)）]/.test(n.title)));

  if (md.declaredPolicy !== undefined) {
    md.looksLikePolicy = md.declaredPolicy;
    md.policyReason = `front matter lgpolicy: ${md.declaredPolicy}`;
  } else if (md.title && TITLE_POLICY.test(md.title)) {
    md.looksLikePolicy = true;
    md.policyReason = `title 「${md.title}」`;
  } else {
    const topics = (outline.topics ??= topicsOf(input.nodes));
    md.looksLikePolicy = topics.looks;
    md.policyReason = topics.reason;
  }

  const counts: Record<string, number> = {};
  const sums = input.sums ?? sumFacts(input.facts ?? [textFacts(input.text)]);
  // (A count that fell to 0 is not listed: the sums of a fresh start would not have the key.)
  for (const [k, n] of sums.counts) if (n !== 0) counts[k] = n;
  const hasNew = sums.hasNew > 0, hasOld = sums.hasOld > 0;
  md.organizationCounts = counts;
  if (typeof fm.organization === 'string' && fm.organization.trim()) md.organization = fm.organization.trim();
  else {
    const best = Object.entries(counts).sort((a, b) => b[1] - a[1] || SELF_REFS.indexOf(a[0]) - SELF_REFS.indexOf(b[0]))[0];
    if (best) md.organization = best[0];
  }

  if (hasNew) md.inferredRevision = { revision: 'R7.3', reason: '自治体機密性などの令和6年10月版以降の用語を使用' };
  else if (hasOld) md.inferredRevision = { revision: 'R5.3', reason: '機密性2・機密性3など令和5年3月版までの区分を使用' };
  return md;
}

function topicsOf(nodes: OutlineNode[]): { looks: boolean; reason: string } {
  const topics = new Set<string>();
  for (const n of nodes) {
    if (n.kind !== 'heading' && n.marker?.style !== 'chapter' && n.marker?.style !== 'article') continue;
    const label = n.marker?.style === 'article' ? `第${n.marker.value}条` : n.title;
    const m = TOPIC.exec(n.marker?.style === 'article' ? `第${n.marker.value}条` : label);
    if (m) topics.add(m[0].startsWith('第') ? '条' : m[0]);
    if (n.kind === 'heading' && TITLE_POLICY.test(n.title)) topics.add(n.title);
  }
  const looks = topics.size >= 2 || (topics.has('条') && [...topics].length >= 1 && nodes.filter((n) => n.marker?.style === 'article').length >= 3);
  return { looks, reason: looks ? `headings ${[...topics].slice(0, 4).join(', ')}` : 'no policy title or headings' };
}
