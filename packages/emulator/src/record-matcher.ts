import type { StoredRecord } from './types.ts';

/** One term of a console filter. */
type FilterTerm =
  | { kind: 'label'; key: string; value: string; negated: boolean }
  | { kind: 'word'; pattern: RegExp; negated: boolean };

/**
 * Compiles the console's filter text into a predicate on records. Terms are
 * separated by spaces and must all match:
 * - a word (or a "quoted phrase") matches when the content, a label key or a
 *   label value contains it, letter case aside;
 * - `key=value` matches a record with exactly that label;
 * - a leading `-` inverts a term (`-debug`, `-env=test`).
 *
 * An empty filter matches every record.
 */
export function compileRecordFilter(text: string): (record: StoredRecord) => boolean {
  const terms = parseTerms(text);
  if (terms.length === 0) return () => true;
  return (record) => terms.every((term) => matchesTerm(record, term) !== term.negated);
}

function parseTerms(text: string): FilterTerm[] {
  const terms: FilterTerm[] = [];
  for (const match of text.matchAll(/(-?)(?:"([^"]*)"?|(\S+))/g)) {
    const negated = match[1] === '-';
    const phrase = match[2];
    const word = match[3] ?? '';
    if (phrase !== undefined) {
      if (phrase !== '') terms.push({ kind: 'word', pattern: wordPattern(phrase), negated });
      continue;
    }
    const equals = word.indexOf('=');
    if (equals > 0) {
      terms.push({
        kind: 'label',
        key: word.slice(0, equals),
        value: unquote(word.slice(equals + 1)),
        negated,
      });
    } else if (word !== '') {
      terms.push({ kind: 'word', pattern: wordPattern(word), negated });
    }
  }
  return terms;
}

function matchesTerm(record: StoredRecord, term: FilterTerm): boolean {
  if (term.kind === 'label') return record.labels[term.key] === term.value;
  if (term.pattern.test(record.content)) return true;
  for (const key in record.labels) {
    if (term.pattern.test(key) || term.pattern.test(record.labels[key]!)) return true;
  }
  return false;
}

function wordPattern(word: string): RegExp {
  return new RegExp(word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'i');
}

/** `app="web"` and `app='web'` mean `app=web`. */
function unquote(value: string): string {
  return /^(["']).*\1$/.test(value) && value.length >= 2 ? value.slice(1, -1) : value;
}
