import { defineConfig } from 'tsdown';
import { packageBuild } from '../../tsdown.base.ts';
import manifest from './package.json' with { type: 'json' };

export default defineConfig(packageBuild(manifest, { entry: ['src/index.ts', 'src/cli.ts'] }));
