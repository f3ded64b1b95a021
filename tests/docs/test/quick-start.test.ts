import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { type Emulator, startEmulator } from '@logtank/emulator';
import { type ChildRun, killChildren, runNode } from '@logtank/test-support';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { markedSnippets, readme } from './readme.ts';

const snippets = markedSnippets(readme);
// Inside this package, so that the snippets resolve the packages the way an app would.
const scratch = fileURLToPath(new URL('../.snippets/', import.meta.url));
mkdirSync(scratch, { recursive: true });
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

let emulator: Emulator;
beforeEach(async () => {
  emulator = await startEmulator();
});
afterEach(async () => {
  killChildren();
  await emulator.stop();
});

/** Runs a snippet as an app would, with only the LTS_* variables set; bounded. */
function runSnippet(name: string): Promise<ChildRun> {
  const file = `${scratch}${name}.mjs`;
  writeFileSync(file, snippets.get(name) ?? '');
  const options = emulator.clientOptions();
  const environment: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    LTS_ENDPOINT: options.endpoint,
    LTS_PROJECT_ID: options.projectId,
    LTS_LOG_GROUP_ID: options.logGroupId,
    LTS_LOG_STREAM_ID: options.logStreamId,
    LTS_TOKEN: options.token,
  };
  return runNode([file], {
    env: environment,
    inheritEnvironment: false,
    cwd: scratch,
    timeoutMs: 30_000,
  });
}

describe('the quick-start snippets of the root README', () => {
  it('has one snippet per framework', () => {
    expect([...snippets.keys()].sort()).toEqual(['log4js', 'pino', 'winston']);
  });

  it.each(['winston', 'pino', 'log4js'])(
    '%s: delivers both lines with their labels, and the app exits by itself',
    async (name) => {
      const result = await runSnippet(name);
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      if (name !== 'pino') expect(result.stdout).toContain('logs sent');

      const records = emulator.records();
      expect(records).toHaveLength(2);
      expect(records[0]?.content).toMatch(/order (42 )?placed/);
      expect(records[0]?.content).toContain('42');
      expect(records[1]?.content).toMatch(/stock low/);
      expect(records[1]?.content).toContain('A-1');
      for (const record of records) expect(record.labels.app).toBe('checkout');
      expect(records.map((record) => record.labels.level?.toLowerCase())).toEqual(['info', 'warn']);
    },
  );
});
