import { describe, expect, it } from 'vitest';
import TransportStream from 'winston-transport';
import { winston } from './winston-harness.ts';

// What @logtank/winston relies on that winston does not document (see
// hasWarnListener in src/transport.ts): if an upgrade changes it, this fails.

class Plain extends TransportStream {
  override log(_info: unknown, callback: () => void): void {
    callback();
  }
}

describe('winston, as the transport relies on it', () => {
  it('adds exactly one warn listener to a transport it is given, which re-emits on the logger', () => {
    const transport = new Plain();
    expect(transport.listenerCount('warn')).toBe(0);
    const logger = winston.createLogger({ transports: [transport] });
    expect(transport.listenerCount('warn')).toBe(1);
    const seen: unknown[] = [];
    logger.on('warn', (warning) => seen.push(warning));
    const warning = new Error('a warning');
    transport.emit('warn', warning);
    expect(seen).toEqual([warning]);
    logger.end();
  });
});
