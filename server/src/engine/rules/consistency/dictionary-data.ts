/** The prh dictionaries a document is checked against: the built-in one and the user's. */
import builtinData from '../../../../knowledge/prh/lgpolicy.yml';
import { buildDictionarySet, compilePrhData, joinPath, type PrhDictionary, type PrhRule } from '../../prh';
import type { ResolvedConfig } from '../../config';

/** How the built-in dictionary is named in messages and problems. */
export const BUILTIN_SOURCE = 'LG Policy の用語辞書 (server/knowledge/prh/lgpolicy.yml)';

let builtin: PrhDictionary | undefined;

export function builtinDictionary(): PrhDictionary {
  // Trusted: consistency.test.ts checks that every rule loads and passes its specs.
  builtin ??= compilePrhData(builtinData, BUILTIN_SOURCE, true);
  return builtin;
}

let lastUser: { key: ResolvedConfig['loadedDictionaries']; roots: string; rules: PrhRule[] } | undefined;

/** The rules of the dictionaries named in .lgpolicy.json (invalid rules already left out). */
export function userDictionaryRules(config: ResolvedConfig): PrhRule[] {
  const loaded = config.loadedDictionaries ?? [];
  if (loaded.length === 0) return [];
  const roots = config.baseDir ? config.dictionaries.map((d) => joinPath(config.baseDir!, d)) : [];
  const rootsKey = roots.join('\n');
  if (lastUser && lastUser.key === config.loadedDictionaries && lastUser.roots === rootsKey) return lastUser.rules;
  const rules = buildDictionarySet(loaded, roots).rules;
  lastUser = { key: config.loadedDictionaries, roots: rootsKey, rules };
  return rules;
}

/** A user rule's preferred literal form, when it has one (an `expected` without $n). */
export function literalExpected(rule: PrhRule): string | undefined {
  return /\$[0-9]/.test(rule.expected) ? undefined : rule.expected;
}
