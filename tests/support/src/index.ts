/**
 * What the workspace's tests share. Private: test code only, imported as
 * TypeScript source by vitest and tsc.
 */
export {
  type ChildRun,
  fixtureRunner,
  killChildren,
  type RunningChild,
  type RunOptions,
  runNode,
  runProcess,
  startProcess,
} from './child-process.ts';
export { closedPort } from './closed-port.ts';
export { type EmulatorFixtures, emulatorTest } from './emulator-test.ts';
export { type ForwardProxy, type ProxiedRequest, startForwardProxy } from './forward-proxy.ts';
export { byTime } from './records-in-time-order.ts';
export { type TemporaryKey, temporaryKey } from './temporary-key.ts';
