/**
 * Inline suppression in the markdownlint syntax:
 *   <!-- lgpolicy-disable [rule …] -->  … <!-- lgpolicy-enable [rule …] -->
 *   <!-- lgpolicy-disable-next-line [rule …] -->   <!-- lgpolicy-disable-line [rule …] -->
 * Rule names may be ids or aliases; no names means every rule.
 */
import type { CommentInfo } from './model/types';
import type { LineIndex } from './text';

interface Directive { kind: 'disable' | 'enable' | 'disable-next-line' | 'disable-line'; rules: string[]; line: number; endLine: number }

export class Suppressions {
  private directives: Directive[] = [];

  constructor(comments: CommentInfo[], lines: LineIndex, resolve: (name: string) => string | undefined) {
    for (const c of comments) {
      const m = /^lgpolicy-(disable-next-line|disable-line|disable|enable)\b([\s\S]*)$/.exec(c.text);
      if (!m) continue;
      const rules = m[2].split(/[\s,]+/).filter(Boolean).map((r) => resolve(r) ?? r);
      this.directives.push({ kind: m[1] as Directive['kind'], rules, line: lines.lineAt(c.span.start), endLine: lines.lineAt(c.span.end) });
    }
    this.directives.sort((a, b) => a.line - b.line);
  }

  isSuppressed(ruleId: string, line: number): boolean {
    let disabled = false;
    for (const d of this.directives) {
      const applies = d.rules.length === 0 || d.rules.includes(ruleId);
      if (!applies) continue;
      if (d.kind === 'disable-next-line' && line === d.endLine + 1) return true;
      if (d.kind === 'disable-line' && line >= d.line && line <= d.endLine) return true;
      if (d.line > line) continue;
      if (d.kind === 'disable') disabled = true;
      if (d.kind === 'enable') disabled = false;
    }
    return disabled;
  }
}
