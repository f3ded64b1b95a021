import { defineConfig } from 'tsdown';
import { packageBuild } from '../../tsdown.base.ts';
import manifest from './package.json' with { type: 'json' };

export default defineConfig(
  packageBuild(manifest, {
    entry: ['src/index.ts', 'src/cli.ts'],
    // pino loads the default export; named exports are there for in-process use.
    outputOptions: { exports: 'named' },
  }),
);
