/**
 * The scenarios every adapter must pass, described once and run per adapter
 * through an {@link AdapterDriver}, and the expectations an adapter's own
 * tests share with them. Private: test code only, imported as TypeScript
 * source by vitest and tsc.
 */
export { describeAccessKeyScenarios } from './access-key-scenarios.ts';
export type {
  AdapterApp,
  AdapterDriver,
  AdapterLogger,
  AppEnding,
  AppRun,
} from './adapter-driver.ts';
export { describeExitScenarios } from './exit-scenarios.ts';
export { describeFaultScenarios } from './fault-scenarios.ts';
export { fallbackContents } from './output-lines.ts';
export { expectKeysRotated, expectSignedOn } from './signing-expectations.ts';
