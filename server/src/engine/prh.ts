/**
 * prh-format dictionaries (the YAML format of prh / textlint-rule-prh): parsing, validation
 * and matching. Pure: the caller reads the files; nothing here throws on bad input — every
 * problem becomes one Japanese message naming the file and the rule, and that rule is skipped.
 *
 * Format: `version`, `imports` (a path or { path, disableImports, ignoreRules }, or a list),
 * `rules: [{ expected, pattern | patterns, regexpMustEmpty, options: { wordBoundary }, specs, prh }]`.
 * A string pattern is literal; `/source/flags` is a regular expression; `$1` in `expected`
 * refers to a capture group; each spec's `from` must become `to` when the rule is applied.
 */
import YAML from 'yaml';

export interface PrhProblem {
  /** The dictionary file. */
  source: string;
  /** `(YAML)`, `imports`, `rules[3]（expected: …）` … */
  key: string;
  message: string;
}

export interface PrhImport {
  path: string;
  disableImports: boolean;
  /** Rules of the imported file to drop: by expected or by pattern text. */
  ignoreRules: { pattern?: string; expected?: string; text?: string }[];
}

export interface PrhRule {
  source: string;
  /** Index in the file's `rules` list. */
  index: number;
  expected: string;
  /** The patterns as written (for ignoreRules and messages). */
  patternTexts: string[];
  /** One or more global regular expressions (several only when their flags differ). */
  regexps: RegExp[];
  /** Capture group that must be empty for a match to count (prh `regexpMustEmpty: $1`). */
  mustEmpty?: number;
  /** The `prh:` note shown with each finding. */
  note?: string;
}

export interface PrhDictionary {
  source: string;
  rules: PrhRule[];
  imports: PrhImport[];
  problems: PrhProblem[];
}

export interface PrhMatch {
  start: number;
  end: number;
  /** The text that was matched. */
  text: string;
  /** The replacement (`expected` with `$n` filled in). */
  replacement: string;
  rule: PrhRule;
}

const SKIP = 'このルールは読み飛ばし、辞書のほかのルールは使います。';
const MAX_PATTERN_LENGTH = 2000;

/** Parses and validates one dictionary file. Never throws. */
export function parsePrhText(text: string, source: string): PrhDictionary {
  let data: unknown;
  try {
    const doc = YAML.parseDocument(text.replace(/^\uFEFF/, ''));
    if (doc.errors.length) {
      const e = doc.errors[0];
      const line = e.linePos?.[0]?.line;
      return empty(source, [{ source, key: '(YAML)', message: `YAML として読めません${line ? `（${line}行目）` : ''}: ${firstLine(e.message)}。インデントやコロン、引用符を確認してください。この辞書は使いません。` }]);
    }
    data = doc.toJS({ maxAliasCount: 100 });
  } catch (e) {
    return empty(source, [{ source, key: '(YAML)', message: `YAML として読めません: ${firstLine(e instanceof Error ? e.message : String(e))}。この辞書は使いません。` }]);
  }
  return compilePrhData(data, source);
}

/**
 * Validates already-parsed dictionary data (the built-in dictionary is bundled as data).
 * `trusted`: data a unit test has validated (the built-in dictionary, checked at every start
 * otherwise): the checks that cannot fail on it are skipped — its specs, the guard against slow
 * expressions and the empty-match test. Rules, regexps and problems are the same.
 */
export function compilePrhData(data: unknown, source: string, trusted = false): PrhDictionary {
  const problems: PrhProblem[] = [];
  if (data === null || data === undefined) return empty(source, []);
  if (typeof data !== 'object' || Array.isArray(data)) {
    return empty(source, [{ source, key: '(全体)', message: 'prh 形式の辞書は「version」「imports」「rules」を持つマッピングで書いてください（例: rules: の下に - expected: …）。この辞書は使いません。' }]);
  }
  const obj = data as Record<string, unknown>;
  const imports = parseImports(obj.imports, source, problems);
  const rules: PrhRule[] = [];
  if (obj.rules !== undefined && obj.rules !== null) {
    if (!Array.isArray(obj.rules)) {
      problems.push({ source, key: 'rules', message: 'rules はルールの並び（- expected: … の形）で書いてください。この辞書のルールは使いません。' });
    } else {
      obj.rules.forEach((raw, index) => {
        const rule = compileRule(raw, index, source, problems, trusted);
        if (rule) rules.push(rule);
      });
    }
  }
  return { source, rules, imports, problems };
}

function empty(source: string, problems: PrhProblem[]): PrhDictionary {
  return { source, rules: [], imports: [], problems };
}

function firstLine(s: string): string {
  return s.split('\n')[0].replace(/[。.]\s*$/, '');
}

function parseImports(raw: unknown, source: string, problems: PrhProblem[]): PrhImport[] {
  if (raw === undefined || raw === null) return [];
  const list = Array.isArray(raw) ? raw : [raw];
  const out: PrhImport[] = [];
  list.forEach((item, i) => {
    const key = Array.isArray(raw) ? `imports[${i}]` : 'imports';
    if (typeof item === 'string' && item.trim()) {
      out.push({ path: item.trim(), disableImports: false, ignoreRules: [] });
      return;
    }
    if (item && typeof item === 'object' && !Array.isArray(item) && typeof (item as Record<string, unknown>).path === 'string') {
      const o = item as Record<string, unknown>;
      const ignore: PrhImport['ignoreRules'] = [];
      const rawIgnore = o.ignoreRules === undefined || o.ignoreRules === null ? [] : Array.isArray(o.ignoreRules) ? o.ignoreRules : [o.ignoreRules];
      for (const r of rawIgnore) {
        if (typeof r === 'string') ignore.push({ text: r });
        else if (r && typeof r === 'object') {
          const ro = r as Record<string, unknown>;
          ignore.push({ pattern: typeof ro.pattern === 'string' ? ro.pattern : undefined, expected: typeof ro.expected === 'string' ? ro.expected : undefined });
        }
      }
      out.push({ path: String(o.path).trim(), disableImports: o.disableImports === true, ignoreRules: ignore });
      return;
    }
    problems.push({ source, key, message: 'imports には読み込む辞書ファイルのパス（文字列）か、{ path: …, disableImports: …, ignoreRules: … } を書いてください。この指定は使いません。' });
  });
  return out;
}

function ruleKey(index: number, expected?: unknown): string {
  return typeof expected === 'string' ? `rules[${index}]（expected: ${expected}）` : `rules[${index}]`;
}

function compileRule(raw: unknown, index: number, source: string, problems: PrhProblem[], trusted = false): PrhRule | undefined {
  const obj: Record<string, unknown> | undefined = typeof raw === 'string' ? { expected: raw } : raw && typeof raw === 'object' && !Array.isArray(raw) ? (raw as Record<string, unknown>) : undefined;
  const key = ruleKey(index, obj?.expected);
  const fail = (message: string) => { problems.push({ source, key, message: `${message}${SKIP}` }); return undefined; };
  if (!obj) return fail('ルールは「expected: 正しい表記」を持つマッピングで書いてください。');
  if (typeof obj.expected !== 'string') return fail('expected（正しい表記）を文字列で書いてください。');
  const expected = obj.expected;
  const options = obj.options && typeof obj.options === 'object' ? (obj.options as Record<string, unknown>) : {};
  const wordBoundary = options.wordBoundary === true;

  const rawPatterns = obj.pattern ?? obj.patterns;
  let texts: string[];
  if (rawPatterns === undefined || rawPatterns === null) texts = [];
  else if (typeof rawPatterns === 'string') texts = [rawPatterns];
  else if (Array.isArray(rawPatterns) && rawPatterns.every((p) => typeof p === 'string')) texts = rawPatterns as string[];
  else return fail('pattern / patterns は文字列か文字列の並びで書いてください。');
  if (texts.some((t) => t === '')) return fail('空の pattern があります。どの表記を見つけるかを書いてください。');
  if (texts.length === 0 && expected === '') return fail('expected が空で pattern もないため、何を見つけるルールか分かりません。');

  const compiled: { source: string; flags: string }[] = [];
  if (texts.length === 0) compiled.push({ source: boundary(spreadAlphaNum(expected), wordBoundary), flags: '' });
  for (const t of texts) {
    const re = /^\/([\s\S]+)\/([a-z]*)$/.exec(t);
    if (re) {
      const [, body, flags] = re;
      if (body.length > MAX_PATTERN_LENGTH) return fail(`正規表現 ${t.slice(0, 40)}… が長すぎます（${MAX_PATTERN_LENGTH}文字まで）。`);
      const bad = flags.replace(/[gimsuy]/g, '');
      if (bad) return fail(`正規表現 ${t} のフラグ「${bad}」は使えません（使えるのは i・m・s・u）。`);
      const danger = trusted ? undefined : catastrophic(body);
      if (danger) return fail(`正規表現 ${t} は${danger}を含み、文によっては照合に極端に時間がかかる（止まったように見える）おそれがあるため使いません。量指定子を入れ子にしない書き方に直してください。`);
      compiled.push({ source: body, flags: flags.replace(/[gy]/g, '') });
    } else {
      compiled.push({ source: boundary(escapeLiteral(t), wordBoundary), flags: '' });
    }
  }

  const regexps: RegExp[] = [];
  for (const c of compiled) {
    const re = makeRegExp(c.source, c.flags);
    if (typeof re === 'string') return fail(`正規表現 /${c.source}/${c.flags} を解釈できません（${re}）。括弧や [ ] の対応、エスケープ（\\）を確認してください。`);
    if (!trusted && re.test('')) return fail(`パターン /${c.source}/ は空の文字列にも一致するため、どこでも一致してしまいます。少なくとも1文字に一致するように書いてください。`);
    regexps.push(re);
  }
  // prh joins the patterns of one rule into a single alternation, which numbers capture groups
  // across the patterns; do the same when the flags agree so that `$2` means what it means in prh.
  const joined = regexps.length > 1 && regexps.every((r) => r.flags === regexps[0].flags) ? makeRegExp(regexps.map((r) => r.source).join('|'), regexps[0].flags.replace('g', '')) : undefined;
  const finalRegexps = joined instanceof RegExp ? [joined] : regexps;

  let mustEmpty: number | undefined;
  if (obj.regexpMustEmpty !== undefined && obj.regexpMustEmpty !== null) {
    const m = /^\$([0-9]{1,2})$/.exec(String(obj.regexpMustEmpty));
    if (!m) return fail(`regexpMustEmpty は「$1」のように、空でなければならないグループの番号で書いてください（指定値: ${String(obj.regexpMustEmpty)}）。`);
    mustEmpty = Number(m[1]);
  }
  const note = typeof obj.prh === 'string' && obj.prh.trim() ? obj.prh.trim() : undefined;
  const rule: PrhRule = { source, index, expected, patternTexts: texts, regexps: finalRegexps, mustEmpty, note };

  if (obj.specs !== undefined && obj.specs !== null && !trusted) {
    if (!Array.isArray(obj.specs)) return fail('specs は「- from: … / to: …」の並びで書いてください。');
    for (const [i, spec] of obj.specs.entries()) {
      const s = spec as Record<string, unknown> | null;
      if (!s || typeof s !== 'object' || typeof s.from !== 'string' || typeof s.to !== 'string') return fail(`specs[${i}] は from と to の文字列の組で書いてください。`);
      const got = applyRule(rule, s.from);
      if (got !== s.to) return fail(`specs[${i}] のテストが通りません。「${s.from}」は「${s.to}」になるはずですが、このルールを当てると「${got}」になります。pattern か expected、または specs を直してください。`);
    }
  }
  return rule;
}

/** Builds a global RegExp; returns the error text when it cannot be built. */
function makeRegExp(source: string, flags: string): RegExp | string {
  const base = 'g' + flags.replace(/[gy]/g, '');
  try {
    return new RegExp(source, base);
  } catch (e) {
    // prh always adds the u flag, under which `\-` outside a class or `[\w-]` are errors.
    // Without u those are plain literals, so a dictionary written that way still works here.
    if (base.includes('u')) {
      try {
        return new RegExp(source, base.replace('u', ''));
      } catch { /* report the first error */ }
    }
    return e instanceof Error ? e.message.replace(/^Invalid regular expression: /, '') : String(e);
  }
}

/** Literal text → regex source. `-` needs no escape outside a class (and must not get one under u). */
export function escapeLiteral(text: string): string {
  return text.replace(/[\\^$.*+?()[\]{}|/]/g, '\\$&');
}

function boundary(source: string, on: boolean): string {
  return on ? `\\b(?:${source})\\b` : source;
}

const HALF_ALNUM = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

/** prh's rule for a rule without pattern: letters match either case and width, digits either width. */
function spreadAlphaNum(text: string): string {
  let out = '';
  for (const ch of text) {
    if (!HALF_ALNUM.includes(ch)) { out += escapeLiteral(ch); continue; }
    const full = (c: string) => String.fromCharCode(c.charCodeAt(0) + 0xfee0);
    if (/[0-9]/.test(ch)) out += `[${ch}${full(ch)}]`;
    else {
      const u = ch.toUpperCase(), l = ch.toLowerCase();
      out += `[${u}${l}${full(u)}${full(l)}]`;
    }
  }
  return out;
}

/**
 * A simple static guard against catastrophic backtracking: an unbounded quantifier applied to a
 * group that itself contains an unbounded quantifier, e.g. (a+)+, (\w*)*, (?:x+y?)+.
 * Returns a description of the construct, or undefined.
 */
export function catastrophic(source: string): string | undefined {
  const stack: { unbounded: boolean; start: number }[] = [];
  let inClass = false;
  let lastGroup: { unbounded: boolean; start: number } | undefined;
  for (let i = 0; i < source.length; i++) {
    const ch = source[i];
    if (ch === '\\') { i++; lastGroup = undefined; continue; }
    if (inClass) { if (ch === ']') inClass = false; continue; }
    if (ch === '[') { inClass = true; lastGroup = undefined; continue; }
    if (ch === '(') { stack.push({ unbounded: false, start: i }); lastGroup = undefined; continue; }
    if (ch === ')') {
      const g = stack.pop();
      lastGroup = g;
      if (g && g.unbounded && stack.length) stack[stack.length - 1].unbounded = true;
      continue;
    }
    const q = quantifierAt(source, i);
    if (q) {
      if (q.unbounded) {
        if (lastGroup?.unbounded) return `入れ子になった繰り返し（${source.slice(lastGroup.start, i + q.length)}）`;
        if (stack.length) stack[stack.length - 1].unbounded = true;
      }
      i += q.length - 1;
      lastGroup = undefined;
      continue;
    }
    lastGroup = undefined;
  }
  // Lookarounds and back-references keep V8 from re-running a slow match on its linear-time
  // engine: with them, allow at most one unbounded repetition (a*a*c is polynomial).
  if (/\(\?<?[=!]|\\[1-9]|\\k</.test(source) && unboundedCount(source) >= 2) return '先読み・後読みまたは後方参照と、複数の繰り返し（* + {n,}）の組み合わせ';
  return undefined;
}

/** Number of unbounded quantifiers (*, +, {n,}) outside character classes. */
function unboundedCount(source: string): number {
  let n = 0;
  let inClass = false;
  for (let i = 0; i < source.length; i++) {
    const ch = source[i];
    if (ch === '\\') { i++; continue; }
    if (inClass) { if (ch === ']') inClass = false; continue; }
    if (ch === '[') { inClass = true; continue; }
    const q = quantifierAt(source, i);
    if (q) { if (q.unbounded) n++; i += q.length - 1; }
  }
  return n;
}

function quantifierAt(source: string, i: number): { length: number; unbounded: boolean } | undefined {
  const ch = source[i];
  const lazy = (n: number) => (source[i + n] === '?' ? n + 1 : n);
  if (ch === '+' || ch === '*') return { length: lazy(1), unbounded: true };
  if (ch === '?') return { length: lazy(1), unbounded: false };
  if (ch === '{') {
    const m = /^\{(\d+)(,(\d*))?\}/.exec(source.slice(i));
    if (!m) return undefined;
    const unbounded = m[2] !== undefined && (m[3] === '' || Number(m[3]) > 50);
    return { length: lazy(m[0].length), unbounded };
  }
  return undefined;
}

/** All matches of a rule in `text`, left to right, without overlaps (prh's regexpMustEmpty honoured). */
export function matchRule(rule: PrhRule, text: string): PrhMatch[] {
  const found: (PrhMatch & { order: number })[] = [];
  rule.regexps.forEach((re, order) => {
    re.lastIndex = 0;
    let m: RegExpExecArray | null;
    while ((m = re.exec(text))) {
      if (m[0].length === 0) { re.lastIndex++; continue; }
      if (rule.mustEmpty !== undefined && m[rule.mustEmpty]) continue;
      found.push({ start: m.index, end: m.index + m[0].length, text: m[0], replacement: expand(rule.expected, m), rule, order });
    }
  });
  found.sort((a, b) => a.start - b.start || a.order - b.order);
  const out: PrhMatch[] = [];
  let end = -1;
  for (const f of found) {
    if (f.start < end) continue;
    out.push({ start: f.start, end: f.end, text: f.text, replacement: f.replacement, rule: f.rule });
    end = f.end;
  }
  return out;
}

/** `expected` with $1…$99 filled in (prh's rule: $0 and groups that do not exist stay as written). */
function expand(expected: string, m: RegExpExecArray): string {
  return expected.replace(/\$([0-9]{1,2})/g, (all, g: string) => {
    const n = parseInt(g, 10);
    if (n === 0 || n > m.length - 1) return all;
    return m[n] ?? '';
  });
}

/** The text after applying the rule once (what prh's specs check). */
export function applyRule(rule: PrhRule, text: string): string {
  let out = '';
  let pos = 0;
  for (const m of matchRule(rule, text)) {
    out += text.slice(pos, m.start) + m.replacement;
    pos = m.end;
  }
  return out + text.slice(pos);
}

// ---------------------------------------------------------------------------------------------
// Several files: imports, merging, caching.

/** Joins a path relative to a folder, normalising `.` and `..` (pure; keeps the base's separator). */
export function joinPath(baseDir: string, relative: string): string {
  const sep = baseDir.includes('\\') && !baseDir.includes('/') ? '\\' : '/';
  const isAbs = /^([A-Za-z]:)?[\\/]/.test(relative);
  const full = isAbs ? relative : `${baseDir.replace(/[\\/]+$/, '')}${sep}${relative}`;
  const drive = /^[A-Za-z]:/.exec(full)?.[0] ?? '';
  const rest = full.slice(drive.length);
  const absolute = /^[\\/]/.test(rest);
  const parts: string[] = [];
  for (const p of rest.split(/[\\/]+/)) {
    if (!p || p === '.') continue;
    if (p === '..') { if (parts.length && parts[parts.length - 1] !== '..') parts.pop(); else if (!absolute) parts.push('..'); continue; }
    parts.push(p);
  }
  return drive + (absolute ? sep : '') + parts.join(sep);
}

/** The folder of a file path. */
export function dirOf(file: string): string {
  const i = Math.max(file.lastIndexOf('/'), file.lastIndexOf('\\'));
  return i < 0 ? '.' : i === 0 ? file.slice(0, 1) : file.slice(0, i);
}

const cache = new Map<string, PrhDictionary>();

/** parsePrhText with a small cache (the server re-checks on every keystroke). */
export function parsePrhCached(text: string, source: string): PrhDictionary {
  const key = `${source}\u0000${text}`;
  let d = cache.get(key);
  if (!d) {
    d = parsePrhText(text, source);
    if (cache.size >= 64) cache.delete(cache.keys().next().value as string);
    cache.set(key, d);
  }
  return d;
}

export interface DictionarySet {
  rules: PrhRule[];
  problems: PrhProblem[];
}

/**
 * The rules of a set of loaded files, starting from `roots` (the files named in .lgpolicy.json)
 * and following imports like prh: a file's own rules first, then the imported ones whose
 * `expected` is not already present; `ignoreRules` drops rules of an import; `disableImports`
 * stops the chain. Files imported in a cycle are read once.
 */
export function buildDictionarySet(loaded: { source: string; text: string }[], roots?: string[]): DictionarySet {
  const bySource = new Map(loaded.map((l) => [l.source, l.text]));
  const problems: PrhProblem[] = [];
  const reported = new Set<string>();
  const parse = (source: string): PrhDictionary | undefined => {
    const text = bySource.get(source);
    if (text === undefined) return undefined;
    const d = parsePrhCached(text, source);
    if (!reported.has(source)) { reported.add(source); problems.push(...d.problems); }
    return d;
  };
  const expandFile = (source: string, follow: boolean, stack: string[]): PrhRule[] => {
    const d = parse(source);
    if (!d) return [];
    const rules = [...d.rules];
    if (!follow) return rules;
    for (const imp of d.imports) {
      const child = joinPath(dirOf(source), imp.path);
      if (stack.includes(child)) continue;
      const sub = expandFile(child, !imp.disableImports, [...stack, child]).filter((r) => !ignored(r, imp.ignoreRules));
      merge(rules, sub);
    }
    return rules;
  };
  const known = (roots ?? []).filter((r) => bySource.has(r));
  const rootList = known.length ? known : loaded.map((l) => l.source);
  const all: PrhRule[] = [];
  for (const r of rootList) merge(all, expandFile(r, true, [r]));
  // Files that were loaded but not reached (e.g. roots could not be matched) still get validated.
  for (const l of loaded) parse(l.source);
  return { rules: all, problems };
}

/** prh's merge: rules of `more` whose expected is not yet in `into` (a file's own duplicates are kept). */
function merge(into: PrhRule[], more: PrhRule[]) {
  const present = new Set(into.map((r) => r.expected));
  for (const r of more) if (!present.has(r.expected) && !into.includes(r)) into.push(r);
}

function ignored(rule: PrhRule, ignore: PrhImport['ignoreRules']): boolean {
  const shown = rule.regexps.map((r) => `/${r.source}/${r.flags.replace('g', '')}`);
  return ignore.some((i) => {
    if (i.expected !== undefined && i.expected === rule.expected) return true;
    const p = i.pattern ?? i.text;
    if (p === undefined) return false;
    return rule.patternTexts.includes(p) || shown.includes(p) || (i.text !== undefined && i.text === rule.expected);
  });
}
