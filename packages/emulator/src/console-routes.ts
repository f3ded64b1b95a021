import type { IncomingMessage, ServerResponse } from 'node:http';
import { answerConsoleAsset, isConsoleAsset } from './console-assets.ts';
import { ConsoleFeed, type ConsoleFeedSources } from './console-feed.ts';
import { consoleEventsPath } from './console-protocol.ts';
import { LabelSetCounter } from './label-sets.ts';

/** The console of a running emulator: its page, its files and its event stream. */
export interface EmulatorConsole {
  /** The live feed (told about requests, control changes and `stop()`). */
  readonly feed: ConsoleFeed;
  /** Whether a path is the console's (the page, its files, the event stream). */
  handles(path: string): boolean;
  /** Answers a console request; returns the status sent (the event stream stays open). */
  answer(request: IncomingMessage, response: ServerResponse, path: string): number;
}

/**
 * Sets up the console over the emulator's store: `GET /` serves the page,
 * `GET /_emulator/console/*` its script and style, `GET /_emulator/events`
 * the live feed.
 */
export function createEmulatorConsole(
  sources: Omit<ConsoleFeedSources, 'labelSets'>,
): EmulatorConsole {
  const labelSets = new LabelSetCounter();
  sources.store.observe(labelSets);
  const feed = new ConsoleFeed({ ...sources, labelSets });
  sources.store.observe(feed);
  return {
    feed,
    handles: (path) => path === consoleEventsPath || isConsoleAsset(path),
    answer: (request, response, path) => {
      const method = request.method ?? 'GET';
      request.resume();
      if (path === consoleEventsPath && method === 'GET') {
        const query = new URL(request.url ?? '/', 'http://emulator').searchParams;
        feed.subscribe(response, query);
        return 200;
      }
      const answer =
        path === consoleEventsPath
          ? {
              status: 405,
              headers: { allow: 'GET', 'content-type': 'text/plain; charset=utf-8' },
              body: 'Use GET.',
            }
          : answerConsoleAsset(method, path);
      response.writeHead(answer.status, answer.headers);
      response.end(answer.body);
      return answer.status;
    },
  };
}
