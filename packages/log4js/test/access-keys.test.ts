import { describeAccessKeyScenarios } from '@logtank/adapter-suite';
import { log4jsDriver } from './log4js-driver.ts';

// AK/SK credentials through the real log4js: every scenario is shared with
// the other adapters.
describeAccessKeyScenarios(log4jsDriver);
