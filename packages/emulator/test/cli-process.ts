import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const packageRoot = new URL('../', import.meta.url);
const manifest = JSON.parse(readFileSync(new URL('package.json', packageRoot), 'utf8')) as {
  bin: Record<string, string>;
};

/** The built CLI, as the package's `bin` names it (so a wrong `bin` fails the tests). */
export const cliPath = fileURLToPath(new URL(manifest.bin['logtank-emulator']!, packageRoot));

/** How the CLI ended. */
export interface CliExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** A running `logtank-emulator`. */
export interface CliProcess {
  child: ChildProcess;
  output(): { stdout: string; stderr: string };
  /** Resolves with the first match of `pattern` in stdout; rejects after `timeoutMs` or on exit. */
  waitForOutput(pattern: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
  /** Resolves when it exits; kills it with SIGKILL (and rejects) after `timeoutMs`. */
  exited: Promise<CliExit>;
}

const running = new Set<ChildProcess>();

/** Starts the CLI with `node`, bounded by a timeout. */
export function startCli(args: string[], timeoutMs = 20_000): CliProcess {
  const child = spawn(process.execPath, [cliPath, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  let stdout = '';
  let stderr = '';
  const listeners = new Set<() => void>();
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
    for (const listener of listeners) listener();
  });
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  const exited = new Promise<CliExit>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`logtank-emulator did not exit within ${timeoutMs} ms; stderr: ${stderr}`));
    }, timeoutMs);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      running.delete(child);
      for (const listener of listeners) listener();
      resolve({ code, signal, stdout, stderr });
    });
  });
  exited.catch(() => {});
  return {
    child,
    output: () => ({ stdout, stderr }),
    exited,
    waitForOutput: (pattern, waitMs = 10_000) =>
      new Promise((resolve, reject) => {
        const check = () => {
          const match = stdout.match(pattern);
          if (match !== null) {
            settle();
            resolve(match);
          } else if (child.exitCode !== null || child.signalCode !== null) {
            settle();
            reject(
              new Error(`logtank-emulator exited before printing ${pattern}; stderr: ${stderr}`),
            );
          }
        };
        const timer = setTimeout(() => {
          settle();
          reject(
            new Error(`no ${pattern} within ${waitMs} ms; stdout: ${stdout}; stderr: ${stderr}`),
          );
        }, waitMs);
        const settle = () => {
          clearTimeout(timer);
          listeners.delete(check);
        };
        listeners.add(check);
        check();
      }),
  };
}

/** Kills every CLI still running (for afterEach). */
export async function killAll(): Promise<void> {
  const waits = [...running].map(
    (child) =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGKILL');
      }),
  );
  await Promise.all(waits);
}

/** What a client needs to reach the CLI's emulator, read from its banner. */
export interface BannerTarget {
  url: string;
  ids: { projectId: string; logGroupId: string; logStreamId: string };
  accessKey: { id: string; secret: string };
  region: string;
}

/** Reads the endpoint, the ids, the sample access key and the region from the CLI's banner. */
export function bannerTarget(banner: string): BannerTarget {
  const variables = Object.fromEntries(
    [...banner.matchAll(/\b([A-Z_]+)=(\S+)/g)].map((match) => [match[1]!, match[2]!]),
  );
  return {
    url: banner.match(/listening on (\S+)/)![1]!,
    ids: {
      projectId: variables.LTS_PROJECT_ID!,
      logGroupId: variables.LTS_LOG_GROUP_ID!,
      logStreamId: variables.LTS_LOG_STREAM_ID!,
    },
    accessKey: { id: variables.HUAWEICLOUD_SDK_AK!, secret: variables.HUAWEICLOUD_SDK_SK! },
    region: variables.HUAWEICLOUD_SDK_REGION!,
  };
}
