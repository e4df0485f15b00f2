/** The structure rules (one file per rule). */
import type { Rule } from '../../types';

export const STRUCTURE_RULES: Rule[] = [];
