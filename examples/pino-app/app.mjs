// A small checkout service that logs through pino and ships every line to
// Huawei Cloud LTS with @logtank/pino, running in pino's worker thread.
//
// Where to send comes only from the environment (LTS_ENDPOINT, LTS_PROJECT_ID,
// LTS_LOG_GROUP_ID, LTS_LOG_STREAM_ID, and LTS_TOKEN or HUAWEICLOUD_SDK_AK/SK): the worker reads them, so
// the options carry no ids or secrets, just the labels that say which app is
// talking.
import pino from 'pino';

const transport = pino.transport({
  target: '@logtank/pino',
  options: {
    labels: { app: 'pino-app', env: 'demo' },
    labelKeys: ['level'],
  },
});

const logger = pino({ base: { service: 'checkout' } }, transport);

logger.info({ port: 8081, pid: process.pid }, 'checkout service started');

const basket = logger.child({ module: 'basket' });
basket.info({ basketId: 'b-501', items: [{ sku: 'mug-02', quantity: 1 }] }, 'item added');
basket.warn({ basketId: 'b-502', reservedForMs: 900_000 }, 'stock reservation about to expire');

try {
  JSON.parse('{ "broken": ');
} catch (error) {
  // pino serialises an Error under `err` with its type, message and stack.
  basket.error({ err: error, basketId: 'b-503' }, 'could not read the saved basket');
}

logger.debug('not sent: below the logger level');
logger.info({ orderId: 'o-2001', totalCents: 1250 }, 'order placed');
logger.info('checkout service stopping');

// pino's documented shutdown of a transport: end it. The worker delivers what
// it buffered (within closeTimeoutMs) before the process exits; nothing keeps
// the program alive after that, so it ends by itself.
console.log('pino-app: ending the transport');
transport.end();
