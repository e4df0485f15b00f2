/**
 * Finds knowledge-base names in text: a trie over NFKC/lower-cased characters,
 * longest match first, with boundaries so that ログ does not match inside ブログ
 * and SOC does not match inside SOCKET.
 */
import { foldChar } from '../engine/normalize';

export interface MatchEntry { kind: 'term' | 'role' | 'misspelling'; id: string; name: string }
export interface Match { start: number; end: number; entry: MatchEntry }

interface TrieNode { next: Map<string, TrieNode>; entry?: MatchEntry }

const isAlnum = (c: string | undefined) => !!c && /[a-z0-9]/i.test(c.normalize('NFKC'));
const isKatakana = (c: string | undefined) => !!c && /[\u30a1-\u30fa\u30fc\uff66-\uff9f]/.test(c);

export class TermMatcher {
  private root: TrieNode = { next: new Map() };
  maxLength = 0;

  add(name: string, entry: MatchEntry): MatchEntry | undefined {
    let node = this.root;
    let len = 0;
    for (const ch of name) {
      const k = foldChar(ch);
      let n = node.next.get(k);
      if (!n) { n = { next: new Map() }; node.next.set(k, n); }
      node = n;
      len += ch.length;
    }
    this.maxLength = Math.max(this.maxLength, len);
    const previous = node.entry;
    if (!previous) node.entry = entry;
    return previous;
  }

  /** Longest match starting exactly at `start`. */
  matchAt(text: string, start: number): Match | undefined {
    let node = this.root;
    let best: Match | undefined;
    let i = start;
    while (i < text.length) {
      const cp = text.codePointAt(i)!;
      const ch = String.fromCodePoint(cp);
      const n = node.next.get(foldChar(ch));
      if (!n) break;
      node = n;
      i += ch.length;
      if (node.entry && this.boundaryOk(text, start, i, node.entry.name)) best = { start, end: i, entry: node.entry };
    }
    return best;
  }

  private boundaryOk(text: string, start: number, end: number, name: string): boolean {
    const first = name[0], last = name[name.length - 1];
    if (isAlnum(first) && isAlnum(text[start - 1])) return false;
    if (isAlnum(last) && isAlnum(text[end])) return false;
    if (isKatakana(first) && isKatakana(text[start - 1])) return false;
    if (isKatakana(last) && isKatakana(text[end])) return false;
    return true;
  }

  /** Non-overlapping matches, left to right, longest at each position. */
  findAll(text: string, from = 0, to = text.length): Match[] {
    const out: Match[] = [];
    let i = from;
    while (i < to) {
      const m = this.matchAt(text, i);
      if (m && m.end <= to) { out.push(m); i = m.end; } else i++;
    }
    return out;
  }

  /** The longest match that covers `offset` (hover). */
  findCovering(text: string, offset: number): Match | undefined {
    let best: Match | undefined;
    for (let s = Math.max(0, offset - this.maxLength); s <= offset; s++) {
      const m = this.matchAt(text, s);
      if (m && m.end > offset && (!best || m.end - m.start > best.end - best.start)) best = m;
    }
    return best;
  }
}
