import { LtsTokenError } from './errors.ts';
import type { HttpOrigin } from './http.ts';
import { describeResponse } from './lts-answer.ts';
import type { ResolvedIamOptions } from './options.ts';
import { describeNetworkError } from './retry.ts';

/** A token from IAM and when it stops working. */
export interface IamToken {
  token: string;
  expiresAtMs: number;
}

/** Logs in with the password identity (`POST /v3/auth/tokens`); the token is in `X-Subject-Token`. */
export async function iamLogin(http: HttpOrigin, iam: ResolvedIamOptions): Promise<IamToken> {
  const body = JSON.stringify({
    auth: {
      identity: {
        methods: ['password'],
        password: {
          user: { name: iam.userName, password: iam.password, domain: { name: iam.domainName } },
        },
      },
      scope: { project: iam.scope },
    },
  });
  const path = `${iam.endpoint.pathname.replace(/\/$/, '')}/v3/auth/tokens`;
  let response: Awaited<ReturnType<HttpOrigin['post']>>;
  try {
    response = await http.post(path, { 'content-type': 'application/json;charset=UTF-8' }, body);
  } catch (error) {
    throw new LtsTokenError(
      `IAM login at ${iam.endpoint.origin} failed: ${describeNetworkError(error)}${http.route === undefined ? '' : ` (${http.route})`}`,
      true,
      error,
    );
  }
  if (response.status !== 201 && response.status !== 200) {
    const retryable = response.status === 429 || response.status >= 500;
    throw new LtsTokenError(
      `IAM login at ${iam.endpoint.origin} for user ${iam.userName} (domain ${iam.domainName}) was refused: ${describeResponse(response).message}`,
      retryable,
    );
  }
  const header = response.headers['x-subject-token'];
  const token = Array.isArray(header) ? header[0] : header;
  if (token === undefined || token === '') {
    throw new LtsTokenError(
      `IAM at ${iam.endpoint.origin} answered without an X-Subject-Token header`,
      true,
    );
  }
  let expiresAtMs = Number.NaN;
  try {
    const parsed = JSON.parse(response.body) as { token?: { expires_at?: unknown } };
    if (typeof parsed.token?.expires_at === 'string')
      expiresAtMs = Date.parse(parsed.token.expires_at);
  } catch {
    // Handled below: a token without a known expiry is treated as short-lived.
  }
  // IAM tokens live 24 h; without expires_at assume an hour so it is renewed in good time.
  return { token, expiresAtMs: Number.isNaN(expiresAtMs) ? Date.now() + 3_600_000 : expiresAtMs };
}
