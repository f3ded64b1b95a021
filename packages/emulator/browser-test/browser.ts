import { existsSync, mkdirSync } from 'node:fs';
import { type Emulator, type EmulatorOptions, startEmulator } from '@logtank/emulator';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, expect } from 'vitest';

/** Debian's `chromium-headless-shell` (apt-get install chromium-headless-shell), or LOGTANK_CHROMIUM. */
export const chromiumPath = process.env.LOGTANK_CHROMIUM ?? '/usr/bin/chromium-headless-shell';

/** Whether a browser binary exists: without one, the suite is skipped (with a message), never failed. */
export const browserAvailable = existsSync(chromiumPath);

if (!browserAvailable) {
  console.warn(
    `The console's browser tests are SKIPPED: no browser at ${chromiumPath}. ` +
      'Install one with `apt-get install chromium-headless-shell`, or set LOGTANK_CHROMIUM to a Chromium binary.',
  );
}

/** Where screenshots go (gitignored). */
export const resultsDirectory = new URL('../test-results/', import.meta.url);

/** Launches headless Chromium (never playwright's own download: it cannot work offline). */
export async function launchBrowser(): Promise<Browser> {
  mkdirSync(resultsDirectory, { recursive: true });
  return chromium.launch({
    executablePath: chromiumPath,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
    timeout: 30_000,
  });
}

/** A page on the console, with every request it made and every error it reported. */
export interface ConsolePage {
  page: Page;
  /** URLs of every request the page made. */
  requests: string[];
  /** Console errors and uncaught exceptions. */
  errors: string[];
  /** Asserts the page asked nothing of any other origin and reported no error; then closes it. */
  closeChecked(): Promise<void>;
}

/** Opens the console of `emulator` and waits until its event stream is live. */
export async function openConsole(
  browser: Browser,
  emulator: Emulator,
  viewport = { width: 1440, height: 900 },
): Promise<ConsolePage> {
  const page = await browser.newPage({ viewport });
  page.setDefaultTimeout(10_000);
  const requests: string[] = [];
  const errors: string[] = [];
  page.on('request', (request) => requests.push(request.url()));
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(`console: ${message.text()}`);
  });
  page.on('pageerror', (error) => errors.push(`page error: ${error.message}`));
  await page.goto(emulator.consoleUrl);
  await page.locator('#connection[data-state="live"]').waitFor();
  return {
    page,
    requests,
    errors,
    closeChecked: async () => {
      const origin = new URL(emulator.url).origin;
      await page.close();
      expect(requests.length).toBeGreaterThan(0);
      expect(requests.filter((url) => new URL(url).origin !== origin)).toEqual([]);
      expect(errors).toEqual([]);
    },
  };
}

/** The rows of the records table, each as its cells' text. */
export async function recordRows(page: Page): Promise<string[][]> {
  return page
    .getByRole('table', { name: 'Records' })
    .locator('tbody tr')
    .evaluateAll((rows) =>
      rows.map((row) => [...row.children].map((cell) => (cell.textContent ?? '').trim())),
    );
}

/** One test file's browser, and each test's emulator and console page. */
export interface ConsoleSession {
  /** Starts this test's emulator. */
  start(options?: EmulatorOptions): Promise<Emulator>;
  /** This test's emulator (after {@link ConsoleSession.start}). */
  readonly emulator: Emulator;
  /** Opens the console of this test's emulator. */
  open(viewport?: { width: number; height: number }): Promise<ConsolePage>;
}

/**
 * Registers a browser test file's hooks: one browser for the file; after each
 * test, its page checked (no other origin asked, no error reported) and
 * closed, and its emulator stopped.
 */
export function consoleSession(): ConsoleSession {
  let browser: Browser | undefined;
  let emulator: Emulator | undefined;
  let opened: ConsolePage | undefined;
  beforeAll(async () => {
    if (browserAvailable) browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });
  afterEach(async () => {
    try {
      await opened?.closeChecked();
    } finally {
      opened = undefined;
      await emulator?.stop();
      emulator = undefined;
    }
  });
  return {
    async start(options) {
      emulator = await startEmulator(options);
      return emulator;
    },
    get emulator() {
      if (emulator === undefined) throw new Error('start the emulator first');
      return emulator;
    },
    async open(viewport) {
      if (browser === undefined) throw new Error('no browser (see chromiumPath)');
      opened = await openConsole(browser, this.emulator, viewport);
      return opened;
    },
  };
}
