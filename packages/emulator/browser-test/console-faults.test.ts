import type { Emulator } from '@logtank/emulator';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { postReport, standardBody } from '../test/report-request.ts';
import { type SigningKey, signedReport } from '../test/signed-request.ts';
import { browserAvailable, consoleSession } from './browser.ts';

const session = consoleSession();

/** Opens the console on its second view. */
async function openFaults(): Promise<Page> {
  const opened = await session.open();
  await opened.page.getByRole('tab', { name: 'Requests & faults' }).click();
  return opened.page;
}

/** Waits until the page says the control request was applied. */
async function applied(page: Page, text: string): Promise<void> {
  await expect.poll(() => page.locator('#control-result').textContent()).toBe(text);
}

/** The newest row of the request log, as its cells' text. */
async function newestRequest(page: Page): Promise<string[]> {
  return page
    .getByRole('table', { name: 'Requests' })
    .locator('tbody tr')
    .first()
    .locator('td')
    .allTextContents();
}

async function report(token?: string): Promise<number> {
  const answer = await postReport(session.emulator, {
    body: standardBody(['a line'], { labels: { app: 'retrying' } }),
    ...(token === undefined ? {} : { token }),
  });
  return answer.status;
}

/** The metadata token flow, as a client on an ECS instance runs it. */
async function temporaryKey(started: Emulator): Promise<SigningKey> {
  const token = await fetch(`${started.metadataUrl}/meta-data/latest/api/token`, {
    method: 'PUT',
    headers: { 'x-metadata-token-ttl-seconds': '600' },
  });
  const key = await fetch(`${started.metadataUrl}/openstack/latest/securitykey`, {
    headers: { 'x-metadata-token': await token.text() },
  });
  const { credential } = (await key.json()) as { credential: Record<string, string> };
  return {
    id: credential.access!,
    secret: credential.secret!,
    securityToken: credential.securitytoken!,
  };
}

describe.skipIf(!browserAvailable)('the console, requests and faults (headless Chromium)', () => {
  it('a 503 rate set from the page fails a client request; the request log shows it; clearing restores', async () => {
    const _emulator = await session.start();
    const page = await openFaults();
    await page.getByLabel('Status', { exact: true }).selectOption('503');
    await page.getByLabel('Rate (%)').fill('100');
    await page.getByRole('button', { name: 'Set failure rate' }).click();
    await applied(page, '100% of report requests now answer 503.');
    await expect
      .poll(() => page.locator('#active-faults').textContent())
      .toBe('Active: 503 at 100%.');

    expect(await report()).toBe(503);
    await expect
      .poll(() => newestRequest(page))
      .toEqual([
        expect.any(String),
        'POST …/contents',
        '503',
        '0',
        expect.stringMatching(/ B$/),
        expect.stringMatching(/ ms$/),
        expect.stringMatching(/^token [0-9a-f]{12}$/),
        'status 503',
        '',
      ]);

    await page.getByRole('button', { name: 'Clear faults' }).click();
    await applied(page, 'Faults cleared (token expiries stay).');
    expect(await report()).toBe(200);
    await expect.poll(() => newestRequest(page).then((cells) => cells[2])).toBe('200');
    await expect.poll(() => page.locator('#counters').textContent()).toMatch(/200: 1.*503: 1/);
  });

  it('fails the next requests, adds latency, and refuses an expired token with its error', async () => {
    const emulator = await session.start();
    const page = await openFaults();
    await page.getByLabel('Fail the next').fill('2');
    await page.getByLabel('requests with').selectOption('429');
    await page.getByRole('button', { name: 'Fail next' }).click();
    await applied(page, 'The next 2 report requests answer 429.');
    expect([await report(), await report(), await report()]).toEqual([429, 429, 200]);

    await page.getByLabel('Added to every answer (ms)').fill('300');
    await page.getByRole('button', { name: 'Set latency' }).click();
    await applied(page, 'Every answer now comes 300 ms later.');
    const started = performance.now();
    expect(await report()).toBe(200);
    expect(performance.now() - started).toBeGreaterThanOrEqual(290);
    await expect.poll(() => newestRequest(page).then((cells) => cells[7])).toBe('latency 300');
    await page.getByLabel('Added to every answer (ms)').fill('0');
    await page.getByRole('button', { name: 'Set latency' }).click();
    await applied(page, 'Every answer now comes 0 ms later.');

    // The app's own token (any token is accepted): expire it by its fingerprint.
    const token = `MII${'k'.repeat(1200)}`;
    expect(await report(token)).toBe(200);
    const tokenId = emulator.requests().at(-1)!.tokenId!;
    await page.getByRole('button', { name: `Expire token ${tokenId}` }).click();
    await applied(page, `Token ${tokenId} has expired.`);
    expect(await report(token)).toBe(401);
    await expect
      .poll(() => newestRequest(page).then((cells) => [cells[2], cells[8]]))
      .toEqual(['401', 'The token has expired.']);
    // Never a secret on the page.
    expect(await page.content()).not.toContain(token.slice(0, 40));
    expect(await page.content()).not.toContain(emulator.token.slice(0, 40));
  });

  it("expires and revokes the metadata stand-in's temporary keys", async () => {
    const emulator = await session.start({ metadata: true });
    const page = await openFaults();
    const metadata = page.getByRole('heading', { name: 'ECS metadata stand-in' });
    await metadata.waitFor();
    const first = await temporaryKey(emulator);
    expect((await signedReport(emulator, { accessKey: first })).status).toBe(200);
    await page.getByRole('button', { name: `Revoke ${first.id}` }).waitFor();

    await page.getByRole('button', { name: 'Expire temporary keys' }).click();
    await applied(
      page,
      'Every temporary key has expired; the next securitykey call issues a fresh one.',
    );
    expect((await signedReport(emulator, { accessKey: first })).status).toBe(401);
    await expect
      .poll(() => newestRequest(page).then((cells) => cells[8]))
      .toMatch(/temporary key has expired/);

    const second = await temporaryKey(emulator);
    expect(second.id).not.toBe(first.id);
    const revoke = page.getByRole('button', { name: `Revoke ${second.id}` });
    await revoke.click();
    await applied(page, `Key ${second.id} was revoked.`);
    expect((await signedReport(emulator, { accessKey: second })).status).toBe(401);
    await expect.poll(() => revoke.isDisabled()).toBe(true);

    const content = await page.content();
    for (const secret of [first.secret, first.securityToken!.slice(0, 40), second.secret]) {
      expect(content).not.toContain(secret);
    }
  });
});
