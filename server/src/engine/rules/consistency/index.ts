/** The consistency rules (one file per rule). The dictionary rules come last: they leave alone what the others report. */
import type { Rule } from '../../types';
import { selfReferenceMixed } from './self-reference';
import { termVariants } from './term-variants';
import { roleNameMisspelling } from './role-name-misspelling';
import { widthVariants } from './width-variants';
import { halfwidthKatakana } from './halfwidth-katakana';
import { builtinDictionaryRule, userDictionaryRule } from './dictionary-rules';

export const CONSISTENCY_RULES: Rule[] = [selfReferenceMixed, termVariants, roleNameMisspelling, widthVariants, halfwidthKatakana, builtinDictionaryRule, userDictionaryRule];
