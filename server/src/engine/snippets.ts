/**
 * Model clauses: the snippet files under snippets/ are the single source for the
 * editor's snippets and the server's quick-fix insertions. Placeholders resolve to
 * the document's own organisation, roles and classification wording.
 */
import snippetFiles from 'snippet-data:all';
import type { Revision } from './model/types';

export interface Snippet { name: string; id: string; prefixes: string[]; body: string[]; description: string }

let byId: Map<string, Snippet> | undefined;

export function allSnippets(): Map<string, Snippet> {
  if (byId) return byId;
  byId = new Map();
  for (const { snippets } of snippetFiles) {
    for (const [name, s] of Object.entries(snippets)) {
      const prefixes = Array.isArray(s.prefix) ? s.prefix : [s.prefix];
      const id = prefixes.find((p) => p.startsWith('lgp-'));
      if (!id) continue;
      byId.set(id, { name, id, prefixes, body: Array.isArray(s.body) ? s.body : [s.body], description: s.description ?? '' });
    }
  }
  return byId;
}

export function snippet(id: string): Snippet | undefined {
  return allSnippets().get(id);
}

export interface ResolveContext { organization?: string; revision: Revision }

const ORG_CHOICES = ['本市', '本町', '本村', '本区', '本県', '自組織'];

/** Expands snippet syntax to plain text: choices, defaults and mirrors resolved; tabstops removed. */
export function resolveSnippet(body: string[], ctx: ResolveContext, eol = '\n'): string {
  const values = new Map<string, string>();
  const newRevision = ctx.revision === 'R6.10' || ctx.revision === 'R7.3';
  const text = body.join('\n');
  let out = '';
  let i = 0;
  const parsePlaceholder = (): string => {
    // at "${" or "$"
    if (text[i + 1] === '{') {
      i += 2;
      const num = /^(\d+|[A-Z_]+)/.exec(text.slice(i))?.[0] ?? '';
      i += num.length;
      let value = '';
      if (text[i] === ':') {
        i++;
        value = parseUntilClose();
      } else if (text[i] === '|') {
        const end = text.indexOf('|}', i + 1);
        const options = text.slice(i + 1, end).split(',').map((o) => o.replace(/\\([,|\\$}])/g, '$1'));
        i = end + 2;
        if (options.some((o) => ORG_CHOICES.includes(o))) value = ctx.organization ?? options[0];
        else if (options.some((o) => o.startsWith('自治体機密性'))) value = options.find((o) => o.startsWith('自治体機密性') === newRevision) ?? options[0];
        else value = options[0];
        if (num) values.set(num, value);
        return value;
      } else {
        i++; // '}'
      }
      if (/^\d+$/.test(num)) {
        if (values.has(num) && value === '') return values.get(num)!;
        values.set(num, value);
        return value;
      }
      return value; // variables resolve to their default
    }
    const num = /^\d+/.exec(text.slice(i + 1))?.[0];
    if (num) { i += 1 + num.length; return values.get(num) ?? ''; }
    i++;
    return '$';
  };
  const parseUntilClose = (): string => {
    let v = '';
    while (i < text.length && text[i] !== '}') {
      if (text[i] === '\\' && i + 1 < text.length) { v += text[i + 1]; i += 2; }
      else if (text[i] === '$') v += parsePlaceholder();
      else v += text[i++];
    }
    i++;
    return v;
  };
  while (i < text.length) {
    const ch = text[i];
    if (ch === '\\' && i + 1 < text.length && '$}\\'.includes(text[i + 1])) { out += text[i + 1]; i += 2; }
    else if (ch === '$') out += parsePlaceholder();
    else { out += ch; i++; }
  }
  return eol === '\n' ? out : out.replace(/\n/g, eol);
}
