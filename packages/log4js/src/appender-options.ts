import {
  fieldNamesOption,
  type LtsClientOptions,
  LtsOptionsError,
  splitAdapterOptions,
} from '@logtank/core';
import type { Log4jsLayout, Log4jsLayouts } from './log4js-types.ts';

/** Event fields that `labelKeys` can turn into LTS labels. */
export type LabelKey = 'category' | 'level';

/** A log4js layout configuration, as for any log4js appender: `{ type: 'pattern', pattern: '%d %p %c %m' }`. */
export interface LayoutConfig {
  /** A layout log4js knows: `basic`, `coloured`, `messagePassThrough`, `dummy`, `pattern`, or one added with `log4js.addLayout`. */
  type: string;
  /** The layout's own settings, such as `pattern` and `tokens`. */
  [setting: string]: unknown;
}

/**
 * The appender's entry in log4js's `appenders`: every {@link LtsClientOptions}
 * option, plus the appender's own.
 *
 * @example
 * ```js
 * log4js.configure({
 *   appenders: { lts: { type: '@logtank/log4js', labels: { app: 'api' }, labelKeys: ['level'] } },
 *   categories: { default: { appenders: ['lts'], level: 'info' } },
 * });
 * ```
 */
export interface LtsAppenderConfig extends LtsClientOptions {
  /** `'@logtank/log4js'` (how log4js finds the appender; in code, `type` may also be this module itself). */
  type: string;
  /** A log4js layout for the content of each record. Default: one JSON object per event (see the README). */
  layout?: LayoutConfig | undefined;
  /** Event fields sent as LTS labels, per record: `'category'` and/or `'level'` (the level's name). Default: none. */
  labelKeys?: readonly LabelKey[] | undefined;
}

/** The appender's own options, validated, and the client's, split off. */
export interface ResolvedAppenderConfig {
  client: LtsClientOptions;
  /** The layout the config asked for; `undefined` means the default JSON content. */
  layout: Log4jsLayout | undefined;
  labelKeys: readonly LabelKey[];
}

const labelKeyNames: readonly LabelKey[] = ['category', 'level'];

/**
 * Splits the appender's config into the client's options and its own, and
 * validates its own. Throws {@link LtsOptionsError} naming the field; an
 * unknown key is refused with a suggestion, as by every logtank adapter.
 */
export function resolveAppenderConfig(
  config: unknown,
  layouts: Log4jsLayouts | undefined,
): ResolvedAppenderConfig {
  const { client, own } = splitAdapterOptions(config, {
    adapter: '@logtank/log4js',
    own: ['type', 'layout', 'labelKeys'],
  });
  return {
    client,
    layout: layoutOption(own.layout, layouts),
    labelKeys: fieldNamesOption('labelKeys', own.labelKeys, labelKeyNames) as LabelKey[],
  };
}

function layoutOption(
  value: unknown,
  layouts: Log4jsLayouts | undefined,
): Log4jsLayout | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new LtsOptionsError(
      'layout',
      "must be a log4js layout config such as { type: 'pattern', pattern: '%d %p %c %m' }",
    );
  }
  const { type } = value as { type?: unknown };
  if (typeof type !== 'string' || type.length === 0) {
    throw new LtsOptionsError('layout.type', 'must name a log4js layout, e.g. "pattern"');
  }
  if (layouts === undefined) {
    throw new LtsOptionsError('layout', 'needs the layouts log4js passes to configure()');
  }
  const layout = layouts.layout(type, value);
  if (typeof layout !== 'function') {
    throw new LtsOptionsError(
      'layout.type',
      `is not a log4js layout: ${JSON.stringify(type)} (built in: basic, coloured, messagePassThrough, dummy, pattern; or one added with log4js.addLayout)`,
    );
  }
  return layout;
}
