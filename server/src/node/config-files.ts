/** Finding and reading .lgpolicy.json for a file (Node side; shared by the server and the CLI). */
import * as fs from 'node:fs';
import * as path from 'node:path';
import picomatch from 'picomatch';
import { CONFIG_FILE_NAME, mergeConfig, parseConfigText, type ConfigProblem, type ResolvedConfig } from '../engine/config';
import { RULE_NAMES } from '../engine/rules';
import { loadDictionaries } from './dictionaries';

export interface FileConfig {
  config: ResolvedConfig;
  problems: ConfigProblem[];
  configPath?: string;
  globMatch?: 'include' | 'exclude';
}

/** Walks up from `dir` to the file system root (or `stopAt`) looking for .lgpolicy.json. */
export function findConfigFile(dir: string, stopAt?: string): string | undefined {
  let current = path.resolve(dir);
  const stop = stopAt ? path.resolve(stopAt) : undefined;
  for (;;) {
    const candidate = path.join(current, CONFIG_FILE_NAME);
    try {
      if (fs.statSync(candidate).isFile()) return candidate;
    } catch { /* not here */ }
    const parent = path.dirname(current);
    if (parent === current || current === stop) return undefined;
    current = parent;
  }
}

export function readConfigFile(file: string): { config: Partial<ResolvedConfig>; problems: ConfigProblem[] } {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    return { config: {}, problems: [{ source: file, key: '(ファイル)', message: `設定ファイルを読めません（${(e as NodeJS.ErrnoException).code ?? String(e)}）。既定の設定を使います。` }] };
  }
  const result = parseConfigText(text, file, RULE_NAMES);
  const config: Partial<ResolvedConfig> = { ...result.config, baseDir: path.dirname(file) };
  const problems = [...result.problems];
  if (result.config.dictionaries?.length) {
    // prh dictionaries: read here (the engine reads no files); their problems are config problems.
    const dict = loadDictionaries(result.config.dictionaries, path.dirname(file), file);
    config.loadedDictionaries = dict.loaded;
    problems.push(...dict.problems);
  }
  return { config, problems };
}

export function globMatch(config: ResolvedConfig, filePath: string): 'include' | 'exclude' | undefined {
  const base = config.baseDir ?? process.cwd();
  const rel = path.relative(base, path.resolve(filePath)).split(path.sep).join('/');
  const opts = { dot: true };
  if (config.exclude.length && picomatch(config.exclude, opts)(rel)) return 'exclude';
  if (config.include.length && picomatch(config.include, opts)(rel)) return 'include';
  return undefined;
}

/** Resolves the configuration for one file: defaults < settings < the nearest .lgpolicy.json. */
export function configForFile(filePath: string, settings: Partial<ResolvedConfig> = {}, stopAt?: string, cache?: Map<string, ReturnType<typeof readConfigFile>>): FileConfig {
  const configPath = findConfigFile(path.dirname(filePath), stopAt);
  let file: ReturnType<typeof readConfigFile> = { config: {}, problems: [] };
  if (configPath) {
    file = cache?.get(configPath) ?? readConfigFile(configPath);
    cache?.set(configPath, file);
  }
  const config = mergeConfig(settings, file.config);
  return { config, problems: file.problems, configPath, globMatch: globMatch(config, filePath) };
}
