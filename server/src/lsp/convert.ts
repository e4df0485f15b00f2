/** Engine findings → LSP diagnostics and code actions. */
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { CodeAction, CodeActionKind, DiagnosticSeverity, type Diagnostic, type TextEdit as LspTextEdit } from 'vscode-languageserver/node';
import type { Analysis } from '../engine/engine';
import type { Finding, Fix, Severity } from '../engine/types';
import { ruleDocPath } from '../engine/rules';

const SEVERITY: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  info: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

/** docs/ beside dist/ (in the repository and in the .vsix); made once per rule (every diagnostic carries one). */
export function docsUrl(ruleId: string): string {
  let url = DOCS_URLS.get(ruleId);
  if (url === undefined) {
    url = pathToFileURL(path.join(__dirname, '..', ruleDocPath(ruleId))).toString();
    DOCS_URLS.set(ruleId, url);
  }
  return url;
}
const DOCS_URLS = new Map<string, string>();

export function toDiagnostic(analysis: Analysis, f: Finding, uri: string, index: number): Diagnostic {
  return {
    range: analysis.lines.range(f.span),
    severity: SEVERITY[f.severity],
    code: f.ruleId,
    codeDescription: f.ruleId === 'internal-error' ? undefined : { href: docsUrl(f.ruleId) },
    source: 'lgpolicy',
    message: f.message,
    relatedInformation: f.related?.map((r) => ({ location: { uri, range: analysis.lines.range(r.span) }, message: r.message })),
    data: { ruleId: f.ruleId, index },
  };
}

export function toEdits(analysis: Analysis, fix: Fix): LspTextEdit[] {
  return fix.edits.map((e) => ({ range: analysis.lines.range(e.span), newText: e.newText }));
}

export function toCodeAction(analysis: Analysis, uri: string, fix: Fix, diagnostic?: Diagnostic): CodeAction {
  const action = CodeAction.create(fix.title, { changes: { [uri]: toEdits(analysis, fix) } }, CodeActionKind.QuickFix);
  if (diagnostic) action.diagnostics = [diagnostic];
  if (fix.preferred) action.isPreferred = true;
  return action;
}

export { safeFixes } from '../engine/fix';
