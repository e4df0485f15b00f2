/** The only place LG Policy writes a user's file: `lgpolicy check --fix`. */
import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * Writes `next` over `file` atomically (temporary file in the same folder, then rename),
 * only if the file still holds `expected` — the text the fixes were computed from.
 * The fixes are computed on the text as read, so line endings and a BOM are kept as they were.
 */
export function writeFileAtomic(file: string, expected: string, next: string): void {
  const current = fs.readFileSync(file, 'utf8');
  if (current !== expected) throw new Error('読み込んだ後にファイルが変更されたため、修正を書き込みませんでした。もう一度実行してください。');
  const stat = fs.statSync(file);
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.lgpolicy-${process.pid}-${Date.now()}.tmp`);
  try {
    fs.writeFileSync(tmp, next, { encoding: 'utf8', mode: stat.mode });
    fs.renameSync(tmp, file);
  } catch (e) {
    try { fs.unlinkSync(tmp); } catch { /* already gone */ }
    throw new Error(`修正を書き込めませんでした（${(e as NodeJS.ErrnoException).code ?? e}）。元のファイルは変更していません。`);
  }
}
