/**
 * The credentials a bench client can use: `token` (the default) sends
 * `X-Auth-Token`; `access-key` signs every attempt with an AK/SK
 * (SDK-HMAC-SHA256 over the body). The sink verifies neither and answers 200
 * whatever the auth, so an `access-key` run measures the client's cost of
 * signing, not a server's of checking.
 */
export const credentialKinds = ['token', 'access-key'];

const credentialOptions = {
  token: { token: 'bench-token' },
  // The shapes of a Huawei AK (20 characters) and SK (40); neither is real.
  'access-key': {
    accessKey: { id: 'BENCHACCESSKEYID0000', secret: 'benchSecretAccessKey00000000000000000000' },
  },
};

/** `kind` if it names credentials above; throws otherwise (fails early on a typo). */
export function credentialKind(kind) {
  if (!credentialKinds.includes(kind)) {
    throw new Error(`no credentials named ${kind}: use ${credentialKinds.join(' or ')}`);
  }
  return kind;
}

/**
 * Options that point a logtank client (or adapter) at the sink: any ids of the
 * right shape, the credentials `BENCH_CREDENTIALS` names (a token unless it
 * says `access-key`), plus what `compare.mjs --client-options` asked for.
 */
export function ltsOptionsFor(sinkUrl) {
  return {
    endpoint: sinkUrl,
    projectId: '0123456789abcdef0123456789abcdef',
    logGroupId: '01234567-89ab-cdef-0123-456789abcdef',
    logStreamId: 'fedcba98-7654-3210-fedc-ba9876543210',
    ...credentialOptions[credentialKind(process.env.BENCH_CREDENTIALS || 'token')],
    ...JSON.parse(process.env.BENCH_CLIENT_OPTIONS || '{}'),
  };
}
