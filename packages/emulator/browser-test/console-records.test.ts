import { describe, expect, it } from 'vitest';
import { nowNs, postReport, standardBody } from '../test/report-request.ts';
import { producerBody, signedReport } from '../test/signed-request.ts';
import { browserAvailable, consoleSession, recordRows } from './browser.ts';

const session = consoleSession();

function send(contents: string[], labels: Record<string, string>, timeNs?: bigint) {
  return postReport(session.emulator, {
    body: standardBody(contents, { labels, ...(timeNs === undefined ? {} : { timeNs }) }),
  });
}

describe.skipIf(!browserAvailable)('the console, records (headless Chromium)', () => {
  it('shows records sent after the page loaded, live, one row each with their labels', async () => {
    const emulator = await session.start();
    const opened = await session.open();
    const { page } = opened;
    await expect.poll(() => page.locator('#records-summary').textContent()).toBe('No records yet.');

    const time = nowNs() + 123_456_789n;
    expect((await send(['GET /health 200'], { app: 'web', env: 'dev' }, time)).status).toBe(200);
    const json = JSON.stringify({ level: 'info', msg: 'user signed in', user: { id: 42 } });
    expect((await send([json], { app: 'web', env: 'dev' })).status).toBe(200);
    const signed = await signedReport(emulator, {
      api: 'batch',
      body: producerBody([
        { entries: [{ log: 'job 17 done', timeNs: nowNs() }], labels: { app: 'worker' } },
      ]),
    });
    expect(signed.status).toBe(200);

    const table = page.getByRole('table', { name: 'Records' });
    await expect.poll(() => table.locator('tbody tr').count()).toBe(3);
    const rows = await recordRows(page);
    // Newest first: time, labels, API, credential, content.
    expect(rows[0]!.slice(1)).toEqual(['app=worker', 'batch', 'access key', 'job 17 done']);
    expect(rows[1]!.slice(1, 4)).toEqual(['app=webenv=dev', 'standard', 'token']);
    expect(rows[2]!.slice(1)).toEqual(['app=webenv=dev', 'standard', 'token', 'GET /health 200']);
    // The time as stored, in UTC, to the nanosecond.
    const expected = new Date(Number(time / 1_000_000n)).toISOString();
    expect(rows[2]![0]).toBe(
      `${expected.slice(0, 10)} ${expected.slice(11, 19)}.${(time % 1_000_000_000n).toString().padStart(9, '0')}`,
    );
    // JSON content: one line, expandable to indented JSON.
    const details = table.locator('tbody tr').nth(1).locator('details');
    await details.locator('summary').click();
    await expect
      .poll(() => details.locator('pre').textContent())
      .toBe(JSON.stringify(JSON.parse(json), null, 2));
    await expect
      .poll(() => page.locator('#records-summary').textContent())
      .toBe('Showing all 3 records, newest first.');
    await expect
      .poll(() => page.locator('#counters').textContent())
      .toMatch(/Records3.*Requests3.*200: 3.*Label sets2/);
  });

  it('filters as you type (words, key=value), restores, and filters by a clicked label', async () => {
    const _emulator = await session.start();
    await send(['GET /health 200', 'user signed in'], { app: 'web' });
    await send(['job 17 done', 'job 18 FAILED: timeout'], { app: 'worker' });
    const opened = await session.open();
    const { page } = opened;
    const rows = page.getByRole('table', { name: 'Records' }).locator('tbody tr');
    const filter = page.getByRole('searchbox', { name: 'Filter' });
    await expect.poll(() => rows.count()).toBe(4);

    await filter.pressSequentially('failed');
    await expect.poll(() => rows.count()).toBe(1);
    expect((await recordRows(page))[0]![4]).toBe('job 18 FAILED: timeout');
    await expect
      .poll(() => page.locator('#records-summary').textContent())
      .toBe('Showing 1 matching record.');
    await expect
      .poll(() => page.locator('#filter-announcer').textContent())
      .toBe('1 record matches.');

    await filter.fill('app=web');
    await expect.poll(() => rows.count()).toBe(2);
    // A record arriving now is shown only when it matches.
    await send(['from the worker'], { app: 'worker' });
    await send(['from the web'], { app: 'web' });
    await expect.poll(() => rows.count()).toBe(3);
    expect((await recordRows(page))[0]![4]).toBe('from the web');

    await filter.fill('');
    await expect.poll(() => rows.count()).toBe(6);

    await page.getByRole('button', { name: 'Filter by app=worker' }).first().click();
    await expect.poll(() => filter.inputValue()).toBe('app=worker');
    await expect.poll(() => rows.count()).toBe(3);
  });

  it('pauses the live tail and resumes it', async () => {
    const _emulator = await session.start();
    const opened = await session.open();
    const { page } = opened;
    const rows = page.getByRole('table', { name: 'Records' }).locator('tbody tr');
    await send(['first'], {});
    await expect.poll(() => rows.count()).toBe(1);
    await page.getByRole('button', { name: 'Pause' }).click();
    await send(['second', 'third'], {});
    const resume = page.getByRole('button', { name: 'Resume (2 new)' });
    await resume.waitFor();
    expect(await rows.count()).toBe(1);
    await resume.click();
    await expect.poll(() => rows.count()).toBe(3);
    expect((await recordRows(page)).map((row) => row[4])).toEqual(['third', 'second', 'first']);
    await page.getByRole('button', { name: 'Pause' }).waitFor();
  });

  it('works from the keyboard: tabs with the arrow keys, a visible focus ring', async () => {
    const _emulator = await session.start();
    const opened = await session.open();
    const { page } = opened;
    await page.keyboard.press('Tab'); // the skip link
    await page.keyboard.press('Tab');
    // Expressions, not functions: they run in the page, and this code has no DOM types.
    const focused = () =>
      page.evaluate(
        "({ id: document.activeElement.id, outline: getComputedStyle(document.activeElement).outlineStyle + ' ' + getComputedStyle(document.activeElement).outlineWidth })",
      ) as Promise<{ id: string; outline: string }>;
    expect(await focused()).toEqual({ id: 'tab-records', outline: 'solid 3px' });
    await page.keyboard.press('ArrowRight');
    expect((await focused()).id).toBe('tab-requests');
    expect(await page.locator('#panel-requests').isVisible()).toBe(true);
    expect(await page.locator('#panel-records').isVisible()).toBe(false);
    await page.keyboard.press('Home');
    expect(await page.locator('#panel-records').isVisible()).toBe(true);
    // Every control has an accessible name.
    const unnamed = await page.evaluate(
      "[...document.querySelectorAll('input, select, button')].filter((control) => control.localName === 'button' ? control.textContent.trim() === '' && !control.ariaLabel : control.labels.length === 0).length",
    );
    expect(unnamed).toBe(0);
  });

  it('loads with 100,000 records stored and stays responsive', async () => {
    const _emulator = await session.start();
    for (let batch = 0; batch < 10; batch += 1) {
      const contents = Array.from(
        { length: 10_000 },
        (_, index) => `line ${batch * 10_000 + index} of the load`,
      );
      expect((await send(contents, { batch: String(batch) })).status).toBe(200);
    }
    const started = performance.now();
    const opened = await session.open();
    const { page } = opened;
    const rows = page.getByRole('table', { name: 'Records' }).locator('tbody tr');
    await expect
      .poll(() => page.locator('#records-summary').textContent())
      .toBe('Showing the newest 500 of 100,000 records (99,500 more not shown).');
    expect(await rows.count()).toBe(500);
    const loadedMs = performance.now() - started;

    const filterStarted = performance.now();
    await page.getByRole('searchbox', { name: 'Filter' }).fill('line 31337 ');
    await expect.poll(() => rows.count(), { timeout: 10_000 }).toBe(1);
    const filteredMs = performance.now() - filterStarted;
    await page.getByRole('searchbox', { name: 'Filter' }).fill('batch=7');
    await expect
      .poll(() => page.locator('#records-summary').textContent(), { timeout: 10_000 })
      .toBe('Showing the newest 500 of 10,000 matching records (9,500 more not shown).');
    // Live records still arrive with the page full.
    await page.getByRole('searchbox', { name: 'Filter' }).fill('');
    await expect.poll(() => rows.count(), { timeout: 10_000 }).toBe(500);
    await send(['the newest'], { batch: 'last' });
    await expect
      .poll(() => recordRows(page).then((shown) => shown[0]![4]), { timeout: 10_000 })
      .toBe('the newest');
    expect(await rows.count()).toBe(500);
    console.log(
      `100,000 records: page live in ${loadedMs.toFixed(0)} ms, filter answered in ${filteredMs.toFixed(0)} ms`,
    );
  });
});
