import { defineConfig } from 'tsdown';
import { packageBuild } from '../../tsdown.base.ts';
import manifest from './package.json' with { type: 'json' };

export default defineConfig([
  packageBuild(manifest, { entry: ['src/index.ts', 'src/cli.ts'] }),
  // The console's page: one browser module, its HTML and CSS, served from dist/console/.
  {
    entry: { console: 'src/console/app.ts' },
    outDir: 'dist/console',
    format: 'esm',
    platform: 'browser',
    target: 'chrome120',
    dts: false,
    sourcemap: false,
    outExtensions: () => ({ js: '.js' }),
    copy: [{ from: ['src/console/index.html', 'src/console/console.css'], to: 'dist/console' }],
  },
]);
