/** pino's built-in levels. */
const pinoLevels: Readonly<Record<string, number>> = {
  trace: 10,
  debug: 20,
  info: 30,
  warn: 40,
  error: 50,
  fatal: 60,
};

/** Cached label objects at most; past this (a stream of random level values) they are made per line. */
const maxCachedLabelSets = 1024;

/**
 * Level numbers to names, and one shared `{ level: name }` label object per
 * name so the hot path allocates nothing for the level label.
 */
export class LevelNames {
  private readonly names = new Map<number, string>();
  private readonly labelSets = new Map<string, Readonly<Record<string, string>>>();

  /**
   * @param sources name → number maps, later ones winning: pino's own levels
   *   are always first, then these (`customLevels`); the levels pino sends a
   *   worker come later, through {@link LevelNames.addPinoLevels}.
   */
  constructor(...sources: Array<Readonly<Record<string, number>> | undefined>) {
    for (const source of [pinoLevels, ...sources]) {
      if (source === undefined) continue;
      for (const [name, value] of Object.entries(source)) this.names.set(value, name);
    }
  }

  /**
   * Adds the `levels` that pino sends to a worker transport
   * (`{ labels: { 30: 'info' }, values: { info: 30 } }`, custom levels
   * included, as `logger.levels` in pino's API docs); they win over the
   * names known so far. Anything else is ignored.
   */
  addPinoLevels(levels: unknown): void {
    const values = (levels as { values?: unknown } | null | undefined)?.values;
    if (typeof values !== 'object' || values === null) return;
    for (const [name, value] of Object.entries(values)) {
      if (typeof value === 'number') this.names.set(value, name);
    }
  }

  /** The name of a level number; the number itself when no level has it. */
  nameOf(value: number): string {
    return this.names.get(value) ?? String(value);
  }

  /** A shared, frozen `{ level: name }`. */
  labelsFor(name: string): Readonly<Record<string, string>> {
    let labels = this.labelSets.get(name);
    if (labels === undefined) {
      labels = Object.freeze({ level: name });
      if (this.labelSets.size < maxCachedLabelSets) this.labelSets.set(name, labels);
    }
    return labels;
  }
}
