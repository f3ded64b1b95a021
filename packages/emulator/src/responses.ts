import { randomBytes } from 'node:crypto';

/** Response bodies of the LTS report API, as the reference page documents them. */
export const responseBodies = {
  success: { errorCode: 'SVCSTG.ALS.200.200', error_msg: 'Report success.', result: null },
  internalError: { errorCode: 'SVCSTG.ALS.500.500', error_msg: 'Internal error.', result: null },
  /** 503 carries only `result`, as documented. */
  unavailable: { result: 'The requested service is invalid and unavailable.' },
} as const;

/** The errorCode of each refusal, stable so tests can match on it. */
export const errorCodes = {
  contentType: 'SVCSTG.ALS.400.101',
  bodyNotJson: 'SVCSTG.ALS.400.102',
  bodyNotObject: 'SVCSTG.ALS.400.103',
  logTime: 'SVCSTG.ALS.400.104',
  logTimeOutOfRange: 'SVCSTG.ALS.400.105',
  contents: 'SVCSTG.ALS.400.106',
  labels: 'SVCSTG.ALS.400.107',
  pathParameter: 'SVCSTG.ALS.400.108',
  contentEncoding: 'SVCSTG.ALS.400.109',
  logItems: 'SVCSTG.ALS.400.110',
  tenantProjectId: 'SVCSTG.ALS.400.111',
  unauthorized: 'SVCSTG.ALS.401.101',
  tooLarge: 'SVCSTG.ALS.413.101',
  tooManyRequests: 'SVCSTG.ALS.429.101',
  notFound: 'SVCSTG.ALS.404.101',
  methodNotAllowed: 'SVCSTG.ALS.405.101',
  badGateway: 'SVCSTG.ALS.502.101',
  gatewayTimeout: 'SVCSTG.ALS.504.101',
} as const;

/** A refusal: an HTTP status with the `{errorCode, error_msg, result}` body. */
export class Refusal extends Error {
  constructor(
    readonly status: number,
    readonly errorCode: string,
    message: string,
  ) {
    super(message);
  }

  body(): Record<string, unknown> {
    return { errorCode: this.errorCode, error_msg: this.message, result: null };
  }
}

/**
 * A refusal by Huawei's API gateway, which checks AK/SK signatures before
 * LTS sees the request: 401 with an APIGW body, e.g.
 * `{"error_code":"APIGW.0301","error_msg":"Incorrect IAM authentication information: verify aksk signature fail","request_id":"…"}`.
 */
export class GatewayRefusal extends Refusal {
  readonly requestId = randomBytes(16).toString('hex');

  constructor(detail: string) {
    super(401, 'APIGW.0301', `Incorrect IAM authentication information: ${detail}`);
  }

  override body(): Record<string, unknown> {
    return { error_code: this.errorCode, error_msg: this.message, request_id: this.requestId };
  }
}

/** The body a forced status answers with. */
export function bodyForStatus(status: number): Record<string, unknown> {
  switch (status) {
    case 200:
      return responseBodies.success;
    case 500:
      return responseBodies.internalError;
    case 503:
      return responseBodies.unavailable;
    case 400:
      return {
        errorCode: errorCodes.contents,
        error_msg: 'Forced 400: the request is illegal.',
        result: null,
      };
    case 401:
      return {
        errorCode: errorCodes.unauthorized,
        error_msg: 'Forced 401: authentication failed.',
        result: null,
      };
    case 413:
      return {
        errorCode: errorCodes.tooLarge,
        error_msg: 'Forced 413: the request body is too large.',
        result: null,
      };
    case 429:
      return {
        errorCode: errorCodes.tooManyRequests,
        error_msg: 'Too many requests.',
        result: null,
      };
    case 502:
      return { errorCode: errorCodes.badGateway, error_msg: 'Bad gateway.', result: null };
    case 504:
      return { errorCode: errorCodes.gatewayTimeout, error_msg: 'Gateway timeout.', result: null };
    default:
      return {
        errorCode: `SVCSTG.ALS.${status}.100`,
        error_msg: `Forced status ${status}.`,
        result: null,
      };
  }
}
