/**
 * The records every case logs: a message and a few fields, sized so that
 * `JSON.stringify({ ...fields, msg })` is about `recordBytes` (the frameworks
 * add their own level, time and so on).
 */
const routes = ['/api/v1/orders', '/api/v1/users', '/api/v1/payments', '/healthz'];
const baseMessage = 'order placed for customer after payment was authorised';

/** Fields of record `index`: cheap to build, different per record. */
export function fieldsOf(index) {
  return {
    requestId: `req-${index.toString(16).padStart(8, '0')}`,
    userId: index % 10_000,
    route: routes[index & 3],
    status: 200,
    durationMs: (index % 997) / 10,
  };
}

/** A message that brings the record to about `recordBytes` bytes as JSON. */
export function messageFor(recordBytes) {
  const overhead = JSON.stringify({ ...fieldsOf(123_456), msg: '' }).length;
  const length = Math.max(baseMessage.length, recordBytes - overhead);
  let message = baseMessage;
  while (message.length < length) message += ` ${baseMessage}`;
  return message.slice(0, length);
}
