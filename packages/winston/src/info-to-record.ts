import { type LogRecord, safeJsonStringify, toLabelValue } from '@logtank/core';

const messageSymbol = Symbol.for('message');
const levelSymbol = Symbol.for('level');

/** A winston info object: what a logger hands its transports. */
export interface WinstonInfo {
  level: string;
  message?: unknown;
  timestamp?: unknown;
  [key: string | symbol]: unknown;
}

/**
 * Turns winston info objects into core records: the line the formats produced
 * (or a safe JSON of the info when no finalizing format ran), its time, and
 * the labels `labelKeys` asks for.
 */
export class InfoToRecord {
  /** One frozen label object per level: the client groups them by identity, without hashing. */
  private readonly levelLabels = new Map<string, Readonly<Record<string, string>>>();
  private readonly onlyLevel: boolean;

  constructor(private readonly labelKeys: readonly string[]) {
    this.onlyLevel = labelKeys.length === 1 && labelKeys[0] === 'level';
  }

  toRecord(info: WinstonInfo): LogRecord {
    const formatted = info[messageSymbol];
    const content =
      typeof formatted === 'string' && formatted.length > 0 ? formatted : safeJsonStringify(info);
    const record: LogRecord = { content };
    const timeMs = timeOf(info.timestamp);
    if (timeMs !== undefined) record.timeMs = timeMs;
    if (this.labelKeys.length > 0) record.labels = this.labelsOf(info);
    return record;
  }

  private labelsOf(info: WinstonInfo): Readonly<Record<string, string>> {
    // The true level: `info.level` may carry colour codes after colorize().
    const level = String(info[levelSymbol] ?? info.level);
    if (this.onlyLevel) {
      let labels = this.levelLabels.get(level);
      if (labels === undefined) {
        labels = Object.freeze({ level });
        this.levelLabels.set(level, labels);
      }
      return labels;
    }
    const labels: Record<string, string> = {};
    for (const key of this.labelKeys) {
      if (key === 'level') {
        labels.level = level;
        continue;
      }
      const value = toLabelValue(readField(info, key));
      if (value !== undefined) labels[key] = value;
    }
    return labels;
  }
}

/** A field of the info, never throwing (a getter may). */
function readField(info: WinstonInfo, key: string): unknown {
  try {
    return info[key];
  } catch {
    return undefined;
  }
}

/** Epoch ms from what winston's `timestamp()` format (or the app) put in `timestamp`; undefined means now. */
export function timeOf(timestamp: unknown): number | undefined {
  let time: number;
  if (timestamp instanceof Date) time = timestamp.getTime();
  else if (typeof timestamp === 'number') time = timestamp;
  else if (typeof timestamp === 'string') time = Date.parse(timestamp);
  else return undefined;
  return Number.isFinite(time) && time > 0 ? time : undefined;
}
