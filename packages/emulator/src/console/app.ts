/**
 * The emulator console: the records LTS would have received, live, with a
 * filter; the request log; counters; fault controls. Everything comes from
 * the emulator that serves this page (`GET /_emulator/events`, the control
 * API), nothing from elsewhere.
 */
import { sendControl } from './control-requests.ts';
import { showCounters } from './counters-view.ts';
import { requireElement } from './dom.ts';
import { wireFaultControls } from './fault-controls.ts';
import { formatCount } from './format.ts';
import { type ConnectionState, LiveStream } from './live-stream.ts';
import { RecordsView } from './records-view.ts';
import { RequestsView } from './requests-view.ts';
import { wireTabs } from './tabs.ts';

const connectionTexts: Record<ConnectionState, string> = {
  connecting: 'Connecting…',
  live: 'Live',
  reconnecting: 'Reconnecting…',
  stopped: 'The emulator stopped. Reload the page once it runs again.',
};
/** Wait this long after the last keystroke before asking for the filtered records. */
const filterDelayMs = 200;

function start(): void {
  const filter = requireElement('filter', HTMLInputElement);
  const pause = requireElement('pause', HTMLButtonElement);
  const connection = requireElement('connection', HTMLElement);
  const counters = requireElement('counters', HTMLElement);
  const announcer = requireElement('filter-announcer', HTMLElement);
  const hint = requireElement('records-hint', HTMLElement);
  requireElement('endpoint-hint', HTMLElement).textContent = location.origin;
  wireTabs(requireElement('tab-records', HTMLButtonElement).parentElement!);

  const records = new RecordsView(
    {
      body: requireElement('records-body', HTMLTableSectionElement),
      summary: requireElement('records-summary', HTMLElement),
      pauseButton: pause,
    },
    (label) => {
      const terms = filter.value.trim();
      if (terms.split(/\s+/).includes(label)) return;
      filter.value = terms === '' ? label : `${terms} ${label}`;
      applyFilter();
    },
  );
  const requests = new RequestsView(
    requireElement('requests-body', HTMLTableSectionElement),
    requireElement('requests-summary', HTMLElement),
  );
  const showControls = wireFaultControls();
  let requestTotal = 0;
  let announceNextSnapshot = false;

  const stream = new LiveStream({
    snapshot: (snapshot) => {
      records.showSnapshot(snapshot);
      requestTotal = snapshot.counters.requests;
      requests.showRequests(snapshot.requests, requestTotal);
      showCounters(counters, snapshot.counters);
      showControls(snapshot.controls);
      hint.hidden = snapshot.counters.records > 0;
      if (announceNextSnapshot) {
        announceNextSnapshot = false;
        announcer.textContent =
          snapshot.matched === 1
            ? '1 record matches.'
            : `${formatCount(snapshot.matched)} records match.`;
      }
    },
    records: (event) => {
      records.addRecords(event);
      hint.hidden = true;
    },
    requests: (event) => {
      requestTotal += event.requests.length;
      requests.addRequests(event.requests, requestTotal);
    },
    counters: (values) => {
      showCounters(counters, values);
      requestTotal = values.requests;
      requests.update(requestTotal);
    },
    controls: showControls,
    connection: (state) => {
      connection.dataset.state = records.isPaused && state === 'live' ? 'paused' : state;
      connection.textContent =
        records.isPaused && state === 'live' ? 'Paused' : connectionTexts[state];
    },
  });

  let filterTimer: ReturnType<typeof setTimeout> | undefined;
  let appliedFilter = '';
  function applyFilter(): void {
    clearTimeout(filterTimer);
    const text = filter.value.trim();
    if (text === appliedFilter) return;
    appliedFilter = text;
    announceNextSnapshot = true;
    stream.open(text);
  }
  filter.addEventListener('input', () => {
    clearTimeout(filterTimer);
    filterTimer = setTimeout(applyFilter, filterDelayMs);
  });
  requireElement('filter-form', HTMLFormElement).addEventListener('submit', (event) => {
    event.preventDefault();
    applyFilter();
  });
  pause.addEventListener('click', () => {
    records.setPaused(!records.isPaused);
    const paused = records.isPaused;
    if (connection.dataset.state === 'live' || connection.dataset.state === 'paused') {
      connection.dataset.state = paused ? 'paused' : 'live';
      connection.textContent = paused ? 'Paused' : 'Live';
    }
  });
  requireElement('clear-records', HTMLButtonElement).addEventListener('click', () => {
    void sendControl('DELETE', '/_emulator/records');
  });

  appliedFilter = filter.value.trim();
  stream.open(appliedFilter);
}

start();
