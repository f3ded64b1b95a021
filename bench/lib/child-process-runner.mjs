import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const benchFolder = fileURLToPath(new URL('..', import.meta.url));

/**
 * Forks `script` (relative to bench/) with `environment`, waits for its
 * `{ type: 'result' }` message and its exit, and kills it after `timeoutMs`.
 * `execArgv` goes to node (e.g. `--cpu-prof`).
 * Resolves `{ result }` or `{ error }`; never rejects. Keeps the first 4 KB
 * of its stderr for the report.
 */
export function runChild(script, environment, timeoutMs, execArgv = []) {
  return new Promise((resolve) => {
    const child = fork(`${benchFolder}${script}`, [], {
      cwd: benchFolder,
      execArgv,
      env: { ...process.env, ...environment },
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    });
    let result;
    let stderr = '';
    child.stderr.on('data', (chunk) => {
      if (stderr.length < 4096) stderr += chunk.toString('utf8');
    });
    child.on('message', (message) => {
      if (message?.type === 'result') result = message.result;
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      const warnings = stderr.trim().slice(0, 4096);
      if (result !== undefined) resolve({ result: { ...result, warnings } });
      else resolve({ error: `${script} exited (${signal ?? code}) without a result. ${warnings}` });
    });
  });
}

/** Forks a long-lived helper (sink, emulator) and resolves its 'ready' message and a stop function. */
export function startHelper(script) {
  return new Promise((resolve, reject) => {
    const child = fork(`${benchFolder}${script}`, [], {
      cwd: benchFolder,
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${script} did not start`));
    }, 30_000);
    child.once('error', reject);
    child.once('message', (message) => {
      clearTimeout(timer);
      resolve({
        ready: message,
        pid: child.pid,
        stop: () =>
          new Promise((done) => {
            if (child.exitCode !== null || child.signalCode !== null) return done();
            const killer = setTimeout(() => child.kill('SIGKILL'), 5000);
            child.once('exit', () => {
              clearTimeout(killer);
              done();
            });
            child.disconnect();
          }),
      });
    });
  });
}
