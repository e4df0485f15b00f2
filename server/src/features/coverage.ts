/**
 * The coverage report: per guideline section and required element, whether the
 * document has it (with the line), lacks it, or it does not apply — the checklist
 * municipalities asked for. Rendered as Markdown, HTML (CLI and the VS Code webview) or JSON.
 */
import type { Analysis } from '../engine/engine';
import type { OutlineNode } from '../engine/model/types';
import { analyzeConformance, applies, holderOf, isFullStandard } from '../engine/conformance';
import { REVISION_LABELS } from '../engine/model/metadata';
import { Knowledge, knowledge, CONFIDENCE_LABELS } from '../knowledge';

export type Status = 'present' | 'missing' | 'omitted' | 'not-applicable';

export interface ElementRow { id: string; part: string; item: string; label: string; status: Status; line?: number; confidence: string }
export interface SectionRow { id: string; title: string; number: string; status: Status | 'partial'; line?: number; elements: ElementRow[] }
export interface CoverageReport {
  title?: string;
  revision: string;
  revisionLabel: string;
  isPolicy: boolean;
  excerpt: boolean;
  sections: SectionRow[];
  totals: { present: number; missing: number; omitted: number; notApplicable: number };
}

/** Line (1-based) of the innermost item under `root` that holds the element. */
function firstLineWith(analysis: Analysis, root: OutlineNode, present: string[]): number | undefined {
  const holder = holderOf(analysis.doc, root, present);
  return holder && holder.kind !== 'root' ? analysis.lines.lineAt(holder.lineSpan.start) + 1 : undefined;
}

export function coverageReport(analysis: Analysis): CoverageReport {
  const kb = knowledge();
  const { doc, revision, lines } = analysis;
  const matches = analyzeConformance(doc, revision, kb);
  const procedure = matches.find((m) => m.section.kind === 'procedure');
  const full = isFullStandard(doc, new Set(matches.map((m) => m.section.id)).size);
  // In an excerpt (or a document holding only some sections) what is not there was left out on purpose.
  const partial = doc.metadata.excerpt || (!full && !procedure);
  const rows: SectionRow[] = [];
  for (const section of kb.requirements) {
    const ref = Knowledge.sectionFor(section.sections, revision);
    const number = ref?.section ?? '—';
    const sectionApplies = applies(section.revisions, revision) && (procedure ? section === procedure.section : section.kind === 'section');
    const found = matches.filter((m) => m.section === section);
    const elements: ElementRow[] = [];
    for (const part of section.parts) {
      for (const element of part.elements) {
        const base = { id: element.id, part: part.title, item: `${number}${part.item}${element.item ?? ''}`, label: element.label, confidence: CONFIDENCE_LABELS[element.confidence] };
        if (!sectionApplies || !applies(part.revisions, revision) || !applies(element.revisions, revision)) { elements.push({ ...base, status: 'not-applicable' }); continue; }
        const partWritten = found.some((m) => m.parts.some((p) => p.part === part));
        let status: Status = (found.length === 0 || !partWritten) && partial ? 'omitted' : 'missing';
        let line: number | undefined;
        for (const m of found) {
          const pm = m.parts.find((p) => p.part === part && p.elements.some((e) => e.element === element && e.present));
          if (pm) { status = 'present'; line = firstLineWith(analysis, pm.node, element.present); break; }
        }
        elements.push({ ...base, status, line });
      }
    }
    const applicable = elements.filter((e) => e.status !== 'not-applicable');
    const present = applicable.filter((e) => e.status === 'present').length;
    const status: SectionRow['status'] = !sectionApplies ? 'not-applicable' : found.length === 0 ? (partial ? 'omitted' : 'missing') : present === applicable.length ? 'present' : 'partial';
    rows.push({ id: section.id, title: section.title, number, status, line: found[0] ? lines.lineAt(found[0].node.kind === 'root' ? 0 : found[0].node.lineSpan.start) + 1 : undefined, elements });
  }
  const all = rows.flatMap((r) => r.elements);
  return {
    title: doc.metadata.title,
    revision,
    revisionLabel: REVISION_LABELS[revision],
    isPolicy: analysis.isPolicy,
    excerpt: partial,
    sections: rows,
    totals: { present: all.filter((e) => e.status === 'present').length, missing: all.filter((e) => e.status === 'missing').length, omitted: all.filter((e) => e.status === 'omitted').length, notApplicable: all.filter((e) => e.status === 'not-applicable').length },
  };
}

const MARK: Record<Status | 'partial', string> = { present: '✓ 記載あり', missing: '✗ 見当たらない', omitted: '－ 抜粋に含まれない', 'not-applicable': '－ 対象外', partial: '△ 一部' };

export function coverageMarkdown(r: CoverageReport, file?: string): string {
  const out: string[] = [];
  out.push(`# ガイドライン対応状況${r.title ? `: ${r.title}` : ''}`, '');
  if (file) out.push(`- 文書: ${file}`);
  out.push(`- 対象とする版: ${r.revisionLabel}`, `- 要素: 記載あり ${r.totals.present} ／ 見当たらない ${r.totals.missing}${r.totals.omitted ? ` ／ 抜粋に含まれない ${r.totals.omitted}` : ''} ／ 対象外 ${r.totals.notApplicable}`);
  if (r.excerpt) out.push('- この文書は抜粋または一部の節だけの文書として扱っています。見当たらない節は、別の文書で定めていれば問題ありません。');
  out.push('');
  for (const s of r.sections) {
    out.push(`## ${s.number} ${s.title} — ${MARK[s.status]}${s.line ? `（${s.line}行目）` : ''}`, '');
    if (s.status === 'not-applicable' || s.status === 'omitted') continue;
    out.push('| 項番 | 要素 | 状況 | 行 |', '| --- | --- | --- | --- |');
    for (const e of s.elements) out.push(`| ${e.item} | ${e.label} | ${MARK[e.status]} | ${e.line ?? ''} |`);
    out.push('');
  }
  return out.join('\n');
}

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** A standalone HTML page; with `nonce`, line links post a message to the VS Code webview host. */
export function coverageHtml(r: CoverageReport, options: { file?: string; nonce?: string; cspSource?: string } = {}): string {
  const rows = r.sections.map((s) => {
    const head = `<h2 class="${s.status}">${esc(s.number)} ${esc(s.title)} <span class="badge">${MARK[s.status]}</span>${s.line ? ` <a href="#" data-line="${s.line}">${s.line}行目</a>` : ''}</h2>`;
    if (s.status === 'not-applicable' || s.status === 'omitted') return head;
    const body = s.elements.map((e) => `<tr class="${e.status}"><td>${esc(e.item)}</td><td>${esc(e.label)}</td><td>${MARK[e.status]}</td><td>${e.line ? `<a href="#" data-line="${e.line}">${e.line}行目</a>` : ''}</td></tr>`).join('');
    return `${head}<table><thead><tr><th>項番</th><th>要素</th><th>状況</th><th>行</th></tr></thead><tbody>${body}</tbody></table>`;
  }).join('\n');
  const csp = options.nonce ? `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'${options.cspSource ? ` ${options.cspSource}` : ''}; script-src 'nonce-${options.nonce}';">` : '';
  const script = options.nonce ? `<script nonce="${options.nonce}">const vscode = acquireVsCodeApi(); document.addEventListener('click', (e) => { const a = e.target.closest('a[data-line]'); if (a) { e.preventDefault(); vscode.postMessage({ line: Number(a.dataset.line) }); } });</script>` : '';
  return `<!DOCTYPE html>
<html lang="ja"><head><meta charset="utf-8">${csp}<title>ガイドライン対応状況</title>
<style>
body { font-family: var(--vscode-font-family, "IPAGothic", sans-serif); color: var(--vscode-foreground, #222); background: var(--vscode-editor-background, #fff); padding: 0 1em; line-height: 1.5; }
h1 { font-size: 1.4em; } h2 { font-size: 1.1em; margin-top: 1.4em; border-bottom: 1px solid #8884; }
table { border-collapse: collapse; width: 100%; } th, td { border: 1px solid #8886; padding: 2px 6px; text-align: left; vertical-align: top; }
tr.missing td:nth-child(3), h2.missing .badge { color: #c62828; font-weight: bold; } tr.present td:nth-child(3), h2.present .badge { color: #2e7d32; }
h2.partial .badge { color: #b26a00; } h2.not-applicable, h2.omitted { color: #888; font-weight: normal; } tr.omitted { color: #888; } .badge { font-size: 0.85em; margin-left: 0.5em; }
.summary { padding: 0.5em 0.8em; background: #8881; border-radius: 4px; }
</style></head><body>
<h1>ガイドライン対応状況${r.title ? `: ${esc(r.title)}` : ''}</h1>
<div class="summary">${options.file ? `文書: ${esc(options.file)}<br>` : ''}対象とする版: ${esc(r.revisionLabel)}<br>要素: 記載あり <b>${r.totals.present}</b> ／ 見当たらない <b>${r.totals.missing}</b>${r.totals.omitted ? ` ／ 抜粋に含まれない ${r.totals.omitted}` : ''} ／ 対象外 ${r.totals.notApplicable}${r.excerpt ? '<br>この文書は抜粋または一部の節だけの文書として扱っています。見当たらない節は、別の文書で定めていれば問題ありません。' : ''}</div>
${rows}
${script}
</body></html>
`;
}
