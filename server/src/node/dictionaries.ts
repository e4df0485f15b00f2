/**
 * Reading the prh dictionaries named in .lgpolicy.json (Node side): each file relative to the
 * config file's folder, imports relative to the importing file, each file once (cycles are
 * harmless). Problems — unreadable files, YAML errors, bad regular expressions, failing specs —
 * become ConfigProblems, which the server shows once and the CLI exits 2 on.
 */
import * as fs from 'node:fs';
import type { ConfigProblem, LoadedDictionary } from '../engine/config';
import { buildDictionarySet, dirOf, joinPath, parsePrhCached } from '../engine/prh';

const MAX_FILES = 200;
const MAX_BYTES = 2 * 1024 * 1024;

export function loadDictionaries(names: string[], baseDir: string, configFile: string): { loaded: LoadedDictionary[]; problems: ConfigProblem[] } {
  const loaded: LoadedDictionary[] = [];
  const problems: ConfigProblem[] = [];
  const seen = new Set<string>();
  const followed = new Set<string>();
  // The same pure join as the engine uses, so that sources match config.baseDir-based paths there.
  const base = baseDir;

  const followImports = (source: string, text: string) => {
    if (followed.has(source)) return;
    followed.add(source);
    for (const imp of parsePrhCached(text, source).imports) visit(joinPath(dirOf(source), imp.path), !imp.disableImports, source);
  };
  const visit = (source: string, follow: boolean, importedBy?: string) => {
    if (seen.has(source)) {
      const already = loaded.find((l) => l.source === source);
      if (already && follow) followImports(source, already.text);
      return;
    }
    seen.add(source);
    if (seen.size > MAX_FILES) {
      if (seen.size === MAX_FILES + 1) problems.push({ source: configFile, key: 'dictionaries', message: `読み込む辞書ファイルが ${MAX_FILES} を超えたため、それ以降は読み込みません。imports の指定を確認してください。` });
      return;
    }
    let text: string;
    try {
      const stat = fs.statSync(source);
      if (!stat.isFile()) throw Object.assign(new Error('not a file'), { code: 'EISDIR' });
      if (stat.size > MAX_BYTES) {
        problems.push({ source: importedBy ?? configFile, key: importedBy ? 'imports' : 'dictionaries', message: `辞書ファイル ${source} が大きすぎます（${MAX_BYTES / 1024 / 1024}MB まで）。この辞書は使いません。` });
        return;
      }
      text = fs.readFileSync(source, 'utf8');
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code ?? String(e);
      const why = code === 'ENOENT' ? 'ファイルがありません' : code === 'EISDIR' ? 'ファイルではなくフォルダです' : code === 'EACCES' ? '読み取りの権限がありません' : code;
      problems.push({
        source: importedBy ?? configFile,
        key: importedBy ? 'imports' : 'dictionaries',
        message: `辞書ファイル ${source} を読めません（${why}）。${importedBy ? '読み込み元からの相対パス' : '.lgpolicy.json のあるフォルダからの相対パス'}で書かれているか確認してください。この辞書は使わずに検査します。`,
      });
      return;
    }
    loaded.push({ source, text });
    if (follow) followImports(source, text);
  };

  const roots = names.map((n) => joinPath(base, n));
  for (const r of roots) visit(r, true);
  const set = buildDictionarySet(loaded, roots);
  for (const p of set.problems) problems.push({ source: p.source, key: p.key, message: p.message });
  return { loaded, problems };
}
