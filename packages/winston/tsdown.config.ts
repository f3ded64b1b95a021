import { defineConfig } from 'tsdown';
import { packageBuild } from '../../tsdown.base.ts';
import manifest from './package.json' with { type: 'json' };

export default defineConfig(
  packageBuild(manifest, {
    // Named and default export side by side: `require()` gives both properties.
    outputOptions: { exports: 'named' },
  }),
);
