import { afterEach, describe, expect, it } from 'vitest';
import { killStarted, runNodeScript } from './node-script.ts';

afterEach(killStarted);

describe('probes/undici-tier-up.mjs', () => {
  it('delivers its requests through the client and prints the CPU of both phases', async () => {
    const { code, stdout, stderr } = await runNodeScript(
      ['probes/undici-tier-up.mjs', '--requests', '3'],
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
