import { defineConfig } from 'tsdown';
import { packageBuild } from '../../tsdown.base.ts';
import manifest from './package.json' with { type: 'json' };

export default defineConfig(
  packageBuild(manifest, {
    // The CommonJS build loads undici (lazily) with require(): a dynamic
    // import() fails where CommonJS runs in a vm context without ES module
    // support (Jest, by default).
    outputOptions: { dynamicImportInCjs: false },
  }),
);
