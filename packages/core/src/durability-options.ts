import { defaults } from './defaults.ts';
import { LtsOptionsError } from './errors.ts';
import { type ExitSignal, exitSignals } from './exit-signals.ts';
import {
  describe,
  integer,
  onlyKnownKeys,
  optionalObject,
  requireString,
} from './option-validators.ts';
import type { Fallback, LtsClientOptions, SpoolOptions } from './types.ts';

/** The disk spool, after validation: where, and how much at most. */
export interface ResolvedSpool {
  directory: string;
  maxBytes: number;
}

/** Where dropped records go besides `onDrop`, after validation (`'none'` becomes undefined). */
export type ResolvedFallback = Exclude<Fallback, 'none'> | undefined;

export function resolveSpool(spool: LtsClientOptions['spool']): ResolvedSpool | undefined {
  const value = optionalObject<SpoolOptions>('spool', spool);
  if (value === undefined) return undefined;
  onlyKnownKeys('spool', value, ['dir', 'maxBytes']);

  return {
    directory: requireString('spool.dir', value.dir),
    maxBytes: integer('spool.maxBytes', value.maxBytes, defaults.spoolMaxBytes, {
      min: 1024 * 1024,
      max: Number.MAX_SAFE_INTEGER,
    }),
  };
}

/** `fallback`: its default is `'stderr'`, or none when the app handles drops itself (`onDrop`). */
export function resolveFallback(value: unknown, hasOnDrop: boolean): ResolvedFallback {
  if (value === undefined) return hasOnDrop ? undefined : 'stderr';
  if (value === 'none') return undefined;
  if (value === 'stderr' || typeof value === 'function') return value as ResolvedFallback;
  throw new LtsOptionsError(
    'fallback',
    `must be 'stderr', 'none' or a function (contents, reason) => void; got ${describe(value)}`,
  );
}

/** `signals`: the signals to deliver on before the process ends; `false` for none. */
export function resolveSignals(value: unknown): readonly ExitSignal[] {
  if (value === undefined) return defaults.signals;
  if (value === false) return [];
  const allowed = exitSignals.map((signal) => `'${signal}'`).join(', ');
  if (!Array.isArray(value)) {
    throw new LtsOptionsError(
      'signals',
      `must be false or an array of ${allowed}; got ${describe(value)}`,
    );
  }
  value.forEach((signal, index) => {
    if (!(exitSignals as readonly unknown[]).includes(signal)) {
      throw new LtsOptionsError(
        `signals[${index}]`,
        `must be one of ${allowed}; got ${describe(signal)}`,
      );
    }
  });
  return [...new Set(value as ExitSignal[])];
}
