#!/usr/bin/env node
import { once } from 'node:events';
import type { ClientStats } from '@logtank/core';
import { parseCommand } from './cli-arguments.ts';
import { describeStartError } from './cli-errors.ts';
import { helpText } from './cli-help.ts';
import { defaultMaxLineBytes } from './line-splitter.ts';
import { openTransport } from './transport.ts';
import { version } from './version.ts';

/** Exit codes: documented in the help text. */
const exitCodes = { delivered: 0, dropped: 1, usage: 2 } as const;
/** 128 + the signal number, as shells report a process ended by a signal. */
const signalExitCodes = { SIGINT: 130, SIGTERM: 143 } as const;

/** Runs `logtank`: reads stdin until it ends, ships every line, resolves with the exit code. */
async function main(argv: readonly string[]): Promise<number> {
  let command: ReturnType<typeof parseCommand> | undefined;
  let opened: ReturnType<typeof openTransport>;
  try {
    command = parseCommand(argv);
    if (command.kind === 'help') {
      process.stdout.write(helpText);
      return exitCodes.delivered;
    }
    if (command.kind === 'version') {
      process.stdout.write(`${version}\n`);
      return exitCodes.delivered;
    }
    opened = openTransport(command.options);
  } catch (error) {
    const given = command?.kind === 'ship' ? command.options : undefined;
    process.stderr.write(`logtank: ${describeStartError(error, given)} (see logtank --help)\n`);
    return exitCodes.usage;
  }

  const { stream, client } = opened;
  const input = process.stdin;
  if (input.isTTY) {
    process.stderr.write(
      'logtank: reading log lines from the terminal; pipe a program into it: node app.js | logtank\n',
    );
  }
  if (command.tee) teeTo(input, process.stdout);

  let interrupted: keyof typeof signalExitCodes | undefined;
  const stop = (signal: keyof typeof signalExitCodes) => {
    if (interrupted !== undefined) process.exit(signalExitCodes[signal]);
    // First signal: stop reading and deliver what was read, within the close timeout.
    interrupted = signal;
    input.unpipe(stream);
    input.pause();
    input.destroy();
    if (!stream.writableEnded) stream.end();
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);

  input.pipe(stream);
  await once(stream, 'close');
  process.off('SIGINT', stop);
  process.off('SIGTERM', stop);

  const stats = client.stats();
  const cut = describeCutLines(stream.truncatedLines, command.options.maxLineBytes, stats);
  if (cut !== undefined) process.stderr.write(`logtank: ${cut}\n`);
  if (stats.dropped > 0) {
    process.stderr.write(`logtank: ${describeDrops(stats)}\n`);
    return exitCodes.dropped;
  }
  return interrupted === undefined ? exitCodes.delivered : signalExitCodes[interrupted];
}

function describeDrops(stats: ClientStats): string {
  const reasons = Object.entries(stats.droppedByReason)
    .filter(([, count]) => count > 0)
    .map(([reason, count]) => `${reason}: ${count}`)
    .join(', ');
  return `${stats.dropped} of ${stats.sent} log entries were not delivered (${reasons})`;
}

/** Lines cut (delivered, with the marker), by --max-line-bytes here and by the client to fit a request. */
function describeCutLines(
  cutHere: number,
  maxLineBytes: number | undefined,
  stats: ClientStats,
): string | undefined {
  const parts: string[] = [];
  if (cutHere > 0) {
    parts.push(
      `${cutHere} line(s) longer than ${maxLineBytes ?? defaultMaxLineBytes} bytes (--max-line-bytes)`,
    );
  }
  // The client counts every record it ends with the marker, those cut here included.
  const cutByClient = stats.truncated - cutHere;
  if (cutByClient > 0) parts.push(`${cutByClient} log entries too large for one request`);
  if (parts.length === 0) return undefined;
  return `cut ${parts.join(' and ')}; each ends with "…[truncated by logtank: <its size> bytes]"`;
}

function teeTo(input: NodeJS.ReadableStream, output: NodeJS.WritableStream): void {
  let open = true;
  output.on('error', () => {
    // The reader went away (EPIPE): keep shipping, stop copying.
    open = false;
  });
  input.on('data', (chunk: Buffer) => {
    if (open) output.write(chunk);
  });
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`logtank: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = exitCodes.dropped;
  },
);
