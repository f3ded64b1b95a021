import { type LogRecord, toLabelValue } from '@logtank/core';
import { isDigit, keyPrefix, readNumber, readString, topLevelValueIndex } from './json-fields.ts';
import type { LevelNames } from './level-names.ts';
import { TimeReader } from './record-time.ts';

const levelPrefix = keyPrefix('level');
const levelKey = 'level';

/** A label taken from a field of the record. */
interface LabelField {
  /** The label name: the `labelKeys` entry as written. */
  name: string;
  /** The path into the record when the entry is dotted (`req.method`); tried after the exact key. */
  path: readonly string[] | undefined;
}

/**
 * Turns one line that pino (or any program, for the CLI) wrote into a core
 * record: the line itself as content, the time from its `time` field, and the
 * labels that `labelKeys` asks for.
 *
 * The content is always the line exactly as written. JSON lines are not parsed
 * unless `labelKeys` names fields other than `level`; lines that are not JSON
 * objects are shipped as they are, with the time of arrival.
 */
export class LineToRecord {
  private readonly labelLevel: boolean;
  private readonly fields: readonly LabelField[];
  private readonly times = new TimeReader();

  constructor(
    labelKeys: readonly string[],
    private readonly levels: LevelNames,
  ) {
    this.labelLevel = labelKeys.includes(levelKey);
    this.fields = labelKeys.map((name) => ({
      name,
      path: name.includes('.') ? name.split('.') : undefined,
    }));
  }

  /** The record for one line, or undefined for a blank line (LTS refuses empty contents). Never throws. */
  toRecord(line: string): LogRecord | undefined {
    if (line.length === 0) return undefined;
    const first = line.charCodeAt(0);
    if (first !== 123 /* { */) {
      if (first <= 32 && line.trim().length === 0) return undefined;
      return { content: line, timeNs: undefined, timeMs: undefined, labels: undefined };
    }
    const time = this.times.read(line);
    let labels: Readonly<Record<string, string>> | undefined;
    if (this.fields.length > (this.labelLevel ? 1 : 0)) labels = this.parsedLabels(line);
    else if (this.labelLevel) labels = this.levelLabels(line);
    return {
      content: line,
      timeNs: typeof time === 'bigint' ? time : undefined,
      timeMs: typeof time === 'number' ? time : undefined,
      labels,
    };
  }

  /** `{ level: name }` read straight from the line: pino writes `"level":30` (or a label with a level formatter). */
  private levelLabels(line: string): Readonly<Record<string, string>> | undefined {
    const index = topLevelValueIndex(line, levelPrefix);
    if (index === -1) return undefined;
    const code = line.charCodeAt(index);
    if (isDigit(code) || code === 45 /* - */) {
      const value = readNumber(line, index);
      return Number.isNaN(value) ? undefined : this.levels.labelsFor(this.levels.nameOf(value));
    }
    const name = readString(line, index);
    return name === undefined || name.length === 0 ? undefined : this.levels.labelsFor(name);
  }

  /** Labels from any top-level or dotted field: the one case that parses the line. */
  private parsedLabels(line: string): Record<string, string> | undefined {
    let record: unknown;
    try {
      record = JSON.parse(line);
    } catch {
      return undefined;
    }
    if (typeof record !== 'object' || record === null || Array.isArray(record)) return undefined;
    let labels: Record<string, string> | undefined;
    for (const field of this.fields) {
      const value = fieldValue(record as Record<string, unknown>, field);
      const text =
        field.name === levelKey && typeof value === 'number'
          ? this.levels.nameOf(value)
          : toLabelValue(value);
      if (text === undefined || text.length === 0) continue;
      labels ??= {};
      labels[field.name] = text;
    }
    return labels;
  }
}

function fieldValue(record: Record<string, unknown>, field: LabelField): unknown {
  if (Object.hasOwn(record, field.name)) return record[field.name];
  if (field.path === undefined) return undefined;
  let value: unknown = record;
  for (const segment of field.path) {
    if (typeof value !== 'object' || value === null || !Object.hasOwn(value, segment)) {
      return undefined;
    }
    value = (value as Record<string, unknown>)[segment];
  }
  return value;
}
