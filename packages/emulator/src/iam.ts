import type { IncomingMessage } from 'node:http';
import { readBody } from './request-body.ts';
import type { TokenRegistry } from './tokens.ts';
import { generateToken } from './tokens.ts';
import type { IamUser } from './types.ts';

/** An answer of the IAM stand-in. */
export interface IamAnswer {
  status: number;
  headers: Record<string, string>;
  body: Record<string, unknown>;
}

const titles: Record<number, string> = {
  401: 'Unauthorized',
  405: 'Method Not Allowed',
  413: 'Payload Too Large',
};

function iamError(status: number, message: string): IamAnswer {
  const title = titles[status] ?? 'Bad Request';
  return { status, headers: {}, body: { error: { code: status, message, title } } };
}

/**
 * `POST /v3/auth/tokens` with a password identity (spec/API-NOTES.md §4):
 * 201, the token in `X-Subject-Token`, `token.expires_at` in the body.
 */
export function iamLogin(
  text: string,
  options: { users: IamUser[] | undefined; lifetimeMs: number; tokens: TokenRegistry },
): IamAnswer {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return iamError(400, 'The request body is not valid JSON.');
  }
  const auth = (body as { auth?: Record<string, unknown> } | null)?.auth;
  const identity = auth?.identity as
    | { methods?: unknown; password?: { user?: Record<string, unknown> } }
    | undefined;
  if (!Array.isArray(identity?.methods) || !identity.methods.includes('password')) {
    return iamError(400, 'auth.identity.methods must include "password".');
  }
  const user = identity.password?.user;
  const name = user?.name;
  const password = user?.password;
  const domain = (user?.domain as { name?: unknown } | undefined)?.name;
  if (typeof name !== 'string' || typeof password !== 'string' || typeof domain !== 'string') {
    return iamError(
      400,
      'auth.identity.password.user needs name, password and domain.name strings.',
    );
  }
  const project = (auth?.scope as { project?: { id?: unknown; name?: unknown } } | undefined)
    ?.project;
  if (typeof project?.id !== 'string' && typeof project?.name !== 'string') {
    return iamError(400, 'auth.scope.project needs an id or a name.');
  }
  if (
    options.users !== undefined &&
    !options.users.some(
      (candidate) =>
        candidate.userName === name &&
        candidate.password === password &&
        candidate.domainName === domain,
    )
  ) {
    return iamError(401, 'The username or password is wrong.');
  }
  const token = generateToken();
  const issuedAt = new Date();
  const expiresAt = new Date(issuedAt.getTime() + options.lifetimeMs);
  options.tokens.add({ token, expiresAt }, true);
  return {
    status: 201,
    headers: { 'x-subject-token': token },
    body: {
      token: {
        expires_at: expiresAt.toISOString(),
        issued_at: issuedAt.toISOString(),
        methods: ['password'],
        project: {
          id: project.id ?? 'emulated-project-id',
          name: project.name ?? 'emulated-region',
        },
        user: { name, domain: { name: domain } },
      },
    },
  };
}

/**
 * Answers one request to `POST /v3/auth/tokens`: 405 for another method,
 * 413 beyond 1 MiB, else {@link iamLogin}; 'aborted' when the client went away.
 */
export async function answerIamRequest(
  request: IncomingMessage,
  options: { users: IamUser[] | undefined; lifetimeMs: number; tokens: TokenRegistry },
): Promise<(IamAnswer & { bytes: number }) | 'aborted'> {
  if (request.method !== 'POST') {
    request.resume();
    return { ...iamError(405, 'Use POST.'), bytes: 0 };
  }
  const raw = await readBody(request, 1024 * 1024);
  if (raw === 'aborted') return raw;
  if (raw === 'too-large') {
    return { ...iamError(413, 'Body too large.'), headers: { connection: 'close' }, bytes: 0 };
  }
  return { ...iamLogin(raw.toString('utf8'), options), bytes: raw.length };
}
