import type { HttpResponse } from './http.ts';

/** Huawei's gateways refuse a signature made more than 15 minutes from their clock. */
const signatureWindowMs = 15 * 60 * 1000;

/**
 * Why a signed request was refused, when it is the clock: this host's clock
 * is off the server's (its `Date` header) by more than the signature window,
 * or the server says the signature expired. Undefined otherwise.
 */
export function clockSkewNote(response: HttpResponse, nowMs = Date.now()): string | undefined {
  const header = response.headers.date;
  const serverMs = Date.parse((Array.isArray(header) ? header[0] : header) ?? '');
  const skewMs = nowMs - serverMs;
  if (Number.isFinite(skewMs) && Math.abs(skewMs) > signatureWindowMs) {
    const minutes = Math.round(Math.abs(skewMs) / 60_000);
    return `this host's clock is ${minutes} min ${skewMs > 0 ? 'ahead of' : 'behind'} the server's, and a signature is valid only within 15 minutes of the server's time: synchronise the clock (NTP)`;
  }
  if (/signature expired|x-sdk-date.*(expired|time)/i.test(response.body)) {
    return "the server says the signature's time (X-Sdk-Date) is outside its 15-minute window: check this host's clock (NTP)";
  }
  return undefined;
}
