import type { Span } from '../text';
import type { Marker } from './numbering';
import type { SegmentCache } from './lines';
import type { ArticleIndex, RawReference } from './references';

export type Revision = 'R4.3' | 'R5.3' | 'R6.10' | 'R7.3';

/** One numbered item or heading of the document's outline. */
export interface OutlineNode {
  id: number;
  kind: 'root' | 'heading' | 'item';
  /** Markdown heading depth for headings (1–6); 0 for the root. */
  headingDepth: number;
  marker?: Marker;
  /** （目的） caption line of an article, without brackets. */
  caption?: string;
  /** Text of the first line after the marker. */
  title: string;
  /** Span of the line that starts this node (marker included). */
  lineSpan: Span;
  markerSpan?: Span;
  titleSpan: Span;
  /** From the start of the node to the end of its last descendant's content. */
  span: Span;
  /** The node's own text segments (its lines, without children), in document order. */
  segments: TextSegment[];
  parent?: OutlineNode;
  children: OutlineNode[];
  /** Depth in the outline tree (root = 0). */
  depth: number;
}

export interface TextSegment {
  text: string;
  offset: number;
  /** Derived facts cached with the source line the segment comes from (see SourceLine.cache). */
  cache?: SegmentCache;
  /**
   * The clauses made from this segment by the last analysis (language server: segments outlive an
   * analysis, see patch.ts), with what they were made from (their spans tell where they are now).
   */
  built?: { sentences: object; node: OutlineNode; marked: boolean; clauses: Clause[] };
}

export type Obligation = 'must' | 'must-not' | 'shall' | 'effort' | 'recommended' | 'may' | 'none';

export interface Clause {
  text: string;
  span: Span;
  node: OutlineNode;
  obligation: Obligation;
  /** The clause or its item is marked 【推奨事項】. */
  recommendedMarker: boolean;
  subject?: { text: string; span: Span; roleId?: string };
}

export interface Definition {
  term: string;
  /** Span of the term where it is defined. */
  span: Span;
  text: string;
  kind: 'table' | 'item' | 'inline' | 'quoted';
}

export type ReferenceKind = 'article' | 'relative' | 'appendix' | 'title';

export interface CrossReference {
  kind: ReferenceKind;
  text: string;
  span: Span;
  /** The referenced node, when it is in this document. */
  target?: OutlineNode;
  /** The reference names another document (法, 条例, 別の規程 …). */
  external: boolean;
  /** Article number referred to (kind article), or relation for relative references. */
  detail?: string;
  /** What the sentence alone says of the reference (offset in its clause, groups): to find its target again after the outline changed. */
  raw?: RawReference;
}

export interface DocumentMetadata {
  frontMatter?: Record<string, unknown>;
  frontMatterSpan?: Span;
  frontMatterError?: string;
  title?: string;
  titleSpan?: Span;
  /** Front matter `lgpolicy: true/false` when present. */
  declaredPolicy?: boolean;
  /** Detected from the title and headings. */
  looksLikePolicy: boolean;
  /** Why it was (or was not) recognised, for the output channel. */
  policyReason: string;
  excerpt: boolean;
  /** Self-reference used most (本市, 本町 …), or the front matter `organization`. */
  organization?: string;
  organizationCounts: Record<string, number>;
  /** Revision declared in front matter. */
  declaredRevision?: Revision;
  /** Revision the text itself implies. */
  inferredRevision?: { revision: Revision; reason: string };
  /** Front matter `guideline:` value that could not be understood. */
  unknownRevision?: string;
}

export interface TableInfo {
  span: Span;
  rows: { cells: { text: string; span: Span }[]; span: Span }[];
  /** Nearest preceding outline node. */
  node: OutlineNode;
}

export interface CommentInfo { text: string; span: Span }

export interface PolicyDocument {
  text: string;
  root: OutlineNode;
  /** All outline nodes in document order (root excluded). */
  nodes: OutlineNode[];
  clauses: Clause[];
  definitions: Definition[];
  references: CrossReference[];
  /** The main provisions' articles (before 附則) and where 附則 starts: what article references point to. */
  articles: ArticleIndex;
  tables: TableInfo[];
  comments: CommentInfo[];
  /** Spans that are code (fenced, indented, inline) — rules and hover ignore them. */
  codeSpans: Span[];
  metadata: DocumentMetadata;
}
