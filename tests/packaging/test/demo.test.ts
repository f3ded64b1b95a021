import { fileURLToPath } from 'node:url';
import { type Emulator, startEmulator } from '@logtank/emulator';
import { afterEach, describe, expect, it } from 'vitest';
import { environmentWithoutLts, killChildren, runChild } from './run-child.ts';

const root = fileURLToPath(new URL('../../..', import.meta.url));
/** What each example logs (lines below the logger's level are not sent). */
const expectedRecords = { 'winston-app': 6, 'pino-app': 6, 'log4js-app': 7 } as const;
const examples = Object.keys(expectedRecords) as (keyof typeof expectedRecords)[];

let emulator: Emulator | undefined;

afterEach(async () => {
  killChildren();
  await emulator?.stop();
  emulator = undefined;
});

function runDemo(lts: Record<string, string> = {}, args: string[] = []) {
  return runChild(process.execPath, ['scripts/demo.mjs', ...args], {
    cwd: root,
    env: { ...environmentWithoutLts(), ...lts },
    timeoutMs: 60_000,
  });
}

/** The demo's lines about one example: from its ✔/✘ line to the next blank line. */
function sectionOf(output: string, example: string): string {
  const start = output.search(new RegExp(`^[✔✘] .* examples/${example}/app\\.mjs`, 'm'));
  expect(start, `no section for ${example} in:\n${output}`).toBeGreaterThanOrEqual(0);
  const end = output.indexOf('\n\n', start);
  return output.slice(start, end === -1 ? undefined : end);
}

function ltsVariables(target: Emulator, token?: string) {
  const options = target.clientOptions();
  return {
    LTS_ENDPOINT: options.endpoint,
    LTS_PROJECT_ID: options.projectId,
    LTS_LOG_GROUP_ID: options.logGroupId,
    LTS_LOG_STREAM_ID: options.logStreamId,
    LTS_TOKEN: token ?? options.token,
  };
}

describe('pnpm demo (scripts/demo.mjs)', () => {
  it('runs every example against its own emulator and shows all their records', async () => {
    const run = await runDemo();

    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('LTS emulator listening on http://127.0.0.1:');
    for (const example of examples) {
      const count = expectedRecords[example];
      const section = sectionOf(run.stdout, example);
      expect(section).toMatch(/^✔ [a-z0-9]+ +examples\/[a-z0-9-]+\/app\.mjs {2}exit 0 in /);
      expect(section).toContain(`records   ${count} of ${count} received, in `);
      expect(section).toMatch(new RegExp(`\\d+ × \\{app=${example} .*env=demo`));
      expect(section).toMatch(/ {4}time {6}\d{4}-\d\d-\d\dT[\d:.]+Z → /);
      expect(section.match(/\n {4}sample {4}\{/g)).toHaveLength(2);
    }
    expect(run.stdout).toContain('Every example exited 0 and LTS received all of their records.');
    expect(run.stdout).toContain('export LTS_ENDPOINT=https://<access-point-ip>:8102');
  });

  it('sends to the LTS_* endpoint instead when the variables are set', async () => {
    // This emulator stands in for real LTS: the demo must not start its own.
    emulator = await startEmulator();
    const run = await runDemo(ltsVariables(emulator));

    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`running the examples against ${emulator.url}`);
    expect(run.stdout).toContain('no emulator is started');
    expect(run.stdout).not.toContain('LTS emulator listening');
    for (const example of examples) {
      const received = emulator.records((record) => record.labels.app === example);
      expect(received).toHaveLength(expectedRecords[example]);
      expect(received.every((record) => record.labels.env === 'demo')).toBe(true);
    }
    expect(emulator.records()).toHaveLength(6 + 6 + 7);
  });

  it('signs with an access key with --credentials access-key', async () => {
    const run = await runDemo({}, ['--credentials', 'access-key']);

    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('signing with an access key (HUAWEICLOUD_SDK_AK/SK)');
    for (const example of examples) {
      const count = expectedRecords[example];
      expect(sectionOf(run.stdout, example)).toMatch(
        new RegExp(`records {3}${count} of ${count} received, in .* API, access-key\n`),
      );
    }
  });

  it('sends to a real stream with Huawei’s own variables (AK/SK) instead of LTS_TOKEN', async () => {
    emulator = await startEmulator({ accessKeys: [] });
    const { LTS_TOKEN: _token, LTS_PROJECT_ID: projectId, ...connection } = ltsVariables(emulator);
    const run = await runDemo({
      ...connection,
      HUAWEICLOUD_SDK_PROJECT_ID: projectId,
      HUAWEICLOUD_SDK_AK: emulator.accessKey.id,
      HUAWEICLOUD_SDK_SK: emulator.accessKey.secret,
    });

    expect(run.code).toBe(0);
    expect(run.stdout).toContain('no emulator is started');
    expect(emulator.records()).toHaveLength(6 + 6 + 7);
    expect(new Set(emulator.records().map((record) => record.credential))).toEqual(
      new Set(['access-key']),
    );
  });

  it('exits 1 and names the examples when LTS refuses their records', async () => {
    emulator = await startEmulator({ tokens: ['the-only-valid-token'] });
    const run = await runDemo(ltsVariables(emulator, 'a-revoked-token'));

    expect(run.code).toBe(1);
    expect(emulator.records()).toHaveLength(0);
    expect(emulator.stats().byStatus[401]).toBeGreaterThan(0);
    for (const example of examples) {
      expect(run.stdout).toContain(
        `✘ ${example.replace('-app', '').padEnd(8)} examples/${example}`,
      );
    }
    expect(run.stdout).toContain('[logtank unauthorized]');
    expect(run.stdout).toContain('3 example(s) failed or dropped records');
  });

  it('refuses to guess when the LTS_* variables are only partly set', async () => {
    const run = await runDemo({ LTS_ENDPOINT: 'https://192.0.2.10:8102' });

    expect(run.code).toBe(2);
    expect(run.stderr).toContain(
      'missing LTS_PROJECT_ID, LTS_LOG_GROUP_ID, LTS_LOG_STREAM_ID, LTS_TOKEN',
    );
    expect(run.stdout).toBe('');
  });
});
