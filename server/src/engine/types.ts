/** Findings, fixes and rule metadata — the engine's public vocabulary. */
import type { Span } from './text';
import type { PolicyDocument, Revision } from './model/types';
import type { ResolvedConfig } from './config';
import type { Knowledge } from '../knowledge';
import type { LineIndex } from './text';

export type Severity = 'error' | 'warning' | 'info' | 'hint';
export const SEVERITIES: Severity[] = ['error', 'warning', 'info', 'hint'];
export const SEVERITY_LABELS: Record<Severity, string> = { error: 'エラー', warning: '警告', info: '情報', hint: 'ヒント' };

export interface TextEdit { span: Span; newText: string }

export interface Fix {
  /** Japanese title shown in the quick-fix menu. */
  title: string;
  edits: TextEdit[];
  /** Safe to apply without reading (fix-all, --fix). */
  safe: boolean;
  preferred?: boolean;
}

export interface Finding {
  ruleId: string;
  severity: Severity;
  message: string;
  span: Span;
  fixes?: Fix[];
  /** Extra locations (e.g. the other duplicate). */
  related?: { span: Span; message: string }[];
  /** Machine-readable details (e.g. the requirement element), for tests, coverage and JSON output. */
  data?: Record<string, string>;
}

export interface RuleMeta {
  id: string;
  aliases: string[];
  /** One-line Japanese title. */
  title: string;
  defaultSeverity: Severity;
  fixable: boolean;
  /**
   * section: the findings inside a top-level section depend only on that section's text and on
   * document-level facts (revision, organization, title, settings) — the engine runs the rule per
   * section and reuses the findings of sections that did not change. document: run on the whole
   * document every time.
   */
  scope: 'section' | 'document';
  tags: string[];
  /** Why the rule exists: guideline sections and consultation entries. */
  guideline: string[];
  seeds: string[];
}

export interface RuleContext {
  doc: PolicyDocument;
  lines: LineIndex;
  revision: Revision;
  config: ResolvedConfig;
  knowledge: Knowledge;
  report(finding: Omit<Finding, 'ruleId' | 'severity'> & { severity?: Severity }): void;
}

export interface Rule {
  meta: RuleMeta;
  check(ctx: RuleContext): void;
}
