// A small billing service that logs through log4js and ships every event to
// Huawei Cloud LTS with the @logtank/log4js appender.
//
// Where to send comes only from the environment (LTS_ENDPOINT, LTS_PROJECT_ID,
// LTS_LOG_GROUP_ID, LTS_LOG_STREAM_ID, and LTS_TOKEN or HUAWEICLOUD_SDK_AK/SK): the config holds no ids or
// secrets, just the labels that say which app is talking.
import log4js from 'log4js';

log4js.configure({
  appenders: {
    lts: {
      type: '@logtank/log4js',
      labels: { app: 'log4js-app', env: 'demo' },
      labelKeys: ['level', 'category'],
    },
  },
  categories: {
    default: { appenders: ['lts'], level: 'info' },
    invoices: { appenders: ['lts'], level: 'debug' },
  },
});

const logger = log4js.getLogger('billing');
logger.info('billing service started on port %d (pid %d)', 8082, process.pid);

const invoices = log4js.getLogger('invoices');
invoices.addContext('tenant', 'acme');
invoices.debug('rendering invoice %s with %d lines', 'inv-3001', 3);
invoices.info('invoice %s sent to %s', 'inv-3001', 'billing@acme.example');
invoices.warn('invoice %s is %d days overdue', 'inv-2950', 14);

try {
  throw new TypeError('amount must be a positive number, got -5');
} catch (error) {
  invoices.error('could not create the credit note for %s:', 'inv-2951', error);
}

logger.trace('not sent: below the category level');
logger.info('monthly totals', { invoices: 42, totalCents: 1_234_500 });
logger.info('billing service stopping');

// log4js's documented shutdown: the callback runs once the appender has
// delivered what it buffered (within closeTimeoutMs).
log4js.shutdown((error) => {
  if (error) {
    console.error('log4js-app: shutdown failed:', error);
    process.exitCode = 1;
    return;
  }
  console.log('log4js-app: log4js shut down');
});
