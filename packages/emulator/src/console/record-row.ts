import type { ConsoleRecord } from '../console-protocol.ts';
import { element } from './dom.ts';
import { credentialName, formatCount, formatTimeNs, isoTimeNs } from './format.ts';

/** Plain content up to this many characters, on one line, is shown as is; longer can be expanded. */
const shortContent = 160;
/** The one-line preview of expandable content. */
const previewLength = 240;

/**
 * One table row for a record: time (UTC, to the nanosecond), labels (each a
 * button that filters by it), API, credential kind and content (JSON shown
 * indented when expanded).
 */
export function recordRow(
  record: ConsoleRecord,
  filterByLabel: (label: string) => void,
): HTMLTableRowElement {
  const labels = Object.entries(record.labels).map(([key, value]) => {
    const label = `${key}=${value}`;
    const button = element(
      'button',
      {
        type: 'button',
        class: 'label',
        title: `Filter by ${label}`,
        'aria-label': `Filter by ${label}`,
      },
      label,
    );
    button.addEventListener('click', () => filterByLabel(label));
    return element('li', {}, button);
  });
  return element(
    'tr',
    { 'data-sequence': record.sequence },
    element(
      'td',
      { class: 'time' },
      element('time', { datetime: isoTimeNs(record.timeNs) }, formatTimeNs(record.timeNs)),
    ),
    element(
      'td',
      { class: 'labels' },
      labels.length === 0
        ? element('span', { class: 'muted' }, 'none')
        : element('ul', { class: 'label-list' }, ...labels),
    ),
    element('td', { class: 'api' }, record.api),
    element('td', { class: 'credential' }, credentialName(record.credential)),
    element('td', { class: 'content' }, contentCell(record)),
  );
}

function contentCell(record: ConsoleRecord): Node {
  const { content } = record;
  const json = parseJson(content);
  const cut =
    record.contentLength === undefined
      ? null
      : element(
          'p',
          { class: 'muted' },
          `Cut at ${formatCount(content.length)} of ${formatCount(record.contentLength)} characters: GET /_emulator/records has all of it.`,
        );
  if (
    json === undefined &&
    content.length <= shortContent &&
    !content.includes('\n') &&
    cut === null
  ) {
    return element('span', { class: 'plain' }, content);
  }
  const preview = json === undefined ? content : JSON.stringify(json);
  const full = json === undefined ? content : JSON.stringify(json, null, 2);
  return element(
    'details',
    {},
    element(
      'summary',
      { class: json === undefined ? 'preview' : 'preview json' },
      preview.length > previewLength ? `${preview.slice(0, previewLength)}…` : preview,
    ),
    element('pre', { class: json === undefined ? 'full' : 'full json' }, full),
    cut,
  );
}

/** The parsed content when it is a JSON object or array, else undefined. */
function parseJson(content: string): unknown {
  const start = content.trimStart()[0];
  if (start !== '{' && start !== '[') return undefined;
  try {
    return JSON.parse(content) as unknown;
  } catch {
    return undefined;
  }
}
