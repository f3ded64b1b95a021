import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** One measured outcome, for a table in RELIABILITY.md. */
export interface Figure {
  area: string;
  scenario: string;
  /** What was tried and how much. */
  amount: string;
  /** What happened, with numbers. */
  outcome: string;
}

const figures: Figure[] = [];

/** Notes a figure from this run; written out by {@link saveFigures} when RELIABILITY_FIGURES is set. */
export function recordFigure(figure: Figure): void {
  figures.push(figure);
}

/** Writes this file's figures to `$RELIABILITY_FIGURES/<name>.json` (call in afterAll). */
export function saveFigures(name: string): void {
  const directory = process.env.RELIABILITY_FIGURES;
  if (directory === undefined || directory === '' || figures.length === 0) return;
  mkdirSync(directory, { recursive: true });
  writeFileSync(join(directory, `${name}.json`), `${JSON.stringify(figures, null, 2)}\n`);
}

/** True when the long variants run (RELIABILITY_LONG=1). */
export const longRun = process.env.RELIABILITY_LONG === '1';
