'use strict';
// winston's shared transport conformance suite (mocha only: it uses mocha's
// globals and `done` callbacks), run against LtsTransport loaded by package
// name from its CommonJS build and pointed at a running emulator. The suite
// creates a transport per test and never closes it: `afterEach` does, and the
// last `after` checks that what the suite logged reached the emulator.
const assert = require('node:assert');
const { startEmulator } = require('@logtank/emulator');
const { LtsTransport } = require('@logtank/winston');
const abstractWinstonTransport = require('abstract-winston-transport');

let emulator;
const transports = [];

before(async () => {
  emulator = await startEmulator();
});

/** LtsTransport itself, only remembering its instances: the suite creates one per test and never closes them. */
class TrackedLtsTransport extends LtsTransport {
  constructor(options) {
    super(options);
    transports.push(this);
  }
}

abstractWinstonTransport({
  name: 'LtsTransport',
  Transport: TrackedLtsTransport,
  construct: () => ({ ...emulator.clientOptions(), lingerMs: 10 }),
  afterEach: (_options, done) => {
    closeAll().then(() => done(), done);
  },
});

/** Ends every transport made so far and waits for its `finish` (delivery done). */
function closeAll() {
  return Promise.all(
    transports.splice(0).map(
      (transport) =>
        new Promise((resolve) => {
          transport.once('finish', resolve);
          transport.end();
        }),
    ),
  );
}

after(async () => {
  await closeAll();
  try {
    // Three of the suite's tests log one `{"level":"debug","message":"foo"}` each.
    const contents = emulator.records().map((record) => record.content);
    assert.deepStrictEqual(contents, Array(3).fill('{"level":"debug","message":"foo"}'));
  } finally {
    await emulator.stop();
  }
});
