import { once } from 'node:events';
import { fileURLToPath } from 'node:url';

// Libraries are imported inside each case: a case's process loads only what that case uses.
const loadPino = async () => (await import('pino')).default;

/** Ends a pino.transport stream the documented way and waits for its worker to close. */
async function endTransport(transport) {
  const closed = once(transport, 'close');
  transport.end();
  await closed;
}

function transportCase(target, options) {
  return async () => {
    const pino = await loadPino();
    const transport = pino.transport({ target, options });
    const logger = pino(transport);
    return {
      log: (fields, message) => logger.info(fields, message),
      close: () => endTransport(transport),
    };
  };
}

/** The pino cases: the floor, ours and the peers. */
export const pinoCases = [
  {
    name: 'pino-devnull',
    framework: 'pino',
    role: 'floor',
    label: "pino → pino.destination('/dev/null')",
    open: async () => {
      const pino = await loadPino();
      const destination = pino.destination('/dev/null');
      const logger = pino(destination);
      return {
        log: (fields, message) => logger.info(fields, message),
        close: async () => destination.flushSync(),
      };
    },
  },
  {
    name: 'pino-discard',
    framework: 'pino',
    role: 'ceiling',
    label: 'pino + a worker transport that discards (the ceiling)',
    open: () => transportCase(fileURLToPath(new URL('discard-transport.mjs', import.meta.url)))(),
  },
  {
    name: 'pino-logtank',
    framework: 'pino',
    role: 'ours',
    label: 'pino + @logtank/pino (worker)',
    open: ({ ltsOptions }) => transportCase('@logtank/pino', ltsOptions)(),
  },
  {
    name: 'pino-loki',
    framework: 'pino',
    role: 'peer',
    label: 'pino + pino-loki (defaults)',
    open: ({ sinkUrl }) => transportCase('pino-loki', { host: sinkUrl })(),
  },
  {
    name: 'pino-loki-unbounded',
    framework: 'pino',
    role: 'peer',
    label: 'pino + pino-loki (maxBufferSize 0)',
    open: ({ sinkUrl }) =>
      transportCase('pino-loki', { host: sinkUrl, batching: { interval: 5, maxBufferSize: 0 } })(),
  },
  {
    name: 'pino-axiom',
    framework: 'pino',
    role: 'peer',
    label: 'pino + @axiomhq/pino',
    open: ({ sinkUrl }) =>
      transportCase('@axiomhq/pino', { dataset: 'bench', token: 'xaat-bench', url: sinkUrl })(),
  },
];
