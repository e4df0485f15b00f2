/** The consistency rules (one file per rule). */
import type { Rule } from '../../types';

export const CONSISTENCY_RULES: Rule[] = [];
