/**
 * Configuration: VS Code settings `lgpolicy.*` and the workspace file `.lgpolicy.json`
 * (data only — nothing is ever executed). Validation never throws: every problem
 * becomes one Japanese message naming the file and key, and the default applies.
 */
import type { Revision } from './model/types';
import { parseRevision, REVISION_LABELS } from './model/metadata';
import { SEVERITIES, type Severity } from './types';

export const CONFIG_FILE_NAME = '.lgpolicy.json';

export interface RuleSetting { enabled: boolean; severity?: Severity }

export interface ResolvedConfig {
  /** Target guideline revision when the document does not declare one. */
  guideline?: Revision;
  /** Preferred self-reference (本市, 本町 … 自組織). */
  organization?: string;
  rules: Record<string, RuleSetting>;
  /** Globs (relative to the config file's folder) of documents always treated as policy documents. */
  include: string[];
  /** Globs of documents never checked. */
  exclude: string[];
  /** Folder the globs are relative to. */
  baseDir?: string;
  /** prh-format dictionary files named in .lgpolicy.json (paths relative to it). */
  dictionaries: string[];
  /** The dictionaries' contents, loaded by the caller (the engine reads no files). */
  loadedDictionaries?: LoadedDictionary[];
}

/** A prh dictionary file as data: the caller reads the file; the engine parses and validates it. */
export interface LoadedDictionary { source: string; text: string }

export interface ConfigProblem {
  /** File name or "設定 (settings.json)". */
  source: string;
  key: string;
  message: string;
}

export function defaultConfig(): ResolvedConfig {
  return { rules: {}, include: [], exclude: [], dictionaries: [] };
}

const KNOWN_KEYS = ['$schema', 'guideline', 'organization', 'rules', 'include', 'exclude', 'dictionaries'];
const ORGS = ['本市', '本町', '本村', '本区', '本県', '本府', '本都', '本道', '自組織'];

/**
 * Validates raw configuration data (parsed JSON or VS Code settings) into a partial
 * config. `knownRules` are the rule ids and aliases, mapped to ids.
 */
export function validateConfig(raw: unknown, source: string, knownRules: Map<string, string>): { config: Partial<ResolvedConfig>; problems: ConfigProblem[] } {
  const problems: ConfigProblem[] = [];
  const config: Partial<ResolvedConfig> = {};
  const problem = (key: string, message: string) => problems.push({ source, key, message });
  if (raw === undefined || raw === null) return { config, problems };
  if (typeof raw !== 'object' || Array.isArray(raw)) {
    problem('(全体)', '設定はオブジェクト（{ … }）で書いてください。既定の設定を使います。');
    return { config, problems };
  }
  const obj = raw as Record<string, unknown>;
  for (const key of Object.keys(obj)) {
    if (!KNOWN_KEYS.includes(key)) problem(key, `「${key}」は使われない設定項目です。綴りを確認してください（使える項目: ${KNOWN_KEYS.slice(1).join(', ')}）。`);
  }
  if (obj.guideline !== undefined && obj.guideline !== null && obj.guideline !== '') {
    const r = parseRevision(obj.guideline);
    if (r) config.guideline = r;
    else problem('guideline', `ガイドラインの版「${String(obj.guideline)}」を認識できません。${Object.entries(REVISION_LABELS).map(([id, l]) => `"${id}"（${l}）`).join('、')} のいずれかを指定してください。最新版として扱います。`);
  }
  if (obj.organization !== undefined && obj.organization !== null && obj.organization !== '') {
    if (typeof obj.organization === 'string' && ORGS.includes(obj.organization.trim())) config.organization = obj.organization.trim();
    else problem('organization', `organization には ${ORGS.join('・')} のいずれかを文字列で指定してください（指定値: ${JSON.stringify(obj.organization)}）。文書内で最も多い表記を使います。`);
  }
  if (obj.rules !== undefined) {
    if (typeof obj.rules !== 'object' || obj.rules === null || Array.isArray(obj.rules)) {
      problem('rules', 'rules は { "ルールID": "warning" } の形のオブジェクトで書いてください。');
    } else {
      const rules: Record<string, RuleSetting> = {};
      for (const [name, value] of Object.entries(obj.rules as Record<string, unknown>)) {
        const id = knownRules.get(name);
        if (!id) {
          problem(`rules.${name}`, `ルール「${name}」はありません。ルールIDの綴りを確認してください（一覧: lgpolicy rules）。`);
          continue;
        }
        const setting = parseRuleSetting(value);
        if (setting) rules[id] = setting;
        else problem(`rules.${name}`, `ルールの設定値 ${JSON.stringify(value)} は使えません。true / false / "off" / ${SEVERITIES.map((s) => `"${s}"`).join(' / ')} のいずれかを指定してください。`);
      }
      config.rules = rules;
    }
  }
  for (const key of ['include', 'exclude', 'dictionaries'] as const) {
    const v = obj[key];
    if (v === undefined) continue;
    if (Array.isArray(v) && v.every((g) => typeof g === 'string' && g.length > 0)) config[key] = v as string[];
    else problem(key, key === 'dictionaries' ? 'dictionaries は prh 形式の辞書ファイルのパスの配列で書いてください（例: ["dict/terms.yml"]）。' : `${key} はファイルパターン（glob）の文字列の配列で書いてください（例: ["policies/**/*.md"]）。`);
  }
  return { config, problems };
}

function parseRuleSetting(value: unknown): RuleSetting | undefined {
  if (value === true || value === 'on') return { enabled: true };
  if (value === false || value === 'off') return { enabled: false };
  if (typeof value === 'string' && (SEVERITIES as string[]).includes(value)) return { enabled: true, severity: value as Severity };
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    const o = value as Record<string, unknown>;
    const enabled = o.enabled === undefined ? true : o.enabled;
    if (typeof enabled !== 'boolean') return undefined;
    if (o.severity !== undefined && !(SEVERITIES as unknown[]).includes(o.severity)) return undefined;
    return { enabled, severity: o.severity as Severity | undefined };
  }
  return undefined;
}

/** Later layers win: defaults < VS Code settings < .lgpolicy.json. Rule settings merge per rule. */
export function mergeConfig(...layers: Partial<ResolvedConfig>[]): ResolvedConfig {
  const out = defaultConfig();
  for (const l of layers) {
    if (l.guideline) out.guideline = l.guideline;
    if (l.organization) out.organization = l.organization;
    if (l.rules) out.rules = { ...out.rules, ...l.rules };
    if (l.include) out.include = l.include;
    if (l.exclude) out.exclude = l.exclude;
    if (l.dictionaries) out.dictionaries = l.dictionaries;
    if (l.loadedDictionaries) out.loadedDictionaries = l.loadedDictionaries;
    if (l.baseDir) out.baseDir = l.baseDir;
  }
  return out;
}

/** Parses the text of a .lgpolicy.json file; JSON syntax errors become one problem. */
export function parseConfigText(text: string, source: string, knownRules: Map<string, string>): { config: Partial<ResolvedConfig>; problems: ConfigProblem[] } {
  let raw: unknown;
  try {
    raw = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (e) {
    const detail = e instanceof Error ? e.message : String(e);
    return { config: {}, problems: [{ source, key: '(JSON)', message: `JSON として読めません（${detail}）。カンマや引用符を確認してください。修正するまで既定の設定を使います。` }] };
  }
  return validateConfig(raw, source, knownRules);
}

export function formatProblem(p: ConfigProblem): string {
  return `${p.source} の「${p.key}」: ${p.message}`;
}
