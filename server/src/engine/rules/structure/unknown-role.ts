/**
 * A clause whose subject is a role title that is neither a guideline role nor one the document
 * itself establishes, and that is one typo or a reordering away from a guideline role
 * (情報セキュリティ統括者, 統括情報セキュリティー責任者, 情報セキュリティ統括責任者 …).
 */
import type { Fix, Rule } from '../../types';
import type { OutlineNode, PolicyDocument } from '../../model/types';
import type { Knowledge, Role } from '../../../knowledge';
import { fold } from '../../normalize';
import { keep, latest, own, retaining } from '../../memo';
import { clauseRuns, definitionForms, isPartial, nodeRuns, spaceFor } from './support';
import { nodesChanged } from '../../numbering-facts';
import { nodeIndex } from '../../model/search';

const ROLE_TITLE = /(?:者|委員会|アドバイザー?|チーム)$/;
const SECURITY_WORD = /情報|セキュリティ|システム|CISO|CSIRT|監査|統括|総括|統轄|最高/i;
const SPLIT = /及び|並びに|又は|若しくは|・|、|,/;
const PREFIX = /^(?:各|当該)/;

interface Suggestion { role: Role; name: string }

/** Characters writers confuse in role titles (統括/総括/統轄, 管理/監理, セキュリテイ). */
const CONFUSABLE: string[][] = [['統', '総'], ['括', '轄'], ['管', '監'], ['イ', 'ィ']];
const OPTIONAL = ['ー', '・', '\u3000', ' '];

/** One edit of a kind that is a slip of the pen rather than a different title (副, 主任 … are not). */
function slipOfThePen(a: string, b: string): boolean {
  const A = [...a], B = [...b];
  if (A.length === B.length) {
    const diff = A.map((c, i) => [c, B[i]]).filter(([x, y]) => x !== y);
    return diff.length === 1 && CONFUSABLE.some((g) => g.includes(diff[0][0]) && g.includes(diff[0][1]));
  }
  const [long, short] = A.length > B.length ? [A, B] : [B, A];
  if (long.length !== short.length + 1) return false;
  for (let i = 0; i < long.length; i++) {
    if (OPTIONAL.includes(long[i]) && long.slice(0, i).concat(long.slice(i + 1)).join('') === short.join('')) return true;
  }
  return false;
}

/**
 * Spelling slips the consistency rules already report everywhere in the text: セキュリテイ and
 * セキュリティー (term variants) and the knowledge base's 総括/統轄/監理 slips (role-name-misspelling).
 */
function ownedByConsistency(kb: Knowledge, title: string): boolean {
  const spelled = title.replace(/セキュリテイ/g, 'セキュリティ').replace(/セキュリティー/g, 'セキュリティ');
  if (spelled !== title && kb.roles.some((r) => [r.name, ...(r.aliases ?? [])].includes(spelled))) return true;
  return kb.roles.some((r) => (r.misspellings ?? []).includes(title) && title.length === r.name.length
    && [...title].every((c, i) => c === r.name[i] || CONFUSABLE.some((g) => g.includes(c) && g.includes(r.name[i]))));
}

/** The guideline role a misspelt or reordered title most likely means (knowledge misspellings first). */
export function nearestRoles(kb: Knowledge, title: string): Suggestion[] {
  if (ownedByConsistency(kb, title)) return [];
  const t = fold(title);
  for (const r of kb.roles) {
    if ((r.misspellings ?? []).some((m) => fold(m) === t)) return [{ role: r, name: r.name }];
  }
  const out: Suggestion[] = [];
  for (const r of kb.roles) {
    for (const name of [r.name, ...(r.aliases ?? [])]) {
      const n = fold(name);
      if (((n.length >= 8 && sameLetters(t, n)) || slipOfThePen(t, n)) && !out.some((o) => o.role.id === r.id)) out.push({ role: r, name: r.name });
    }
  }
  return out;
}

/**
 * nearestRoles(), kept by knowledge base and title: it reads nothing else, and the same titles
 * are asked about after every edit (a copy of the title is kept: the module outlives documents).
 */
const nearestCache = new WeakMap<Knowledge, Map<string, Suggestion[]>>();
function nearestRolesOf(kb: Knowledge, title: string): Suggestion[] {
  let byTitle = nearestCache.get(kb);
  if (!byTitle) { byTitle = new Map(); nearestCache.set(kb, byTitle); }
  let s = byTitle.get(title);
  if (!s) {
    if (byTitle.size >= 10_000) byTitle.clear();
    s = nearestRoles(kb, title);
    byTitle.set(own(title), s);
  }
  return s;
}

/** Same characters in another order (情報セキュリティ統括責任者 / 統括情報セキュリティ責任者). */
function sameLetters(a: string, b: string): boolean {
  return a.length === b.length && [...a].sort().join('') === [...b].sort().join('');
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Whether the document sets a role up itself: defines it, names a clause after it, or says it is
 * placed or assigned. The defined forms and the headings and items that may name a clause after
 * a role are found per run (cached); made once per analysis, asked per title.
 */
export function roleSetup(doc: PolicyDocument): (title: string) => boolean {
  let forms: Set<string> | undefined;
  let names: NodeNames[] | undefined;
  let walks = 0;
  return (title) => {
    if (!forms) {
      forms = new Set();
      for (const list of definitionForms(doc)) for (const f of list) forms.add(f);
    }
    if (forms.has(title)) return true;
    // Per-run names pay off when they are kept for the next analysis: when the previous analysis
    // used them (titles that stay in the document are asked about after every edit), or when this
    // one asks about many titles. A title that an edit has just made (a space typed inside a role
    // name while typing) is asked about once or twice: building the names of every run for it took
    // the rule 10 ms on a 1 MB document (in steady state), walking the nodes 1.3 ms. While a few
    // such titles stay (typos not yet mended) they are walked for on every edit (~0.7 ms each on
    // 1 MB, against ~0.45 ms for the whole rule with the names kept). A one-shot analysis (the CLI)
    // walks the nodes for each title.
    if (retaining() && title.length + 12 <= MAX_OWN && (names || walks >= MAX_WALKS || namesUse(doc).before)) {
      if (!names) {
        namesUse(doc).now = true;
        roleSetupStats.names++;
        names = nodeRuns(doc, 'unknown-role/names', nodeNames).map((r) => r.value);
      }
      for (const run of names) {
        if (startsWithIn(run.captions, title, Infinity) || startsWithIn(run.owns, title, title.length + 12)) return true;
      }
    } else {
      if (namingNode(doc, title, () => { walks++; roleSetupStats.walks++; })) return true;
    }
    const t = escapeRe(title);
    // At most 33 characters besides the title (…は、[^。]{0,25}をもって充て); no anchors or lookarounds.
    return hasMatch(doc.text, title, new RegExp(`${t}(?:」|を置|を設置|を設け|を任命|を指名|を選任|を充て|とする|とし[、,]|という|と称|(?:に|は)[、,]?[^。]{0,25}を(?:もって)?充て)|(?:をもって|を充てる|「)${t}`), title.length + 40);
  };
}

/**
 * How analyses looked for headings and captions naming a title: by walking all the nodes, by
 * per-run names, or from what the previous analysis found, looking only at the nodes an edit
 * changed (`kept`; tests).
 */
export const roleSetupStats = { walks: 0, names: 0, kept: 0 };

/** Whether the node names a clause after `title`: its caption, or a heading or item title that starts with it. */
function namesTitle(n: OutlineNode, title: string): boolean {
  if ((n.caption ?? '').trim().startsWith(title)) return true;
  const own = n.title.trim();
  return (n.kind === 'heading' || !!n.marker) && own.startsWith(title) && own.length <= title.length + 12 && !/[はが][、,]/.test(own);
}

function firstNaming(nodes: OutlineNode[], title: string, from: number, to: number): OutlineNode | null {
  for (let i = from; i < to; i++) if (namesTitle(nodes[i], title)) return nodes[i];
  return null;
}

/**
 * The titles asked about by walking the nodes in this analysis, with the node found naming each
 * (null: none), and those of the previous analysis with the nodes the edit may have changed
 * (numbering-facts nodesChanged; undefined when the outline was built again).
 */
interface Walked { before?: Map<string, OutlineNode | null>; changed?: [number, number]; now: Map<string, OutlineNode | null> }

/**
 * A heading or caption that names `title` (see namesTitle), or null. The language server keeps
 * the answer from one analysis to the next: while the edit kept the other nodes as they were, a
 * node found before that lies outside the changed nodes still names the title, and when none was
 * found only the changed nodes need a look. `walk` is called before a walk over all the nodes
 * in the language server (~0.25 ms for each title on a 1 MB document, after every edit while a
 * typo stays).
 */
function namingNode(doc: PolicyDocument, title: string, walk: () => void): OutlineNode | null {
  if (!retaining()) return firstNaming(doc.nodes, title, 0, doc.nodes.length);
  const walked = latest<Walked>('unknown-role/walked', doc.text, (old) => {
    const changed = old && nodesChanged(doc, old);
    return { before: changed && old.value.now, changed, now: new Map() };
  });
  const known = walked.now.get(title);
  if (known !== undefined) return known;
  const before = walked.before?.get(title);
  let found: OutlineNode | null | undefined;
  if (before !== undefined && walked.changed) {
    const [a, b] = walked.changed;
    if (before) { const i = nodeIndex(doc.nodes, before); if (i >= 0 && (i < a || i >= b)) found = before; }
    if (found === undefined) found = firstNaming(doc.nodes, title, a, b) ?? (before === null ? null : undefined);
    if (found !== undefined) roleSetupStats.kept++;
  }
  if (found === undefined) { walk(); found = firstNaming(doc.nodes, title, 0, doc.nodes.length); }
  walked.now.set(own(title), found);
  return found;
}

/** Titles asked about in one analysis by walking the nodes, after which the per-run names are built. */
const MAX_WALKS = 3;

/** Whether this analysis used the per-run names (`now`), and whether the previous one did (`before`; see roleSetup). */
function namesUse(doc: PolicyDocument): { now: boolean; before: boolean } {
  return latest<{ now: boolean; before: boolean }>('unknown-role/names-use', doc.text, (previous) => ({ now: false, before: previous?.value.now ?? false }));
}

/** Where an analysis found each title's setup in the text (null: nowhere), by title. */
type Found = Map<string, { start: number; end: number } | null>;
/** This analysis's finds, and the previous analysis's with where the text changed since (see Memo.latest). */
interface Finds { found: Found; before?: Found; prefix: number; suffixStart: number; delta: number }

/**
 * `re` (one title's) matches somewhere in `text`: a pass over the whole text in a one-shot
 * analysis. The language server keeps where the previous analysis found a match: one that lies
 * before or after the edit is still there, and a match that was not there before must overlap
 * the edit, so only the text around it is searched (`max`: the longest match, with no anchors or
 * lookarounds in `re`, whose matches depend on their own characters only).
 */
function hasMatch(text: string, title: string, re: RegExp, max: number): boolean {
  if (!retaining()) return re.test(text);
  // Only the previous analysis's map is kept, not its own predecessor (no chain of old analyses).
  const finds = latest<Finds>('unknown-role/setup', text, (previous) => previous
    ? { found: new Map(), before: previous.value.found, prefix: previous.prefix, suffixStart: previous.suffixStart, delta: previous.delta }
    : { found: new Map(), prefix: 0, suffixStart: 0, delta: 0 });
  const { found, prefix, suffixStart, delta } = finds;
  let at = found.get(title);
  if (at !== undefined) return at !== null;
  const before = finds.before?.get(title);
  if (before !== undefined) {
    if (before && before.end <= prefix) at = before;
    else if (before && before.start >= suffixStart - delta) at = { start: before.start + delta, end: before.end + delta };
    else if (before === null) {
      // None before: a match now overlaps the changed text [prefix, suffixStart).
      const from = Math.max(0, prefix - max), to = Math.min(text.length, suffixStart + max);
      const m = re.exec(text.slice(from, to));
      at = m ? { start: from + m.index, end: from + m.index + m[0].length } : null;
    }
  }
  if (at === undefined) {
    const m = re.exec(text);
    at = m ? { start: m.index, end: m.index + m[0].length } : null;
  }
  found.set(title, at);
  return at !== null;
}

/**
 * Some string of `sorted` (in code unit order) starts with `prefix` and has at most `max` units:
 * the strings that start with it follow one another, from the first one not below it.
 */
function startsWithIn(sorted: string[], prefix: string, max: number): boolean {
  let lo = 0, hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid] < prefix) lo = mid + 1; else hi = mid;
  }
  for (let i = lo; i < sorted.length && sorted[i].startsWith(prefix); i++) if (sorted[i].length <= max) return true;
  return false;
}

/**
 * The trimmed captions of a run of nodes (not empty), and the trimmed titles of its headings and
 * marked items that may name a clause after a role: short enough (a role title found in a
 * subject has at most 40 characters, a title 12 more) and not a sentence with a subject
 * (「…は、」「…が、」). Both sorted (code unit order) for startsWithIn.
 */
const MAX_OWN = 52;
interface NodeNames { captions: string[]; owns: string[] }
function nodeNames(nodes: PolicyDocument['nodes'], start: number, end: number): NodeNames {
  const out: NodeNames = { captions: [], owns: [] };
  for (let i = start; i < end; i++) {
    const n = nodes[i];
    const caption = (n.caption ?? '').trim();
    if (caption) out.captions.push(keep(caption));
    const own = n.title.trim();
    if ((n.kind === 'heading' || n.marker) && own && own.length <= MAX_OWN && !/[はが][、,]/.test(own)) out.owns.push(keep(own));
  }
  // sort() compares strings by code units.
  out.captions.sort();
  out.owns.sort();
  return out;
}

/**
 * The role-like titles in a clause subject that are not guideline roles (with their offsets in
 * the subject): a title is the last の-part of a phrase of the subject, ends like a role
 * (者, 委員会 …) and holds a security word. Depends on the text and the knowledge only.
 */
function titlesIn(kb: Knowledge, text: string): { title: string; at: number }[] {
  const out: { title: string; at: number }[] = [];
  // A title is part of the subject: without a security word in the subject there is none in a title.
  if (!SECURITY_WORD.test(text)) return out;
  let offset = 0;
  for (const raw of text.split(SPLIT)) {
    const partStart = text.indexOf(raw, offset);
    offset = partStart + raw.length;
    const part = raw.trim().replace(PREFIX, '');
    const title = part.slice(part.lastIndexOf('の') + 1);
    // Cheap tests first: most subjects are not security role titles.
    if (!ROLE_TITLE.test(title) || !SECURITY_WORD.test(title)) continue;
    // The whole phrase ends with a guideline role (外部サービスの利用申請の許可権限者): fine.
    if (kb.matcher.findAll(part).some((m) => m.entry.kind === 'role' && m.end === part.length)) continue;
    if (kb.matcher.findAll(title).some((m) => m.entry.kind === 'role' && m.start === 0 && m.end === title.length)) continue;
    // A copy: the cached title must not hold on to this version of the document.
    out.push({ title: keep(title), at: partStart + raw.lastIndexOf(title) });
  }
  return out;
}

export const unknownRole: Rule = {
  meta: {
    id: 'unknown-role',
    aliases: ['role-name', 'LGP403'],
    title: 'ガイドラインにも文書にもない役職名',
    defaultSeverity: 'warning',
    fixable: true,
    scope: 'document',
    tags: ['structure', 'roles'],
    guideline: ['対策基準 1 組織体制（1)〜(9)）'],
    seeds: ['質問7', '質問8', '質問32'],
  },
  check(ctx) {
    const { doc, knowledge: kb } = ctx;
    if (isPartial(doc)) return;
    const verdicts = new Map<string, Suggestion[]>();
    const establishes = roleSetup(doc);
    // The role-like titles of each clause subject (found from the subject's text alone, which the
    // clause's text decides; offsets in the clause): cached by runs of clauses, clauses without any left out.
    const runs = clauseRuns(doc, spaceFor('unknown-role', kb), (texts, first) => {
      const out: { index: number; titles: { title: string; at: number }[] }[] = [];
      for (let i = 0; i < texts.length; i++) {
        const c = doc.clauses[first + i];
        if (!c.subject) continue;
        const lead = c.subject.span.start - c.span.start;
        const titles = titlesIn(kb, c.subject.text).map((t) => ({ title: t.title, at: lead + t.at }));
        if (titles.length) out.push({ index: i, titles });
      }
      return out;
    });
    for (const run of runs) {
      for (const { index, titles } of run.value) {
        const clause = doc.clauses[run.start + index];
        for (const { title, at } of titles) {
          let suggestions = verdicts.get(title);
          if (!suggestions) {
            // A title one slip away from no guideline role needs no look at the document (most titles).
            suggestions = nearestRolesOf(kb, title);
            if (suggestions.length && establishes(title)) suggestions = [];
            verdicts.set(title, suggestions);
          }
          if (suggestions.length === 0) continue;
          const start = clause.span.start + at;
          const span = { start, end: start + title.length };
          const names = suggestions.map((s) => `「${s.name}」`).join('か');
          const fixes: Fix[] = suggestions.map((s, i) => ({ title: `「${s.name}」に直す`, edits: [{ span, newText: s.name }], safe: false, preferred: i === 0 }));
          ctx.report({
            message: `「${title}」は、ガイドラインの役職名にも、この文書で置いている役職にも当たりません。${names}の書き誤りではありませんか。役職名が条文ごとに揺れると、誰が責任を負い誰が承認するのかが曖昧になります。ガイドラインの役職なら正しい名称に直し、自団体が独自に置く役職なら、組織体制の節でその役職を置くことと役割を定めてください。`,
            span,
            fixes,
            data: { role: title, suggestion: suggestions[0].role.id },
          });
        }
      }
    }
  },
};
