/** The rule registry: one file per rule, metadata beside the check. */
import type { Rule } from '../types';
import { numberingSequence } from './numbering-sequence';
import { requiredElements } from './required-elements';
import { encryptionOrPassword } from './encryption-or-password';
import { guidelineRevision } from './guideline-revision';
import { WORDING_RULES } from './wording';
import { CONSISTENCY_RULES } from './consistency';
import { STRUCTURE_RULES } from './structure';

export const RULES: Rule[] = [guidelineRevision, numberingSequence, requiredElements, encryptionOrPassword, ...WORDING_RULES, ...CONSISTENCY_RULES, ...STRUCTURE_RULES];

/** Rule ids and aliases (case-insensitive) → rule id. */
export const RULE_NAMES: Map<string, string> = new Map(
  RULES.flatMap((r) => [r.meta.id, ...r.meta.aliases].flatMap((n) => [[n, r.meta.id], [n.toLowerCase(), r.meta.id]] as [string, string][])),
);

export function ruleById(id: string): Rule | undefined {
  return RULES.find((r) => r.meta.id === id);
}

/** Docs page of a rule, relative to the repository root. */
export function ruleDocPath(id: string): string {
  return `docs/rules/${id}.md`;
}
