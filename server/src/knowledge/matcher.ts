/**
 * Finds knowledge-base names in text: a trie over NFKC/lower-cased characters,
 * longest match first, with boundaries so that ログ does not match inside ブログ
 * and SOC does not match inside SOCKET.
 */
import { foldChar } from '../engine/normalize';
import { memoized } from '../engine/memo';

export interface MatchEntry { kind: 'term' | 'role' | 'misspelling'; id: string; name: string }
export interface Match { start: number; end: number; entry: MatchEntry }

/** Trie edges are keyed by the folded character: its code unit, or the string when it is longer. */
type Key = number | string;
interface TrieNode { next: Map<Key, TrieNode>; entry?: MatchEntry }

const keyOf = (ch: string): Key => {
  const f = foldChar(ch);
  return f.length === 1 ? f.charCodeAt(0) : f;
};
/** Folded key of each BMP code unit, filled on first use (-1: not yet known). */
const UNIT_KEYS = new Int32Array(65536).fill(-1);
const LONG_KEYS = new Map<number, string>();
function unitKey(code: number): Key {
  const k = UNIT_KEYS[code];
  if (k >= 0) return k;
  if (k === -2) return LONG_KEYS.get(code)!;
  const key = keyOf(String.fromCharCode(code));
  if (typeof key === 'number') UNIT_KEYS[code] = key;
  else { UNIT_KEYS[code] = -2; LONG_KEYS.set(code, key); }
  return key;
}

const ALNUM = new Int8Array(65536).fill(-1);
const isAlnum = (c: string | undefined) => {
  if (!c) return false;
  const code = c.charCodeAt(0);
  if (ALNUM[code] < 0) ALNUM[code] = /[a-z0-9]/i.test(c.normalize('NFKC')) ? 1 : 0;
  return ALNUM[code] === 1;
};
const isKatakana = (c: string | undefined) => !!c && /[\u30a1-\u30fa\u30fc\uff66-\uff9f]/.test(c);

export class TermMatcher {
  private root: TrieNode = { next: new Map() };
  maxLength = 0;

  add(name: string, entry: MatchEntry): MatchEntry | undefined {
    let node = this.root;
    let len = 0;
    for (const ch of name) {
      const k = keyOf(ch);
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
      const c = text.charCodeAt(i);
      const pair = c >= 0xd800 && c <= 0xdbff && i + 1 < text.length && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00;
      const n = node.next.get(pair ? keyOf(text.slice(i, i + 2)) : unitKey(c));
      if (!n) break;
      node = n;
      i += pair ? 2 : 1;
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

  /** Non-overlapping matches, left to right, longest at each position (cached per text during an analysis; do not mutate). */
  findAll(text: string, from = 0, to = text.length): readonly Match[] {
    if (from === 0 && to === text.length) return memoized('terms', text, () => this.scan(text, 0, text.length));
    return this.scan(text, from, to);
  }

  private scan(text: string, from: number, to: number): Match[] {
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
