import { fileURLToPath } from 'node:url';
import { emulatorTest, runNode } from '@logtank/test-support';
import { describe, expect } from 'vitest';

const cli = fileURLToPath(new URL('../dist/cli.mjs', import.meta.url));

describe('logtank --metadata-endpoint', () => {
  emulatorTest.override({ emulatorOptions: { metadata: true } });

  emulatorTest(
    'signs with the temporary keys of the metadata service it names',
    async ({ emulator }) => {
      const options = emulator.clientOptions({ credentials: 'ecs-metadata' });
      const run = await runNode(
        [cli, '--metadata-endpoint', options.ecsMetadata.endpoint, '--endpoint', options.endpoint],
        {
          input: 'signed with an agency key\n',
          env: {
            LTS_PROJECT_ID: options.projectId,
            LTS_LOG_GROUP_ID: options.logGroupId,
            LTS_LOG_STREAM_ID: options.logStreamId,
          },
          timeoutMs: 20_000,
        },
      );
      expect(run.code, run.stderr).toBe(0);
      expect(emulator.records().map((record) => [record.content, record.credential])).toEqual([
        ['signed with an agency key', 'temporary-key'],
      ]);
    },
  );
});
