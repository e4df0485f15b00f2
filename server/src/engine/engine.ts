/**
 * The checking engine: text → PolicyDocument → rules → findings.
 * Pure: no file system, no vscode, no network. Used by the language server and the CLI.
 */
import { buildDocument } from './model/document';
import type { PolicyDocument, Revision } from './model/types';
import { NEWEST_REVISION } from './model/metadata';
import { LineIndex } from './text';
import { knowledge } from '../knowledge';
import { RULES, RULE_NAMES } from './rules';
import { Suppressions } from './suppression';
import { defaultConfig, type ResolvedConfig } from './config';
import type { Finding, Rule, RuleContext } from './types';
import { latest, Memo, withMemo } from './memo';
import { sectionFindings, sectionsOf, sectionsToVisit, sectionView, type Section } from './sections';
import { nextAnalysis } from './analysis-cache';

export interface AnalyzeOptions {
  config?: ResolvedConfig;
  /** Result of matching the config's include/exclude globs against the file (done by the caller). */
  globMatch?: 'include' | 'exclude';
  /** Rules to run instead of the registry (tests). */
  rules?: Rule[];
  /**
   * Caches kept from the previous analysis of the same document (language server): only text
   * that changed is parsed and examined again. The result is the same with or without it.
   */
  memo?: Memo;
  /** Receives the time of the model and of each rule (profiling: LGPOLICY_PROFILE in the CLI). */
  onTiming?: (what: string, ms: number) => void;
}

export interface Analysis {
  doc: PolicyDocument;
  lines: LineIndex;
  isPolicy: boolean;
  /** Why the document is or is not treated as a policy document. */
  policyReason: string;
  revision: Revision;
  revisionSource: 'frontmatter' | 'config' | 'text' | 'default';
  findings: Finding[];
  /** Rules that threw (their findings are missing; one finding reports each). */
  failures: { ruleId: string; error: string }[];
}

export function resolveRevision(doc: PolicyDocument, config: ResolvedConfig): { revision: Revision; source: Analysis['revisionSource'] } {
  const md = doc.metadata;
  if (md.declaredRevision) return { revision: md.declaredRevision, source: 'frontmatter' };
  if (config.guideline) return { revision: config.guideline, source: 'config' };
  if (md.inferredRevision) return { revision: md.inferredRevision.revision, source: 'text' };
  return { revision: NEWEST_REVISION, source: 'default' };
}

export function analyze(text: string, options: AnalyzeOptions = {}): Analysis {
  const memo = options.memo ?? new Memo();
  try {
    return withMemo(memo, () => {
      nextAnalysis();
      memo.begin(text);
      return analyzeNow(text, options);
    });
  } finally {
    memo.commit();
  }
}

function analyzeNow(text: string, options: AnalyzeOptions): Analysis {
  const config = options.config ?? defaultConfig();
  const kb = knowledge();
  const timing = options.onTiming;
  const tm = timing ? performance.now() : 0;
  const doc = buildDocument(text, { findRole: (t) => kb.findRole(t), onTiming: timing });
  timing?.('model', performance.now() - tm);
  const lines = lineIndexOf(text);
  const { revision, source } = resolveRevision(doc, config);

  let isPolicy: boolean;
  let policyReason: string;
  if (doc.metadata.declaredPolicy !== undefined) { isPolicy = doc.metadata.declaredPolicy; policyReason = doc.metadata.policyReason; }
  else if (options.globMatch === 'exclude') { isPolicy = false; policyReason = 'excluded by config'; }
  else if (options.globMatch === 'include') { isPolicy = true; policyReason = 'included by config'; }
  else { isPolicy = doc.metadata.looksLikePolicy; policyReason = doc.metadata.policyReason; }

  const analysis: Analysis = { doc, lines, isPolicy, policyReason, revision, revisionSource: source, findings: [], failures: [] };
  if (!isPolicy) return analysis;

  const suppressions = new Suppressions(doc.comments, lines, (name) => RULE_NAMES.get(name) ?? RULE_NAMES.get(name.toLowerCase()));
  let sections: Section[] | undefined;
  // What a section-scoped rule may read besides its section: part of every cache key.
  // Dictionary texts stand in by name and length: they can be long, and every section key holds the facts.
  const settings = { ...config, loadedDictionaries: config.loadedDictionaries?.map((d) => [d.source, d.text.length]) };
  // The title's place is not among them: only the section holding the title sees it (sectionsOf),
  // so that typing above the title (front matter) does not make every section look changed.
  const facts = JSON.stringify([revision, settings, doc.metadata.organization, doc.metadata.title, doc.metadata.excerpt, lines.eol]);
  const rules = (options.rules ?? RULES).filter((rule) => { const setting = config.rules[rule.meta.id]; return !(setting && !setting.enabled); });
  // The sections where some section-scoped rule may find something (the language server skips
  // the sections it knows all of them find nothing in).
  let visit: Section[] | undefined;
  const sectionRuleIds = rules.filter((rule) => rule.meta.scope === 'section').map((rule) => rule.meta.id);
  for (const rule of rules) {
    const setting = config.rules[rule.meta.id];
    const found: Finding[] = [];
    const t0 = timing ? performance.now() : 0;
    // A configured severity applies to every finding of the rule; otherwise the rule's own choice.
    const severityOf = (f: { severity?: Finding['severity'] }) => setting?.severity ?? f.severity ?? rule.meta.defaultSeverity;
    try {
      if (rule.meta.scope === 'section') {
        sections ??= sectionsOf(doc, facts);
        visit ??= sectionsToVisit(doc, sections, sectionRuleIds);
        // One closure per rule, not per section (most sections' findings come from the cache).
        const run = (section: Section) => {
          const out: Parameters<RuleContext['report']>[0][] = [];
          rule.check({ doc: sectionView(doc, section), lines, revision, config, knowledge: kb, report: (f) => out.push(f) });
          return out;
        };
        for (let i = 0; i < visit.length; i++) {
          const list = sectionFindings(rule.meta.id, doc, visit[i], run);
          for (let k = 0; k < list.length; k++) found.push({ ...list[k], ruleId: rule.meta.id, severity: severityOf(list[k]) });
        }
      } else {
        rule.check({ doc, lines, revision, config, knowledge: kb, report: (f) => found.push({ ...f, ruleId: rule.meta.id, severity: severityOf(f) }) });
      }
    } catch (e) {
      analysis.failures.push({ ruleId: rule.meta.id, error: e instanceof Error ? e.stack ?? e.message : String(e) });
      analysis.findings.push({
        ruleId: 'internal-error',
        severity: 'warning',
        message: `ルール「${rule.meta.id}」の検査中に内部エラーが起きたため、このルールの結果は表示されていません。他のルールの結果は有効です。詳細は出力パネル「LG Policy」にあります。`,
        span: { start: 0, end: 0 },
      });
      continue;
    }
    timing?.(`rule ${rule.meta.id}`, performance.now() - t0);
    for (const f of found) {
      const span = { start: clamp(f.span.start, text.length), end: clamp(Math.max(f.span.start, f.span.end), text.length) };
      if (suppressions.isSuppressed(rule.meta.id, lines.lineAt(span.start))) continue;
      analysis.findings.push({ ...f, span });
    }
  }
  // Rule ids are ASCII: compared by code unit (the first localeCompare of a process sets up ICU's
  // collator, ~8 ms of every CLI run).
  analysis.findings.sort((a, b) => a.span.start - b.span.start || (a.ruleId < b.ruleId ? -1 : a.ruleId > b.ruleId ? 1 : 0));
  return analysis;
}

/** The text's LineIndex: with a retained Memo, the previous one patched where the edit was. */
function lineIndexOf(text: string): LineIndex {
  return latest<LineIndex>('lines', text, (previous) => {
    if (!previous) return new LineIndex(text);
    return previous.value.text === text ? previous.value : LineIndex.patched(previous.value, text, previous);
  });
}

function clamp(n: number, max: number): number {
  return Math.max(0, Math.min(n, max));
}
