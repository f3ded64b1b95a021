import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { closestName } from '@logtank/core';
import type { LtsTransportOptions } from './transport-options.ts';

/** A command line that cannot run; the message names the flag and never a secret value. */
export class UsageError extends Error {
  override name = 'UsageError';
  readonly code = 'LTS_USAGE';
}

/** What the command line asks for. */
export type Command =
  | { kind: 'help' }
  | { kind: 'version' }
  | { kind: 'ship'; options: LtsTransportOptions; tee: boolean };

const flags = {
  endpoint: { type: 'string' },
  'project-id': { type: 'string' },
  'log-group-id': { type: 'string' },
  'log-stream-id': { type: 'string' },
  token: { type: 'string' },
  'ecs-metadata': { type: 'boolean' },
  'metadata-endpoint': { type: 'string' },
  region: { type: 'string' },
  label: { type: 'string', multiple: true },
  'label-key': { type: 'string', multiple: true },
  api: { type: 'string' },
  compression: { type: 'string' },
  'linger-ms': { type: 'string' },
  'close-timeout-ms': { type: 'string' },
  'max-line-bytes': { type: 'string' },
  ca: { type: 'string' },
  servername: { type: 'string' },
  tee: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean', short: 'v' },
} as const;

/** The flag for each client option, so option errors from core can name what the user typed. */
export const flagOfOption: Readonly<Record<string, string>> = {
  endpoint: '--endpoint',
  projectId: '--project-id',
  logGroupId: '--log-group-id',
  logStreamId: '--log-stream-id',
  token: '--token',
  ecsMetadata: '--ecs-metadata',
  'ecsMetadata.endpoint': '--metadata-endpoint',
  region: '--region',
  labels: '--label',
  labelKeys: '--label-key',
  api: '--api',
  compression: '--compression',
  lingerMs: '--linger-ms',
  closeTimeoutMs: '--close-timeout-ms',
  maxLineBytes: '--max-line-bytes',
  'tls.ca': '--ca',
  'tls.servername': '--servername',
};

/**
 * Reads the command line. Options left out stay undefined so the client fills
 * them in from the `LTS_*` environment. Throws {@link UsageError}.
 */
export function parseCommand(argv: readonly string[]): Command {
  let values: ReturnType<typeof parseFlags>;
  try {
    values = parseFlags(argv);
  } catch (error) {
    throw new UsageError(describeParseError(error));
  }
  if (values.help) return { kind: 'help' };
  if (values.version) return { kind: 'version' };

  const options: LtsTransportOptions = {};
  if (values.endpoint !== undefined) options.endpoint = values.endpoint;
  if (values['project-id'] !== undefined) options.projectId = values['project-id'];
  if (values['log-group-id'] !== undefined) options.logGroupId = values['log-group-id'];
  if (values['log-stream-id'] !== undefined) options.logStreamId = values['log-stream-id'];
  const metadataEndpoint = values['metadata-endpoint'];
  const ecsMetadata = values['ecs-metadata'] === true || metadataEndpoint !== undefined;
  if (values.token !== undefined && ecsMetadata) {
    throw new UsageError('--token and --ecs-metadata are exclusive: give one credential');
  }
  if (values.token !== undefined) options.token = values.token;
  if (ecsMetadata) {
    options.ecsMetadata = metadataEndpoint === undefined ? true : { endpoint: metadataEndpoint };
  }
  if (values.region !== undefined) options.region = values.region;
  if (values.label !== undefined) options.labels = parseLabels(values.label);
  if (values['label-key'] !== undefined) options.labelKeys = values['label-key'];
  if (values.api !== undefined) options.api = values.api as LtsTransportOptions['api'];
  if (values.compression !== undefined) {
    options.compression = values.compression as LtsTransportOptions['compression'];
  }
  if (values['linger-ms'] !== undefined) {
    options.lingerMs = parseNumber('--linger-ms', values['linger-ms']);
  }
  if (values['close-timeout-ms'] !== undefined) {
    options.closeTimeoutMs = parseNumber('--close-timeout-ms', values['close-timeout-ms']);
  }
  if (values['max-line-bytes'] !== undefined) {
    options.maxLineBytes = parseNumber('--max-line-bytes', values['max-line-bytes']);
  }
  if (values.ca !== undefined || values.servername !== undefined) {
    options.tls = {};
    if (values.ca !== undefined) options.tls.ca = readCa(values.ca);
    if (values.servername !== undefined) options.tls.servername = values.servername;
  }
  return { kind: 'ship', options, tee: values.tee === true };
}

function parseFlags(argv: readonly string[]) {
  return parseArgs({ args: [...argv], options: flags, strict: true, allowPositionals: false })
    .values;
}

/** parseArgs messages, without ever repeating a value from the command line. */
function describeParseError(error: unknown): string {
  const code = (error as { code?: unknown }).code;
  const message = error instanceof Error ? error.message : String(error);
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
    const flag = /'(-[^'=\s]*)/.exec(message)?.[1] ?? 'given';
    const known = Object.keys(flags).map((name) => `--${name}`);
    const suggestion = flag.startsWith('--') ? closestName(flag, known) : undefined;
    return `unknown flag ${flag}${suggestion === undefined ? '' : ` (did you mean ${suggestion}?)`}`;
  }
  if (code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL') {
    return 'unexpected argument: logtank takes only flags (--name value) and reads the logs from stdin';
  }
  if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
    const flag = /'(--?[a-z-]+)/.exec(message)?.[1];
    if (flag !== undefined) {
      return message.includes('does not take an argument')
        ? `${flag} does not take a value`
        : `${flag} needs a value`;
    }
  }
  return 'the command line could not be read';
}

function parseLabels(entries: readonly string[]): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const entry of entries) {
    const equals = entry.indexOf('=');
    if (equals <= 0) {
      throw new UsageError(`--label must be key=value (e.g. --label env=prod); got "${entry}"`);
    }
    labels[entry.slice(0, equals)] = entry.slice(equals + 1);
  }
  return labels;
}

function parseNumber(flag: string, text: string): number {
  const value = Number(text);
  if (text.trim() === '' || Number.isNaN(value)) {
    throw new UsageError(`${flag} must be a number; got "${text}"`);
  }
  return value;
}

/** The CA file's text; checked here so that the message speaks of the file, not of the text. */
function readCa(path: string): string {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const reason = (error as { code?: string }).code ?? 'unreadable';
    throw new UsageError(`--ca must be a readable PEM file; ${path}: ${reason}`);
  }
  if (!text.includes('-----BEGIN CERTIFICATE-----')) {
    throw new UsageError(
      `--ca must be a PEM certificate file (with a -----BEGIN CERTIFICATE----- line); ${path} has none`,
    );
  }
  return text;
}
