import { describeAccessKeyScenarios } from '@logtank/adapter-suite';
import { winstonDriver } from './winston-driver.ts';

// AK/SK credentials through the real winston: every scenario is shared with
// the other adapters.
describeAccessKeyScenarios(winstonDriver);
