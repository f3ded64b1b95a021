import type { ConsoleRecord, ConsoleRecordsEvent, ConsoleSnapshot } from '../console-protocol.ts';
import { element, replaceChildren } from './dom.ts';
import { formatCount } from './format.ts';
import { recordRow } from './record-row.ts';

/** The elements the records view fills. */
export interface RecordsViewElements {
  body: HTMLTableSectionElement;
  summary: HTMLElement;
  pauseButton: HTMLButtonElement;
}

/**
 * The records table: the newest records first, at most `limit` rows (the
 * emulator sends no more), new ones inserted at the top as they arrive, with
 * "showing N of M" counts. Paused, it keeps the rows still and counts what
 * arrives; resumed, it shows the newest again.
 */
export class RecordsView {
  private matched = 0;
  private limit = 0;
  private filter = '';
  private paused = false;
  /** Records received while paused, newest first (at most `limit`). */
  private held: ConsoleRecord[] = [];
  private heldCount = 0;

  constructor(
    private readonly elements: RecordsViewElements,
    private readonly filterByLabel: (label: string) => void,
  ) {}

  /** Replaces every row with a snapshot's records. */
  showSnapshot(snapshot: ConsoleSnapshot): void {
    this.matched = snapshot.matched;
    this.limit = snapshot.limit;
    this.filter = snapshot.filter;
    this.held = [];
    this.heldCount = 0;
    replaceChildren(
      this.elements.body,
      ...snapshot.records.map((record) => recordRow(record, this.filterByLabel)),
    );
    this.update();
  }

  /** Adds newly arrived records at the top (or holds them while paused). */
  addRecords(event: ConsoleRecordsEvent): void {
    this.matched = event.matched;
    if (this.paused) {
      this.held = [...event.records, ...this.held].slice(0, this.limit);
      this.heldCount += event.records.length;
    } else {
      this.prepend(event.records);
    }
    this.update();
  }

  /** Pauses or resumes the live tail. */
  setPaused(paused: boolean): void {
    this.paused = paused;
    if (!paused && this.held.length > 0) {
      this.prepend(this.held);
      this.held = [];
    }
    this.heldCount = 0;
    this.update();
  }

  get isPaused(): boolean {
    return this.paused;
  }

  private prepend(records: readonly ConsoleRecord[]): void {
    const body = this.elements.body;
    const rows = document.createDocumentFragment();
    for (const record of records.slice(0, this.limit)) {
      rows.append(recordRow(record, this.filterByLabel));
    }
    body.prepend(rows);
    while (body.rows.length > this.limit) body.lastElementChild!.remove();
  }

  private update(): void {
    const shown = this.elements.body.rows.length;
    const what = this.filter.trim() === '' ? 'records' : 'matching records';
    let text: string;
    if (this.matched === 0) {
      text = this.filter.trim() === '' ? 'No records yet.' : 'No record matches the filter.';
    } else if (this.matched === 1 && shown === 1) {
      text = `Showing 1 ${what.replace('records', 'record')}.`;
    } else if (shown >= this.matched) {
      text = `Showing all ${formatCount(this.matched)} ${what}, newest first.`;
    } else {
      text = `Showing the newest ${formatCount(shown)} of ${formatCount(this.matched)} ${what} (${formatCount(this.matched - shown)} more not shown).`;
    }
    const pauseNote = this.paused
      ? element(
          'strong',
          { class: 'paused-note' },
          ` Paused: ${formatCount(this.heldCount)} new since.`,
        )
      : null;
    replaceChildren(this.elements.summary, text, pauseNote);
    this.elements.pauseButton.textContent = this.paused
      ? `Resume${this.heldCount > 0 ? ` (${formatCount(this.heldCount)} new)` : ''}`
      : 'Pause';
  }
}
