// A small order service that logs through winston and ships every entry to
// Huawei Cloud LTS with @logtank/winston.
//
// Where to send comes only from the environment (LTS_ENDPOINT, LTS_PROJECT_ID,
// LTS_LOG_GROUP_ID, LTS_LOG_STREAM_ID, and LTS_TOKEN or HUAWEICLOUD_SDK_AK/SK): the code holds no ids or
// secrets, just the labels that say which app is talking.
import { LtsDropWarning, LtsTransport } from '@logtank/winston';
import winston from 'winston';

const lts = new LtsTransport({
  labels: { app: 'winston-app', env: 'demo' },
  labelKeys: ['level'],
});

const logger = winston.createLogger({
  level: 'info',
  format: winston.format.combine(
    winston.format.timestamp(),
    winston.format.errors({ stack: true }),
    winston.format.json(),
  ),
  defaultMeta: { service: 'orders' },
  transports: [lts],
});

// Delivery problems reach the logger as 'warn' events (never 'error', which
// would stop an app that does not listen for it). Failed attempts are retried;
// the ones worth a line are records given up on.
logger.on('warn', (warning) => {
  if (warning instanceof LtsDropWarning) console.error(warning.message);
});

logger.info('orders service started', { port: 8080, pid: process.pid });

const payments = logger.child({ module: 'payments' });
payments.info('payment authorised', { orderId: 'o-1001', amountCents: 4999, currency: 'EUR' });
payments.warn('payment provider slow', { orderId: 'o-1002', latencyMs: 2300 });

try {
  throw new Error('card declined', { cause: { code: 'insufficient_funds' } });
} catch (error) {
  // winston merges an Error argument into the entry: message, stack and cause.
  payments.child({ orderId: 'o-1003' }).error('payment failed:', error);
}

logger.debug('not sent: below the logger level');
logger.info('cart updated', { cartId: 'c-77', items: [{ sku: 'tea-01', quantity: 2 }] });
logger.info('orders service stopping');

// winston's documented shutdown: end the logger and wait for 'finish'. The LTS
// transport delivers what it buffered before 'finish' (within closeTimeoutMs).
logger.on('finish', () => {
  const stats = lts.client.stats();
  console.log(
    `winston-app: ${stats.delivered} of ${stats.sent} log entries delivered, ${stats.dropped} dropped`,
  );
  process.exitCode = stats.dropped === 0 ? 0 : 1;
});
logger.end();
