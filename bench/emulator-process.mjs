/**
 * The logtank emulator in its own process (forked by run.mjs) for the
 * throughput test. It only counts (store: false): keeping hundreds of MB of
 * records would measure the emulator's heap, not the client.
 */
import { startEmulator } from '@logtank/emulator';

const emulator = await startEmulator({ store: false });
process.send?.({ type: 'ready', clientOptions: emulator.clientOptions() });
process.on('disconnect', async () => {
  await emulator.stop();
  process.exit(0);
});
