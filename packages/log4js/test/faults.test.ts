import { describeFaultScenarios } from '@logtank/adapter-suite';
import { log4jsDriver } from './log4js-driver.ts';

// LTS failing under the real log4js: every scenario is shared with the other adapters.
describeFaultScenarios(log4jsDriver);
