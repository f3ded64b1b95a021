import type { ConsoleRequest } from '../console-protocol.ts';
import { element, replaceChildren } from './dom.ts';
import {
  credentialName,
  formatBytes,
  formatClock,
  formatCount,
  statusClass,
  statusText,
} from './format.ts';

/** Rows kept in the request log table. */
const requestRows = 200;

/**
 * The request log table, newest first: time, request, API, status, records,
 * bytes, latency, credential (a token's fingerprint or an AK, never a
 * secret), the fault injected and the error sent.
 */
export class RequestsView {
  constructor(
    private readonly body: HTMLTableSectionElement,
    private readonly summary: HTMLElement,
  ) {}

  /** Replaces the rows (a snapshot's requests, newest first). */
  showRequests(requests: readonly ConsoleRequest[], total: number): void {
    replaceChildren(this.body, ...requests.map(requestRow));
    this.update(total);
  }

  /** Adds new requests (newest first) at the top. */
  addRequests(requests: readonly ConsoleRequest[], total: number): void {
    const rows = document.createDocumentFragment();
    for (const request of requests) rows.append(requestRow(request));
    this.body.prepend(rows);
    while (this.body.rows.length > requestRows) this.body.lastElementChild!.remove();
    this.update(total);
  }

  /** Updates the count of requests (from the counters). */
  update(total: number): void {
    const shown = this.body.rows.length;
    this.summary.textContent =
      total === 0
        ? 'No requests yet.'
        : shown >= total
          ? `${formatCount(total)} requests, newest first.`
          : `The newest ${formatCount(shown)} of ${formatCount(total)} requests.`;
  }
}

function requestRow(request: ConsoleRequest): HTMLTableRowElement {
  const size =
    request.bytes === 0 && request.route !== 'report'
      ? ''
      : `${formatBytes(request.bytes)}${request.compressed ? ' gzip' : ''}`;
  return element(
    'tr',
    { 'data-request': request.id },
    element(
      'td',
      { class: 'time' },
      element('time', { datetime: request.time }, formatClock(request.time)),
    ),
    element(
      'td',
      { class: 'path', title: request.path },
      `${request.method} ${shortPath(request.path)}`,
    ),
    element(
      'td',
      {},
      element(
        'span',
        { class: `status ${statusClass(request.status)}` },
        statusText(request.status, request.fault),
      ),
    ),
    element(
      'td',
      { class: 'number' },
      request.route === 'report' ? formatCount(request.records) : '',
    ),
    element('td', { class: 'number' }, size),
    element('td', { class: 'number' }, `${request.durationMs.toFixed(1)} ms`),
    element(
      'td',
      { class: 'credential', title: request.credential?.algorithm },
      credentialText(request),
    ),
    element('td', { class: 'fault' }, request.fault ?? ''),
    element('td', { class: 'error' }, request.error ?? ''),
  );
}

/** A report path's route (`…/contents`, `…/batch-contents`): the full path is the cell's title. */
function shortPath(path: string): string {
  const route = /\/streams\/[^/]+(\/.*)$/.exec(path);
  return route === null ? path : `…${route[1]}`;
}

/** `token 3f2a9c8d7e6f` (its fingerprint), `access key KEMN****` (the algorithm in the title): never a secret. */
function credentialText(request: ConsoleRequest): string {
  const credential = request.credential;
  if (credential === undefined) {
    return request.tokenId === undefined ? '' : `token ${request.tokenId}`;
  }
  if (credential.algorithm === undefined)
    return `${credentialName(credential.kind)} ${credential.id}`;
  return `${credentialName(credential.kind)} ${credential.id.slice(0, 4)}****`;
}
