/**
 * Options that point a logtank client (or adapter) at the sink: any ids of the
 * right shape, any token; plus what `compare.mjs --client-options` asked for.
 */
export function ltsOptionsFor(sinkUrl) {
  return {
    endpoint: sinkUrl,
    projectId: '0123456789abcdef0123456789abcdef',
    logGroupId: '01234567-89ab-cdef-0123-456789abcdef',
    logStreamId: 'fedcba98-7654-3210-fedc-ba9876543210',
    token: 'bench-token',
    ...JSON.parse(process.env.BENCH_CLIENT_OPTIONS || '{}'),
  };
}
