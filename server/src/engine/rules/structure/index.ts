/** The structure rules (one file per rule). */
import type { Rule } from '../../types';
import { undefinedTerm } from './undefined-term';
import { unusedDefinition } from './unused-definition';
import { unknownRole } from './unknown-role';
import { crossReferenceTarget } from './cross-reference-target';
import { numberingMixedStyle } from './numbering-mixed-style';
import { revisionTerms } from './revision-terms';
import { obligationConsistency } from './obligation-consistency';

export const STRUCTURE_RULES: Rule[] = [undefinedTerm, unusedDefinition, unknownRole, crossReferenceTarget, numberingMixedStyle, revisionTerms, obligationConsistency];
