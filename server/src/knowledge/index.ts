/**
 * The knowledge base: guideline terms, roles and section requirements, loaded from
 * the YAML data under server/knowledge (bundled at build time; validated against
 * the JSON schemas there by the build and the tests).
 */
import termsData from 'knowledge-data:terms';
import rolesData from '../../knowledge/roles.yaml';
import requirementsData from 'knowledge-data:requirements';
import outlineData from 'knowledge-data:guideline-outline';
import { TermMatcher } from './matcher';
import { own } from '../engine/memo';
import type { Revision } from '../engine/model/types';

export interface SectionRef { revisions: Revision[]; section: string; title?: string }

export interface Term {
  id: string; headword: string; reading: string; english?: string; aliases?: string[];
  category: string; explanation: string; sections: SectionRef[]; revisions?: Revision[];
  revisionNote?: string; related?: string[]; confidence: Confidence; source?: string; seeds?: string[];
}

export interface Role {
  id: string; name: string; reading: string; abbreviation?: string; english?: string;
  aliases?: string[]; misspellings?: string[]; typicalHolder: string; duties: string[];
  approves?: string[]; namedIn?: SectionRef[]; explanation: string; sections: SectionRef[];
  related?: string[]; confidence: Confidence; source?: string;
}

export type Confidence = 'confirmed' | 'inferred' | 'unverified';

export interface RequirementElement {
  id: string; label: string; item?: string; present: string[]; snippet: string; rationale: string;
  confidence: Confidence; revisions?: Revision[]; seeds?: string[];
}
export interface RequirementPart {
  id: string; title: string; item: string; recognise: string[]; revisions?: Revision[]; elements: RequirementElement[];
}
export interface RequirementSection {
  id: string; title: string; kind: 'section' | 'procedure'; document?: string; sections: SectionRef[];
  revisions?: Revision[]; recognise: string[]; exclude?: string[]; snippet: string; rationale?: string;
  parts: RequirementPart[]; confidence: Confidence;
}

export interface OutlineEntry {
  id: string; title: string; document: '基本方針' | '対策基準'; parent?: string; sections: SectionRef[];
  recognise: string[]; exclude?: string[]; requirement?: string; summary?: string; confidence: Confidence; source?: string;
}

export const CONFIDENCE_LABELS: Record<Confidence, string> = {
  confirmed: '確認済み（公開資料で確認）',
  inferred: '推定（確認済みの事実からの推定）',
  unverified: '未検証（ガイドライン本文で要確認）',
};

export class Knowledge {
  readonly terms: Term[];
  readonly roles: Role[];
  readonly requirements: RequirementSection[];
  readonly outline: OutlineEntry[];
  readonly termById = new Map<string, Term>();
  readonly roleById = new Map<string, Role>();
  readonly matcher = new TermMatcher();
  /** Names that were claimed by two entries (a data error; the tests assert it is empty). */
  readonly conflicts: string[] = [];

  constructor(terms: Term[], roles: Role[], requirements: RequirementSection[], outline: OutlineEntry[] = []) {
    this.terms = terms;
    this.roles = roles;
    this.requirements = requirements;
    this.outline = outline;
    for (const t of terms) this.termById.set(t.id, t);
    for (const r of roles) this.roleById.set(r.id, r);
    // Roles first: a role name wins over a term with the same spelling.
    for (const r of roles) {
      for (const name of [r.name, r.abbreviation, ...(r.aliases ?? [])]) if (name) this.addName(name, { kind: 'role', id: r.id, name });
      for (const name of r.misspellings ?? []) this.addName(name, { kind: 'misspelling', id: r.id, name });
    }
    for (const t of terms) {
      for (const name of [t.headword, ...(t.aliases ?? [])]) this.addName(name, { kind: 'term', id: t.id, name });
    }
  }

  private addName(name: string, entry: { kind: 'term' | 'role' | 'misspelling'; id: string; name: string }) {
    const prev = this.matcher.add(name, entry);
    if (prev && prev.id !== entry.id) this.conflicts.push(`${name}: ${prev.kind}:${prev.id} / ${entry.kind}:${entry.id}`);
  }

  /** The role a subject phrase names (the longest role name that ends the phrase, else any). */
  findRole(text: string): string | undefined {
    // Subject phrases repeat throughout a document ("統括情報セキュリティ責任者は"): answer each once.
    if (this.roleOfSubject.has(text)) return this.roleOfSubject.get(text);
    if (this.roleOfSubject.size >= 4096) this.roleOfSubject.clear();
    const role = this.findRoleUncached(text);
    // A copy as the key: the phrase is usually a slice of the whole document, which must not be kept alive.
    this.roleOfSubject.set(own(text), role);
    return role;
  }

  private readonly roleOfSubject = new Map<string, string | undefined>();

  private findRoleUncached(text: string): string | undefined {
    const matches = this.matcher.findAll(text).filter((m) => m.entry.kind === 'role');
    if (matches.length === 0) return undefined;
    const ending = matches.filter((m) => m.end === text.length);
    const pick = (ending.length ? ending : matches).sort((a, b) => b.end - b.start - (a.end - a.start))[0];
    return pick.entry.id;
  }

  /** The section reference that applies to a revision. */
  static sectionFor(refs: SectionRef[] | undefined, revision: Revision): SectionRef | undefined {
    return refs?.find((r) => r.revisions.includes(revision));
  }
}

let instance: Knowledge | undefined;
export function knowledge(): Knowledge {
  instance ??= new Knowledge(
    termsData as Term[],
    rolesData as Role[],
    requirementsData as RequirementSection[],
    outlineData as OutlineEntry[],
  );
  return instance;
}
