import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { clientOptionNames, defaults, LtsClient, LtsOptionsError } from '@logtank/core';
import { afterAll, describe, expect, it } from 'vitest';
import { configurationRows, readme } from './readme.ts';

const rows = configurationRows(readme);
const spoolDirectory = mkdtempSync(join(tmpdir(), 'logtank-docs-'));
afterAll(() => rmSync(spoolDirectory, { recursive: true, force: true }));

const base = {
  endpoint: 'http://127.0.0.1:9',
  projectId: 'a'.repeat(32),
  logGroupId: 'b'.repeat(36),
  logStreamId: 'c'.repeat(36),
  token: 'docs-test-token',
};

/** `{ retry: { maxAttempts: 3 } }` → [['retry.maxAttempts', 3]] */
function flatten(value: object, prefix = ''): Array<[string, unknown]> {
  return Object.entries(value).flatMap(([key, inner]) =>
    typeof inner === 'object' && inner !== null && !Array.isArray(inner)
      ? flatten(inner, `${prefix}${key}.`)
      : [[`${prefix}${key}`, inner] as [string, unknown]],
  );
}

describe('the configuration reference in the root README', () => {
  it('has a row for every client option, and no row for anything else', () => {
    const topLevel = new Set([...rows.keys()].map((name) => name.split('.')[0]));
    expect([...topLevel].sort()).toEqual([...clientOptionNames].sort());
  });

  it('names only nested options the client accepts', async () => {
    for (const name of rows.keys()) {
      const [outer, inner] = name.split('.') as [string, string | undefined];
      if (inner === undefined) continue;
      const nested: Record<string, unknown> = { [inner]: undefined };
      if (outer === 'spool') nested.dir = spoolDirectory;
      let refused: unknown;
      try {
        const client = new LtsClient({ ...base, [outer]: nested });
        await client.close({ timeoutMs: 100 });
      } catch (error) {
        refused = error;
      }
      // Other problems (a missing required value) are fine: only "not an option" is a wrong row.
      if (refused instanceof LtsOptionsError) expect(refused.option).not.toBe(name);
      else expect(refused).toBeUndefined();
    }
  });

  it('states every default as the client has it', () => {
    const documented = flatten(defaults)
      .map(([name, value]): [string, unknown] => [
        name === 'spoolMaxBytes' ? 'spool.maxBytes' : name,
        value,
      ])
      // The defaults of options; iam.* and the rest (credential timings, the
      // fallback's queue) are inner workings, documented where they apply.
      .filter(
        ([name]) =>
          !name.startsWith('iam.') &&
          (clientOptionNames as readonly string[]).includes(name.split('.')[0]!),
      );
    expect(documented.length).toBeGreaterThan(10);
    for (const [name, value] of documented) {
      const cell = rows.get(name)?.[2];
      expect(cell, `row for ${name}`).toBeDefined();
      const expected =
        typeof value === 'number'
          ? String(value)
          : Array.isArray(value)
            ? `[${value.map((entry) => `'${entry}'`).join(', ')}]`
            : `'${String(value)}'`;
      expect(cell?.replaceAll(',', ''), `default of ${name}`).toContain(
        expected.replaceAll(',', ''),
      );
    }
  });

  it('names the environment variable of each connection option', () => {
    const environment = {
      endpoint: 'LTS_ENDPOINT',
      projectId: 'LTS_PROJECT_ID',
      logGroupId: 'LTS_LOG_GROUP_ID',
      logStreamId: 'LTS_LOG_STREAM_ID',
      token: 'LTS_TOKEN',
    };
    for (const [name, variable] of Object.entries(environment)) {
      expect(rows.get(name)?.[3]).toBe(`\`${variable}\``);
      // ...and the client really reads it: refused without it, accepted with it.
      const { [name as keyof typeof base]: _, ...rest } = base;
      expect(() => new LtsClient(rest)).toThrow(LtsOptionsError);
      process.env[variable] = base[name as keyof typeof base];
      try {
        void new LtsClient(rest).close({ timeoutMs: 100 });
      } finally {
        delete process.env[variable];
      }
    }
  });

  it("names Huawei's own variables, and the client reads them", async () => {
    const huawei = {
      HUAWEICLOUD_SDK_AK: 'AKIDDOCSTEST0000000',
      HUAWEICLOUD_SDK_SK: 'docs-test-secret-key',
      HUAWEICLOUD_SDK_SECURITY_TOKEN: 'docs-test-security-token',
      HUAWEICLOUD_SDK_PROJECT_ID: base.projectId,
      HUAWEICLOUD_SDK_REGION: 'cn-north-4',
    };
    for (const variable of [
      'HUAWEICLOUD_SDK_AK',
      'HUAWEICLOUD_SDK_SK',
      'HUAWEICLOUD_SDK_SECURITY_TOKEN',
    ]) {
      expect(rows.get('accessKey')?.[3]).toContain(`\`${variable}\``);
    }
    expect(rows.get('region')?.[3]).toBe('`HUAWEICLOUD_SDK_REGION`');
    expect(rows.get('projectId')?.[4]).toContain('`HUAWEICLOUD_SDK_PROJECT_ID`');
    const { token: _token, projectId: _projectId, ...rest } = base;
    expect(() => new LtsClient({ ...rest, api: 'batch' })).toThrow(LtsOptionsError);
    Object.assign(process.env, huawei);
    try {
      // The producer route needs an access key and a region: both come from the variables.
      await new LtsClient({ ...rest, api: 'batch' }).close({ timeoutMs: 100 });
    } finally {
      for (const variable of Object.keys(huawei)) delete process.env[variable];
    }
  });
});
