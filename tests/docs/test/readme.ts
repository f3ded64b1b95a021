import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The root README, read once. */
export const readme = readFileSync(
  fileURLToPath(new URL('../../../README.md', import.meta.url)),
  'utf8',
);

/** The code blocks marked `<!-- readme-test: name -->`, by name. */
export function markedSnippets(text: string): Map<string, string> {
  const snippets = new Map<string, string>();
  const pattern = /<!-- readme-test: ([\w-]+) -->\s*```js\n([\s\S]*?)```/g;
  for (const match of text.matchAll(pattern)) {
    snippets.set(match[1] as string, match[2] as string);
  }
  return snippets;
}

/** The configuration table between its markers: option name → its cells. */
export function configurationRows(text: string): Map<string, string[]> {
  const start = text.indexOf('<!-- configuration-reference:start -->');
  const end = text.indexOf('<!-- configuration-reference:end -->');
  if (start < 0 || end < start) throw new Error('the configuration reference markers are missing');
  const rows = new Map<string, string[]>();
  for (const line of text.slice(start, end).split('\n')) {
    const cells = line
      .split(/(?<!\\)\|/)
      .slice(1, -1)
      .map((cell) => cell.trim());
    const name = /^`([\w.]+)`$/.exec(cells[0] ?? '')?.[1];
    if (name !== undefined) rows.set(name, cells);
  }
  return rows;
}
