/**
 * The sink in its own process (forked by run.mjs). Reports its URL over IPC
 * and exits when the parent goes away.
 */
import { startSink } from './lib/sink-server.mjs';

const sink = await startSink();
process.send?.({ type: 'ready', url: sink.url });
process.on('disconnect', async () => {
  await sink.stop();
  process.exit(0);
});
