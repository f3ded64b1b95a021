import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const benchFolder = fileURLToPath(new URL('..', import.meta.url));
const running = new Set<ChildProcess>();

/**
 * Runs `node <args>` in bench/ as its own process group (so that the
 * helpers it forks go with it); resolves its exit code and output, and kills
 * the group after `timeoutMs`.
 */
export function runNodeScript(
  args: string[],
  timeoutMs: number,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, {
      cwd: benchFolder,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    running.add(child);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString('utf8');
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString('utf8');
    });
    const timer = setTimeout(() => killGroup(child), timeoutMs);
    child.on('exit', (code) => {
      clearTimeout(timer);
      running.delete(child);
      resolve({ code, stdout, stderr });
    });
  });
}

/** Kills whatever `runNodeScript` started and is still running (for afterEach, when a test failed early). */
export function killStarted(): void {
  for (const child of running) killGroup(child);
  running.clear();
}

function killGroup(child: ChildProcess): void {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(-child.pid, 'SIGKILL');
  } catch {
    // Already gone.
  }
}
