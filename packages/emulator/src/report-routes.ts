import { errorCodes, Refusal } from './responses.ts';
import type { ReportApi } from './types.ts';

/** The exact Content-Type of the contents routes (spec/API-NOTES.md §1). */
export const jsonContentType = 'application/json;charset=UTF-8';

const contentsPath =
  /^\/v2\/([^/]+)\/lts\/groups\/([^/]+)\/streams\/([^/]+)\/tenant\/contents(\/high-accuracy)?\/?$/;
const producerPath =
  /^\/v2\/internal\/([^/]+)\/lts\/groups\/([^/]+)\/streams\/([^/]+)\/tenant\/batch-contents\/?$/;

/** A report route with the ids from its path. */
export interface ReportRoute {
  api: ReportApi;
  projectId: string;
  logGroupId: string;
  logStreamId: string;
}

/** Which report route a path is, if any. */
export function matchReportRoute(path: string): ReportRoute | undefined {
  const producer = producerPath.exec(path);
  if (producer !== null) return route('batch', producer);
  const contents = contentsPath.exec(path);
  if (contents === null) return undefined;
  return route(contents[4] === undefined ? 'standard' : 'high-accuracy', contents);
}

function route(api: ReportApi, match: RegExpExecArray): ReportRoute {
  return { api, projectId: match[1]!, logGroupId: match[2]!, logStreamId: match[3]! };
}

/**
 * The contents routes require the documented Content-Type to the letter; the
 * producer route takes what Huawei's Go producer sends (`application/json`),
 * optionally with `;charset=UTF-8`.
 */
export function checkContentType(api: ReportApi, contentType: string | undefined): void {
  const accepted =
    api === 'batch'
      ? contentType !== undefined && /^application\/json(;charset=utf-8)?$/i.test(contentType)
      : contentType?.toLowerCase() === jsonContentType.toLowerCase();
  if (accepted) return;
  const expected =
    api === 'batch' ? 'application/json (optionally ;charset=UTF-8)' : jsonContentType;
  throw new Refusal(
    400,
    errorCodes.contentType,
    `Content-Type must be ${expected}; got ${contentType === undefined ? 'none' : JSON.stringify(contentType)}.`,
  );
}

/** Checks a path id's length and characters. */
export function checkId(name: string, value: string, length: number): void {
  if (value.length !== length || !/^[A-Za-z0-9-]+$/.test(value)) {
    throw new Refusal(
      400,
      errorCodes.pathParameter,
      `The path parameter ${name} must be ${length} characters of [A-Za-z0-9-]; got ${value.length}.`,
    );
  }
}

/** Report paths are long; logs show the ids' first characters. */
export function shortenPath(path: string): string {
  const route = matchReportRoute(path);
  if (route === undefined) return path;
  const ids = `${route.projectId.slice(0, 6)}…/groups/${route.logGroupId.slice(0, 6)}…/streams/${route.logStreamId.slice(0, 6)}…`;
  if (route.api === 'batch') return `/v2/internal/${ids}/batch-contents`;
  return `/v2/${ids}/contents${route.api === 'high-accuracy' ? '/high-accuracy' : ''}`;
}
