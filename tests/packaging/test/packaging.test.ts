import { type ChildProcess, spawn } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { environmentWithoutLts, killChildren, runChild } from './run-child.ts';

// Packs the public packages as `pnpm publish` would, installs the tarballs
// with npm into an app outside the workspace, and has that app log to the
// installed emulator through every adapter, by import and by require.
// Nothing here versions or publishes anything (no `changeset version`).
//
// With LOGTANK_PACKAGING_LATEST=1 (a step of .ci/run) the app takes the newest
// releases of winston, pino and log4js, and of the transport bases and undici
// within our ranges, as `npm install` gives a user today: an upstream change
// shows up here first.
const latest = process.env.LOGTANK_PACKAGING_LATEST === '1';

const root = fileURLToPath(new URL('../../..', import.meta.url));
const fixtures = fileURLToPath(new URL('./fixtures/', import.meta.url));
const publicPackages = ['core', 'emulator', 'winston', 'pino', 'log4js'] as const;
const messages = ['first', 'second', 'third'];

interface Manifest {
  name: string;
  version: string;
  dependencies?: Record<string, string>;
  bin?: Record<string, string>;
}

interface ReceivedRecord {
  content: string;
  labels: Record<string, string>;
}

let workDirectory: string | undefined;
let appDirectory = '';
let emulatorHost: EmulatorHost | undefined;
const manifestsBefore = new Map<string, string>();

beforeAll(async () => {
  workDirectory = await mkdtemp(join(tmpdir(), 'logtank-packaging-'));
  const tarballDirectory = join(workDirectory, 'tarballs');
  appDirectory = join(workDirectory, 'app');
  await mkdir(appDirectory, { recursive: true });

  for (const name of publicPackages) {
    manifestsBefore.set(name, await readFile(packageFile(name), 'utf8'));
  }
  await Promise.all(
    publicPackages.map(async (name) => {
      const run = await runChild('pnpm', ['pack', '--pack-destination', tarballDirectory], {
        cwd: join(root, 'packages', name),
        env: environmentWithoutLts(),
        timeoutMs: 60_000,
      });
      expect(run.code, `pnpm pack in packages/${name}: ${run.stderr}`).toBe(0);
    }),
  );
  const tarballs = (await readdir(tarballDirectory)).filter((file) => file.endsWith('.tgz'));
  expect(tarballs).toHaveLength(publicPackages.length);

  await writeFile(
    join(appDirectory, 'package.json'),
    JSON.stringify({ name: 'logtank-packaging-app', version: '1.0.0', private: true }),
  );
  const install = await runChild(
    'npm',
    [
      'install',
      '--no-audit',
      '--no-fund',
      ...(latest ? [] : ['--prefer-offline']),
      '--save-exact',
      ...tarballs.map((file) => join(tarballDirectory, file)),
      ...(await frameworkVersions()),
    ],
    { cwd: appDirectory, env: npmEnvironment(), timeoutMs: 180_000 },
  );
  expect(install.code, `npm install failed:\n${install.stderr}`).toBe(0);
  if (latest) console.log(`installed: ${(await installedVersions()).join(', ')}`);

  for (const file of await readdir(fixtures)) {
    await copyFile(join(fixtures, file), join(appDirectory, file));
  }
  emulatorHost = await startEmulatorHost(appDirectory);
});

afterAll(async () => {
  await emulatorHost?.stop();
  killChildren();
  if (workDirectory !== undefined) await rm(workDirectory, { recursive: true, force: true });
});

describe('the packed tarballs', () => {
  it.each(publicPackages)(
    '@logtank/%s holds its dual build and a publishable manifest',
    async (name) => {
      const workspaceManifest = JSON.parse(manifestsBefore.get(name)!) as Manifest;
      const installed = join(appDirectory, 'node_modules', '@logtank', name);
      const manifestText = await readFile(join(installed, 'package.json'), 'utf8');
      const manifest = JSON.parse(manifestText) as Manifest;

      expect(manifest.name).toBe(`@logtank/${name}`);
      expect(manifest.version).toBe(workspaceManifest.version);
      expect(manifestText).not.toContain('workspace:');
      for (const [dependency, range] of Object.entries(manifest.dependencies ?? {})) {
        if (dependency.startsWith('@logtank/')) expect(range).toBe(`^${manifest.version}`);
      }

      const files = (await readdir(installed, { recursive: true })).filter(
        (file) => !file.startsWith('node_modules'),
      );
      expect(files).toEqual(
        expect.arrayContaining([
          'package.json',
          'LICENSE',
          join('dist', 'index.mjs'),
          join('dist', 'index.cjs'),
          join('dist', 'index.d.mts'),
          join('dist', 'index.d.cts'),
        ]),
      );
      expect(
        files.filter((file) => /^(src|test)\b|\.ts$/.test(file) && !/\.d\.[cm]ts$/.test(file)),
      ).toEqual([]);
    },
  );

  it.each(publicPackages)('@logtank/%s carries its npm page (README.md)', async (name) => {
    const installed = join(appDirectory, 'node_modules', '@logtank', name);
    const readme = await readFile(join(installed, 'README.md'), 'utf8').catch(() => '');
    expect(readme, `packages/${name}/README.md is missing from the tarball`).toMatch(
      new RegExp(`^# @logtank/${name}`),
    );
  });

  it('packing left the workspace manifests as they were (nothing versioned)', async () => {
    for (const name of publicPackages) {
      expect(await readFile(packageFile(name), 'utf8')).toBe(manifestsBefore.get(name));
    }
  });

  it('installs working command-line tools (logtank-emulator, logtank)', async () => {
    for (const command of ['logtank-emulator', 'logtank']) {
      const run = await runChild(
        join(appDirectory, 'node_modules', '.bin', command),
        ['--version'],
        {
          cwd: appDirectory,
          env: environmentWithoutLts(),
          timeoutMs: 20_000,
        },
      );
      expect(run.code, `${command} --version: ${run.stderr}`).toBe(0);
      expect(run.stdout.trim()).toBe(JSON.parse(manifestsBefore.get('core')!).version);
    }
  });
});

/** Each fixture script, and how to read the message back out of a record it sent. */
const scripts: [file: string, messageOf: (content: string) => unknown][] = [
  ['core.mjs', (content) => content],
  ['core.cjs', (content) => content],
  ['winston.mjs', (content) => JSON.parse(content).message],
  ['winston.cjs', (content) => JSON.parse(content).message],
  ['pino.mjs', (content) => JSON.parse(content).msg],
  ['pino.cjs', (content) => JSON.parse(content).msg],
  ['log4js.cjs', (content) => JSON.parse(content).message],
  ['log4js.mjs', (content) => JSON.parse(content).message],
];

describe('an app outside the workspace using the installed packages', () => {
  it.each(scripts)(
    '%s delivers every record to the installed emulator',
    async (file, messageOf) => {
      const run = await runChild(process.execPath, [file], {
        cwd: appDirectory,
        env: { ...environmentWithoutLts(), ...emulatorHost!.environment },
        timeoutMs: 30_000,
      });
      expect(run.code, `${file} failed:\n${run.stderr}`).toBe(0);
      expect(run.stderr).toBe('');

      const label = file.replace('.', '-');
      const received = (await emulatorHost!.records()).filter(
        (record) => record.labels.script === label,
      );
      expect(received.map((record) => messageOf(record.content))).toEqual(messages);
    },
  );
});

/** The installed emulator, running in its own process (pino's worker blocks the main thread at exit). */
interface EmulatorHost {
  environment: Record<string, string>;
  records(): Promise<ReceivedRecord[]>;
  stop(): Promise<void>;
}

async function startEmulatorHost(cwd: string): Promise<EmulatorHost> {
  const child: ChildProcess = spawn(process.execPath, ['emulator-host.cjs'], {
    cwd,
    env: environmentWithoutLts(),
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const lines = createInterface({ input: child.stdout! });
  const firstLine = await Promise.race([
    new Promise<string>((resolve) => lines.once('line', resolve)),
    exited.then(() => Promise.reject(new Error('the emulator host exited before it started'))),
    new Promise<never>((_, reject) =>
      setTimeout(
        () => reject(new Error('the emulator host did not start in 30 s')),
        30_000,
      ).unref(),
    ),
  ]).catch((error: unknown) => {
    child.kill('SIGKILL');
    throw error;
  });
  const options = JSON.parse(firstLine) as Record<string, string>;
  return {
    environment: {
      LTS_ENDPOINT: options.endpoint!,
      LTS_PROJECT_ID: options.projectId!,
      LTS_LOG_GROUP_ID: options.logGroupId!,
      LTS_LOG_STREAM_ID: options.logStreamId!,
      LTS_TOKEN: options.token!,
    },
    async records() {
      const response = await fetch(`${options.endpoint}/_emulator/records`);
      return (await response.json()) as ReceivedRecord[];
    },
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.stdin!.end();
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

function packageFile(name: string): string {
  return join(root, 'packages', name, 'package.json');
}

/** winston, pino and log4js at the versions the workspace tests (the examples pin them). */
async function frameworkVersions(): Promise<string[]> {
  if (latest) return ['winston@latest', 'pino@latest', 'log4js@latest'];
  const specifiers: string[] = [];
  for (const framework of ['winston', 'pino', 'log4js']) {
    const manifest = JSON.parse(
      await readFile(join(root, 'examples', `${framework}-app`, 'package.json'), 'utf8'),
    ) as { dependencies: Record<string, string> };
    specifiers.push(`${framework}@${manifest.dependencies[framework]}`);
  }
  return specifiers;
}

/** What the app got of the frameworks and what our packages build on. */
async function installedVersions(): Promise<string[]> {
  const names = [
    'winston',
    'winston-transport',
    'pino',
    'pino-abstract-transport',
    'thread-stream',
    'log4js',
    'undici',
  ];
  return Promise.all(
    names.map(async (name) => {
      const manifest = await readFile(
        join(appDirectory, 'node_modules', name, 'package.json'),
        'utf8',
      ).catch(() => '{}');
      return `${name}@${(JSON.parse(manifest) as { version?: string }).version ?? 'missing'}`;
    }),
  );
}

/**
 * The environment for npm: without LTS_* and without the npm_* variables pnpm
 * sets for its scripts (they are pnpm's settings, not the app's), keeping the
 * registry, cache and proxy settings a machine may need.
 */
function npmEnvironment(): NodeJS.ProcessEnv {
  const kept = /^npm_config_(registry|cache|proxy|https_proxy|noproxy|strict_ssl|cafile)$/i;
  return Object.fromEntries(
    Object.entries(environmentWithoutLts()).filter(
      ([name]) => !/^npm_/i.test(name) || kept.test(name),
    ),
  );
}
