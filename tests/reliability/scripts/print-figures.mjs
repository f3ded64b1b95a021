// Prints the figures a `pnpm run report` run wrote (one JSON file per test
// file) as Markdown tables, one per area, for RELIABILITY.md.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const directory = process.argv[2] ?? 'figures';
const figures = readdirSync(directory)
  .filter((name) => name.endsWith('.json'))
  .flatMap((name) => JSON.parse(readFileSync(join(directory, name), 'utf8')));
const areas = [...new Set(figures.map((figure) => figure.area))];
const cell = (text) => String(text).replaceAll('|', '\\|').replaceAll('\n', ' ');
for (const area of areas) {
  console.log(`\n### ${area}\n`);
  console.log('| scenario | how much | what happened |');
  console.log('|---|---|---|');
  for (const figure of figures.filter((entry) => entry.area === area)) {
    console.log(`| ${cell(figure.scenario)} | ${cell(figure.amount)} | ${cell(figure.outcome)} |`);
  }
}
