import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const benchFolder = fileURLToPath(new URL('..', import.meta.url));

/** Runs a probe script with `args`; resolves its exit code and output, kills it after `timeoutMs`. */
function runProbe(
  script: string,
  args: string[],
  timeoutMs: number,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [script, ...args], {
      cwd: benchFolder,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString('utf8');
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString('utf8');
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

describe('probes/undici-tier-up.mjs', () => {
  it('delivers its requests through the client and prints the CPU of both phases', async () => {
    const { code, stdout, stderr } = await runProbe(
      'probes/undici-tier-up.mjs',
      ['--requests', '3'],
      20_000,
    );
    expect(code, stderr).toBe(0);
    expect(stdout).toMatch(/^3 request\(s\) +CPU \d+ ms/m);
    expect(stdout).toMatch(/^the next 1\.5 s, idle +CPU \d+ ms/m);
    if (process.platform === 'linux') {
      expect(stdout).toMatch(/main thread \d+ ms, other threads \d+ ms/);
    }
  });
});
