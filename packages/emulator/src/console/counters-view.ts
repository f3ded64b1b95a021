import type { ConsoleCounters } from '../console-protocol.ts';
import { element, replaceChildren } from './dom.ts';
import { formatBytes, formatCount, formatRate, statusClass } from './format.ts';

/**
 * The counters bar: records (accepted, stored, evicted), records per second,
 * requests by status, label sets and bytes.
 */
export function showCounters(list: HTMLElement, counters: ConsoleCounters): void {
  const statuses = Object.entries(counters.byStatus)
    .sort(([a], [b]) => Number(a) - Number(b))
    .map(([status, count]) =>
      element(
        'li',
        { class: `status ${statusClass(Number(status))}` },
        `${status === '0' ? 'no answer' : status}: ${formatCount(count)}`,
      ),
    );
  replaceChildren(
    list,
    counter(
      'Records',
      formatCount(counters.records),
      counters.evicted > 0
        ? `${formatCount(counters.stored)} stored, ${formatCount(counters.evicted)} evicted`
        : undefined,
    ),
    counter('Records/s', formatRate(counters.recordsPerSecond)),
    counter(
      'Requests',
      formatCount(counters.requests),
      statuses.length === 0
        ? undefined
        : element('ul', { class: 'statuses', 'aria-label': 'By status' }, ...statuses),
    ),
    counter('Label sets', formatCount(counters.labelSets)),
    counter('Bytes', formatBytes(counters.bytes)),
  );
}

function counter(name: string, value: string, detail?: Node | string): HTMLElement {
  return element(
    'div',
    { class: 'counter' },
    element('dt', {}, name),
    element(
      'dd',
      {},
      element('span', { class: 'value' }, value),
      detail === undefined ? null : element('span', { class: 'detail' }, detail),
    ),
  );
}
