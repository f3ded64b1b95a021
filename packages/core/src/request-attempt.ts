import type { RequestAuthorizer } from './authorizer.ts';
import { clockSkewNote } from './clock-skew.ts';
import type { Delivery } from './delivery.ts';
import { LtsDeliveryError } from './errors.ts';
import type { HttpOrigin, HttpResponse } from './http.ts';
import type { Ledger } from './ledger.ts';
import { describeForeignAnswer, describeResponse, isLtsSuccess } from './lts-answer.ts';
import type { Reporter } from './reporter.ts';
import {
  type AttemptVerdict,
  parseRetryAfter,
  verdictForError,
  verdictForStatus,
} from './retry.ts';
import { version } from './version.ts';

const userAgent = `logtank/${version} node/${process.versions.node}`;

/** What one attempt needs. */
export interface AttemptContext {
  http: HttpOrigin;
  authorizer: RequestAuthorizer;
  ledger: Ledger;
  reporter: Reporter;
  path: string;
  maxAttempts: number;
}

/**
 * One request for a batch; its outcome as a verdict (the LTS status table).
 * Counts the request and reports a failure to `onError`.
 */
export async function attemptRequest(
  context: AttemptContext,
  delivery: Delivery,
  authorizedHeaders: Record<string, string>,
  body: Buffer,
): Promise<AttemptVerdict> {
  const { ledger } = context;
  delivery.attempts += 1;
  if (delivery.attempts > 1) ledger.retries += 1;
  ledger.requests += 1;
  ledger.inFlightRequests += 1;
  let verdict: AttemptVerdict;
  let response: HttpResponse | undefined;
  let errorCode: string | undefined;
  let cause: unknown;
  try {
    response = await context.http.post(
      context.path,
      { ...authorizedHeaders, 'user-agent': userAgent },
      body,
      delivery.requestSignal(),
    );
    ({ verdict, errorCode } = verdictForResponse(response, context.authorizer.signs));
  } catch (error) {
    cause = error;
    verdict = verdictForError(error);
    // A proxy in the way is the first suspect of a network error: say which, and where it was set.
    const route = context.http.route;
    if (route !== undefined && verdict.action !== 'delivered') {
      verdict.reason = `${verdict.reason} (${route})`;
    }
  } finally {
    ledger.inFlightRequests -= 1;
    delivery.requestDone();
  }
  if (verdict.action !== 'delivered' && !delivery.batch.settled) {
    const retryable = verdict.action === 'retry' && delivery.attempts < context.maxAttempts;
    context.reporter.error(
      new LtsDeliveryError(
        `LTS request with ${delivery.batch.count} records failed (attempt ${delivery.attempts} of ${context.maxAttempts}, ${outcomeOf(verdict, retryable, context.authorizer, delivery)}): ${verdict.reason}`,
        {
          records: delivery.batch.count,
          retryable,
          ...(response === undefined ? {} : { status: response.status }),
          ...(errorCode === undefined ? {} : { errorCode }),
          ...(cause === undefined ? {} : { cause }),
        },
      ),
    );
  }
  return verdict;
}

function verdictForResponse(
  response: HttpResponse,
  signed: boolean,
): { verdict: AttemptVerdict; errorCode?: string } {
  const { status } = response;
  if (status >= 200 && status < 400 && !(status < 300 && isLtsSuccess(response))) {
    // A 2xx that is not LTS's answer, or a redirect: a failed attempt, retried.
    return { verdict: { action: 'retry', reason: describeForeignAnswer(response) } };
  }
  const described = status < 300 ? { message: '' } : describeResponse(response);
  const verdict = verdictForStatus(status, described.message);
  if (verdict.action === 'renew-token' && signed) {
    const note = clockSkewNote(response);
    if (note !== undefined) verdict.reason = `${verdict.reason}; ${note}`;
  }
  if (verdict.action === 'retry') {
    const retryAfterMs = parseRetryAfter(response.headers['retry-after']);
    if (retryAfterMs !== undefined) verdict.retryAfterMs = retryAfterMs;
  }
  return described.errorCode === undefined
    ? { verdict }
    : { verdict, errorCode: described.errorCode };
}

/** What the client does next, for the error's message. */
function outcomeOf(
  verdict: AttemptVerdict,
  retryable: boolean,
  authorizer: RequestAuthorizer,
  delivery: Delivery,
): string {
  switch (verdict.action) {
    case 'retry':
      return retryable ? 'will retry' : 'giving up';
    case 'renew-token':
      return authorizer.renews && !delivery.credentialRenewed
        ? `renewing ${authorizer.describes}`
        : 'not retried';
    case 'split':
      return 'splitting the batch';
    default:
      return 'not retried';
  }
}
