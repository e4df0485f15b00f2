/** Output formats of `lgpolicy check`: stylish, json, sarif, github. */
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Analysis } from '../engine/engine';
import type { LineIndex } from '../engine/text';
import type { Severity } from '../engine/types';
import { RULES, ruleDocPath } from '../engine/rules';
import { SEVERITY_LABELS } from '../engine/types';

/** What the formatters need of an analysis (a worker thread sends it without the document model). */
export type Checked = Pick<Analysis, 'findings' | 'isPolicy' | 'policyReason' | 'revision' | 'revisionSource'> & { lines: LineIndex; outlineNodes: number };

export interface FileResult { filePath: string; analysis?: Checked; error?: string }

export function checked(a: Analysis): Checked {
  return { findings: a.findings, isPolicy: a.isPolicy, policyReason: a.policyReason, revision: a.revision, revisionSource: a.revisionSource, lines: a.lines, outlineNodes: a.doc.nodes.length };
}

interface Message {
  ruleId: string; severity: Severity; message: string;
  line: number; column: number; endLine: number; endColumn: number; fixable: boolean;
}

export function messages(r: FileResult): Message[] {
  if (!r.analysis) return [];
  const a = r.analysis;
  return a.findings.map((f) => {
    const range = a.lines.range(f.span);
    return {
      ruleId: f.ruleId, severity: f.severity, message: f.message,
      line: range.start.line + 1, column: range.start.character + 1, endLine: range.end.line + 1, endColumn: range.end.character + 1,
      fixable: !!f.fixes?.some((x) => x.safe),
    };
  });
}

export function counts(results: FileResult[]): Record<Severity, number> {
  const c: Record<Severity, number> = { error: 0, warning: 0, info: 0, hint: 0 };
  for (const r of results) for (const m of messages(r)) c[m.severity]++;
  return c;
}

const rel = (p: string) => path.relative(process.cwd(), p) || p;

export function stylish(results: FileResult[], color: boolean): string {
  const paint = (code: string, s: string) => (color ? `\u001b[${code}m${s}\u001b[0m` : s);
  const lines: string[] = [];
  for (const r of results) {
    const ms = messages(r);
    if (r.error) { lines.push(paint('4', rel(r.filePath)), `  ${paint('31', 'エラー')}  ${r.error}`, ''); continue; }
    if (ms.length === 0) continue;
    lines.push(paint('4', rel(r.filePath)));
    for (const m of ms) {
      const sev = m.severity === 'error' ? paint('31', SEVERITY_LABELS[m.severity]) : m.severity === 'warning' ? paint('33', SEVERITY_LABELS[m.severity]) : paint('36', SEVERITY_LABELS[m.severity]);
      lines.push(`  ${`${m.line}:${m.column}`.padEnd(8)} ${sev}  ${m.message}  ${paint('2', m.ruleId)}`);
    }
    lines.push('');
  }
  const c = counts(results);
  const total = c.error + c.warning + c.info + c.hint;
  const checked = results.filter((r) => r.analysis?.isPolicy).length;
  const skipped = results.filter((r) => r.analysis && !r.analysis.isPolicy).length;
  const summary = total === 0
    ? `問題は見つかりませんでした（検査した文書 ${checked} 件${skipped ? `、ポリシー文書と認識されず検査しなかった文書 ${skipped} 件` : ''}）。`
    : `${total} 件の問題（エラー ${c.error}、警告 ${c.warning}、情報 ${c.info}、ヒント ${c.hint}）／検査した文書 ${checked} 件${skipped ? `、対象外 ${skipped} 件` : ''}`;
  lines.push(paint(c.error ? '31;1' : total ? '33;1' : '32', summary));
  return lines.join('\n') + '\n';
}

export function json(results: FileResult[]): string {
  return JSON.stringify(results.map((r) => {
    const ms = messages(r);
    return {
      filePath: r.filePath,
      isPolicy: r.analysis?.isPolicy ?? false,
      policyReason: r.analysis?.policyReason,
      guideline: r.analysis?.revision,
      guidelineSource: r.analysis?.revisionSource,
      outlineNodes: r.analysis?.outlineNodes,
      messages: ms,
      errorCount: ms.filter((m) => m.severity === 'error').length,
      warningCount: ms.filter((m) => m.severity === 'warning').length,
      error: r.error,
    };
  }), null, 2) + '\n';
}

export function sarif(results: FileResult[], version: string): string {
  const level = (s: Severity) => (s === 'error' ? 'error' : s === 'warning' ? 'warning' : 'note');
  const docs = (id: string) => pathToFileURL(path.join(__dirname, '..', ruleDocPath(id))).toString();
  const log = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [{
      tool: { driver: {
        name: 'lgpolicy', version, informationUri: docs('index').replace(/rules\/index\.md$/, ''),
        rules: RULES.map((r) => ({ id: r.meta.id, name: r.meta.id, shortDescription: { text: r.meta.title }, helpUri: docs(r.meta.id), defaultConfiguration: { level: level(r.meta.defaultSeverity) } })),
      } },
      columnKind: 'utf16CodeUnits',
      results: results.flatMap((r) => messages(r).map((m) => ({
        ruleId: m.ruleId, level: level(m.severity), message: { text: m.message },
        locations: [{ physicalLocation: { artifactLocation: { uri: path.relative(process.cwd(), r.filePath).split(path.sep).join('/') }, region: { startLine: m.line, startColumn: m.column, endLine: m.endLine, endColumn: m.endColumn } } }],
      }))),
    }],
  };
  return JSON.stringify(log, null, 2) + '\n';
}

export function github(results: FileResult[]): string {
  const esc = (s: string) => s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
  const prop = (s: string) => esc(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
  const out: string[] = [];
  for (const r of results) {
    const file = prop(path.relative(process.cwd(), r.filePath).split(path.sep).join('/'));
    if (r.error) out.push(`::error file=${file}::${esc(r.error)}`);
    for (const m of messages(r)) {
      const cmd = m.severity === 'error' ? 'error' : m.severity === 'warning' ? 'warning' : 'notice';
      out.push(`::${cmd} file=${file},line=${m.line},col=${m.column},endLine=${m.endLine},endColumn=${m.endColumn},title=${prop(m.ruleId)}::${esc(m.message)}`);
    }
  }
  return out.join('\n') + (out.length ? '\n' : '');
}
