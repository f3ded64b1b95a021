import { type ChildRun, runProcess } from '@logtank/test-support';

export { type ChildRun, killChildren } from '@logtank/test-support';

/** Options of {@link runChild}. */
export interface RunChildOptions {
  cwd: string;
  /** The whole environment of the child (nothing is inherited implicitly). */
  env: NodeJS.ProcessEnv;
  /** The child is killed, and the run rejected, after this long. */
  timeoutMs: number;
}

/**
 * Runs `command` without a shell and resolves when it has exited. A child
 * still running after `timeoutMs` is killed and the run rejected with what it
 * printed, so a hung step fails the test instead of hanging it.
 */
export function runChild(
  command: string,
  argumentList: string[],
  options: RunChildOptions,
): Promise<ChildRun> {
  return runProcess(command, argumentList, { ...options, inheritEnvironment: false });
}

/** The environment without `LTS_*`, so the outer shell cannot redirect a test. */
export function environmentWithoutLts(
  environment: NodeJS.ProcessEnv = process.env,
): NodeJS.ProcessEnv {
  return Object.fromEntries(
    Object.entries(environment).filter(
      ([name]) => !name.startsWith('LTS_') && !name.startsWith('HUAWEICLOUD_SDK_'),
    ),
  );
}
