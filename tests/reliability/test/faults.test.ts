import { bodyForStatus, type Emulator, startEmulator } from '@logtank/emulator';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type ChildRun, killChildren, reportOf, runFixture } from './support/children.ts';
import { recordFigure, saveFigures } from './support/figures.ts';
import { secretToken, Transcript } from './support/secrets.ts';
import { checkSequences } from './support/sequence.ts';

// Faults injected by the emulator, each through a real adapter in a child app
// over real sockets. Records carry unique sequence numbers, so "all delivered,
// none duplicated" is checked record by record.

type Framework = 'winston' | 'pino' | 'log4js';

interface AppReport {
  sent: number;
  errors: string[];
  errorCount: number;
  drops: Array<{ reason: string; count: number; message: string; contents: string[] }>;
  stats?: { sent: number; delivered: number; dropped: number; splits: number; retries: number };
}

let emulator: Emulator;
const transcript = new Transcript();

beforeEach(async () => {
  // Only the secret token is accepted, so every run really authenticates with it.
  emulator = await startEmulator({ tokens: [secretToken] });
});

afterEach(async () => {
  killChildren();
  await emulator.stop();
  expect(transcript.leaks()).toEqual([]);
  transcript.clear();
});

afterAll(() => saveFigures('faults'));

const quickRetry = { maxAttempts: 40, baseDelayMs: 10, maxDelayMs: 200 };

async function runApp(
  framework: Framework,
  records: number,
  options: Record<string, unknown>,
  extra: Record<string, unknown> = {},
): Promise<{ run: ChildRun; report: AppReport }> {
  const run = await runFixture('app.mjs', {
    fixture: {
      framework,
      clientOptions: emulator.clientOptions({ token: secretToken }),
      options: { lingerMs: 20, retry: quickRetry, ...options },
      records,
      mode: 'end',
      ...extra,
    },
  });
  transcript.add(run.stdout);
  transcript.add(run.stderr);
  expect(run.code, run.stderr).toBe(0);
  return { run, report: reportOf<AppReport>(run) };
}

function storedContents(): string[] {
  return emulator.records().map((record) => record.content);
}

/** Records the dropped-connection runs stored but could not confirm. */
function storedWithoutAnswer(): number {
  return emulator
    .requests()
    .filter((request) => request.fault === 'drop after-body' && request.stored)
    .reduce((total, request) => total + request.records, 0);
}

describe('5xx flapping', () => {
  it.each<Framework>(['winston', 'pino', 'log4js'])(
    '%s: 503/500 on about 45 percent of requests (seeded): every record delivered exactly once',
    async (framework) => {
      emulator.faults.failureRate({ status: 503, probability: 0.3, seed: 7 });
      emulator.faults.failureRate({ status: 500, probability: 0.2, seed: 11 });
      const records = 2000;
      const { run, report } = await runApp(framework, records, { maxBatchRecords: 40 });

      const check = checkSequences(storedContents(), records);
      expect(check).toEqual({ unique: records, duplicates: 0, missing: [], strangers: [] });
      const requests = emulator.requests().filter((request) => request.route === 'report');
      const failed = requests.filter((request) => request.status >= 500).length;
      // The fault really happened, at roughly the configured rate.
      expect(failed / requests.length).toBeGreaterThan(0.25);
      expect(failed / requests.length).toBeLessThan(0.65);
      expect(report.drops).toEqual([]);
      if (framework === 'pino') expect(run.stderr).not.toMatch(/^\[logtank /m);
      if (report.stats !== undefined) {
        expect(report.stats).toMatchObject({ sent: records, delivered: records, dropped: 0 });
      }
      recordFigure({
        area: 'faults',
        scenario: `${framework}: 503 (p 0.3) then 500 (p 0.2), seeded`,
        amount: `${records} records, ${requests.length} requests`,
        outcome: `${failed} requests failed (${Math.round((100 * failed) / requests.length)} %); ${check.unique}/${records} delivered, ${check.duplicates} duplicates, 0 dropped, ${run.elapsedMs.toFixed(0)} ms`,
      });
    },
  );
});

describe('connections dropped', () => {
  it.each<Framework>(['pino', 'winston'])(
    '%s: before and after the body is read: all delivered; duplicates only of batches stored before the drop',
    async (framework) => {
      const drops = 6;
      for (let index = 0; index < drops; index++) {
        emulator.faults.enqueue({ drop: 'before-body' }, { drop: 'after-body' });
      }
      const records = 1500;
      const { report } = await runApp(framework, records, { maxBatchRecords: 50 });

      const check = checkSequences(storedContents(), records);
      expect(check.missing).toEqual([]);
      expect(check.strangers).toEqual([]);
      const requests = emulator.requests();
      const beforeBody = requests.filter((request) => request.fault === 'drop before-body');
      const afterBody = requests.filter((request) => request.fault === 'drop after-body');
      expect(beforeBody).toHaveLength(drops);
      expect(afterBody).toHaveLength(drops);
      expect(beforeBody.every((request) => !request.stored)).toBe(true);
      // At-least-once: a batch stored before its connection died is sent again, so it is
      // there twice; nothing else is.
      const expectedDuplicates = storedWithoutAnswer();
      expect(expectedDuplicates).toBeGreaterThan(0);
      expect(check.duplicates).toBe(expectedDuplicates);
      expect(emulator.stats().storedWithoutResponse).toBe(expectedDuplicates);
      expect(report.drops).toEqual([]);
      if (report.stats !== undefined) {
        expect(report.stats).toMatchObject({ sent: records, delivered: records, dropped: 0 });
      }
      recordFigure({
        area: 'faults',
        scenario: `${framework}: connection destroyed before the body was read / after it was stored`,
        amount: `${records} records; ${drops} + ${drops} dropped connections`,
        outcome: `${check.unique}/${records} delivered; ${check.duplicates} duplicates = ${expectedDuplicates} records stored by the ${afterBody.filter((request) => request.stored).length} after-body drops; 0 dropped`,
      });
    },
  );
});

describe('a server that hangs', () => {
  it('log4js: requests time out (timeoutMs 500), then everything is delivered once it answers', async () => {
    emulator.faults.enqueue({ hang: true }, { hang: true }, { hang: true });
    const records = 400;
    const { report, run } = await runApp('log4js', records, {
      maxBatchRecords: 100,
      timeoutMs: 500,
    });

    const check = checkSequences(storedContents(), records);
    expect(check).toEqual({ unique: records, duplicates: 0, missing: [], strangers: [] });
    const hung = emulator.requests().filter((request) => request.fault === 'hang');
    expect(hung).toHaveLength(3);
    const timeouts = report.errors.filter((message) => /time(d)? ?out/i.test(message));
    expect(timeouts.length, report.errors.join('\n')).toBeGreaterThanOrEqual(3);
    expect(report.drops).toEqual([]);
    recordFigure({
      area: 'faults',
      scenario: 'log4js: server never answers 3 requests; timeoutMs 500',
      amount: `${records} records`,
      outcome: `${timeouts.length} timeout errors via onError; ${check.unique}/${records} delivered, 0 duplicates, 0 dropped, ${run.elapsedMs.toFixed(0)} ms`,
    });
  });
});

describe('413 body too large', () => {
  it('winston: batches bigger than the server takes are split, nothing lost', async () => {
    await emulator.stop();
    emulator = await startEmulator({ tokens: [secretToken], maxBodyBytes: 16 * 1024 });
    const records = 1500;
    const { report } = await runApp(
      'winston',
      records,
      { maxBatchBytes: 256 * 1024, maxBatchRecords: 4096, lingerMs: 200 },
      { padding: 120 },
    );

    const check = checkSequences(storedContents(), records);
    expect(check).toEqual({ unique: records, duplicates: 0, missing: [], strangers: [] });
    const tooLarge = emulator.stats().byStatus[413] ?? 0;
    expect(tooLarge).toBeGreaterThan(0);
    expect(report.stats?.splits).toBeGreaterThan(0);
    expect(report.drops).toEqual([]);
    expect(report.stats).toMatchObject({ sent: records, delivered: records, dropped: 0 });
    recordFigure({
      area: 'faults',
      scenario: 'winston: emulator maxBodyBytes 16 KiB, client maxBatchBytes 256 KiB',
      amount: `${records} records of ~200 bytes`,
      outcome: `${tooLarge} answers 413, ${report.stats?.splits} splits; ${check.unique}/${records} delivered, 0 duplicates, 0 dropped`,
    });
  });
});

describe('a poison batch', () => {
  it('log4js: the batch answered 400 is reported dropped with the reason; the rest is delivered', async () => {
    emulator.faults.enqueue({ status: 400 });
    const records = 500;
    const { report } = await runApp('log4js', records, { maxBatchRecords: 50 });

    expect(emulator.stats().byStatus[400]).toBe(1);
    expect(report.drops).toHaveLength(1);
    const [drop] = report.drops;
    expect(drop!.reason).toBe('rejected');
    expect(drop!.count).toBe(drop!.contents.length);
    expect(drop!.count).toBeGreaterThan(0);
    const serverReason = (bodyForStatus(400) as { error_msg: string }).error_msg;
    expect(drop!.message).toContain(serverReason);
    // Stored and dropped together are every record, each exactly once.
    const check = checkSequences([...storedContents(), ...drop!.contents], records);
    expect(check).toEqual({ unique: records, duplicates: 0, missing: [], strangers: [] });
    expect(report.errors.some((message) => message.includes('400'))).toBe(true);
    recordFigure({
      area: 'faults',
      scenario: 'log4js: one request answered 400',
      amount: `${records} records in batches of 50`,
      outcome: `1 onDrop event (rejected, ${drop!.count} records, server reason in the message); ${records - drop!.count} delivered; delivered + dropped = ${records}`,
    });
  });
});
