/** Applying fixes: non-overlapping, deterministic, and idempotent when repeated. */
import type { Analysis, AnalyzeOptions } from './engine';
import { analyze } from './engine';
import type { Fix, TextEdit } from './types';

/** All safe fixes that do not overlap, in document order (the first fix of each finding). */
export function safeFixes(analysis: Analysis): Fix[] {
  const chosen: Fix[] = [];
  const taken: { start: number; end: number }[] = [];
  const clash = (e: TextEdit) => taken.some((t) => (e.span.start < t.end && t.start < e.span.end) || e.span.start === t.start || (e.span.start === e.span.end && e.span.start === t.end));
  for (const f of analysis.findings) {
    const fix = f.fixes?.find((x) => x.safe);
    if (!fix || fix.edits.some(clash)) continue;
    chosen.push(fix);
    taken.push(...fix.edits.map((e) => e.span));
  }
  return chosen;
}

/** Applies edits that do not overlap (from the end, so offsets stay valid). */
export function applyEdits(text: string, edits: TextEdit[]): string {
  let out = text;
  for (const e of [...edits].sort((a, b) => b.span.start - a.span.start || b.span.end - a.span.end)) out = out.slice(0, e.span.start) + e.newText + out.slice(e.span.end);
  return out;
}

/** Applies safe fixes until none is left (at most `passes` rounds). */
export function fixAll(text: string, options: AnalyzeOptions = {}, passes = 10): { text: string; applied: number; analysis: Analysis } {
  let current = text;
  let applied = 0;
  let analysis = analyze(current, options);
  for (let i = 0; i < passes; i++) {
    const fixes = safeFixes(analysis);
    if (fixes.length === 0) break;
    current = applyEdits(current, fixes.flatMap((f) => f.edits));
    applied += fixes.length;
    analysis = analyze(current, options);
  }
  return { text: current, applied, analysis };
}
