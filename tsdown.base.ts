import type { UserConfig } from 'tsdown';

/** The published shape of a package's package.json that the build reads. */
interface PackageManifest {
  version: string;
}

/**
 * The build every public package shares: ESM + CommonJS + declarations for
 * Node 20, with the package version injected so code never reads package.json
 * at run time.
 */
export function packageBuild(manifest: PackageManifest, overrides: UserConfig = {}): UserConfig {
  return {
    entry: ['src/index.ts'],
    format: ['esm', 'cjs'],
    platform: 'node',
    target: 'node20',
    dts: true,
    sourcemap: false,
    clean: true,
    define: { __PACKAGE_VERSION__: JSON.stringify(manifest.version) },
    ...overrides,
  };
}
