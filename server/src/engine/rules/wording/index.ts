/** The wording rules (one file per rule). */
import type { Rule } from '../../types';

export const WORDING_RULES: Rule[] = [];
