import build from 'pino-abstract-transport';

/**
 * A pino.transport target that reads every line and keeps none: the most any
 * worker transport can reach (the pino "ceiling" case). Lines are read as
 * strings, without parsing.
 */
export default async function discardTransport() {
  return build(
    async (source) => {
      for await (const _line of source) {
        // Discarded.
      }
    },
    { parse: 'lines', expectPinoConfig: true },
  );
}
