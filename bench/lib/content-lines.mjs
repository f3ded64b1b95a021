import { fieldsOf, messageFor } from './records.mjs';

/** The lines a logger would hand to core: one JSON object per record, like pino's output. */
export function recordObjects(count, recordBytes) {
  const message = messageFor(recordBytes);
  const objects = new Array(count);
  const time = Date.now();
  for (let index = 0; index < count; index++) {
    objects[index] = { level: 30, time, pid: process.pid, ...fieldsOf(index), msg: message };
  }
  return objects;
}
