import { type Emulator, type EmulatorOptions, startEmulator } from '@logtank/emulator';
import { test } from 'vitest';

/** The fixtures {@link emulatorTest} adds to a test's context. */
export interface EmulatorFixtures {
  /**
   * The options `emulator` starts with. Default `{}`; a file or a describe
   * block sets its own with `emulatorTest.override({ emulatorOptions })`.
   */
  emulatorOptions: EmulatorOptions;
  /** An emulator started with `emulatorOptions` before the test and stopped after it (after its afterEach hooks). */
  emulator: Emulator;
  /**
   * Starts one more emulator with the options of this test, stopped after the
   * test like `emulator`: for a test that needs options of its own, or several
   * emulators.
   */
  emulatorWith: (options?: EmulatorOptions) => Promise<Emulator>;
}

/**
 * vitest's `test` with an emulator (the local LTS every test delivers to).
 * Fixtures start only when a test names them, so a test that takes only
 * `emulatorWith` starts no default emulator.
 */
export const emulatorTest = test.extend<EmulatorFixtures>({
  emulatorOptions: {},
  emulator: async ({ emulatorOptions }, use) => {
    const emulator = await startEmulator(emulatorOptions);
    try {
      await use(emulator);
    } finally {
      await emulator.stop();
    }
  },
  // biome-ignore lint/correctness/noEmptyPattern: vitest reads what a fixture depends on from this pattern, and this one depends on nothing.
  emulatorWith: async ({}, use) => {
    const started: Emulator[] = [];
    try {
      await use(async (options = {}) => {
        const emulator = await startEmulator(options);
        started.push(emulator);
        return emulator;
      });
    } finally {
      await Promise.all(started.map((emulator) => emulator.stop()));
    }
  },
});
