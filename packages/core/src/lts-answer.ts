import type { HttpResponse } from './http.ts';

/** How much of an unexpected body an error message quotes. */
const excerptLength = 120;

/**
 * Whether a 2xx answer is LTS's own: a JSON object whose `errorCode` names
 * success (`SVCSTG.ALS.200.200`). A captive portal or a misconfigured proxy
 * answering 200 with a page must not count as delivery.
 */
export function isLtsSuccess(response: HttpResponse): boolean {
  try {
    const parsed = JSON.parse(response.body) as Record<string, unknown> | null;
    const code = parsed?.errorCode ?? parsed?.error_code;
    return typeof code === 'string' && /\.200\.\d+$/.test(code);
  } catch {
    return false;
  }
}

/** Why a 2xx or 3xx answer is not taken as delivery: what answered, and where it pointed. */
export function describeForeignAnswer(response: HttpResponse): string {
  const header = (name: string) => {
    const value = response.headers[name];
    return Array.isArray(value) ? value[0] : value;
  };
  if (response.status >= 300 && response.status < 400) {
    const location = header('location');
    return `HTTP ${response.status} redirect${location ? ` to ${location.slice(0, 200)}` : ''}, not followed: the endpoint must be LTS itself (a proxy or captive portal in the way?)`;
  }
  const type = header('content-type');
  const excerpt = response.body.slice(0, excerptLength).replace(/\s+/g, ' ').trim();
  return `HTTP ${response.status} but not an LTS answer${type ? ` (${type})` : ''}: ${excerpt === '' ? 'an empty body' : JSON.stringify(excerpt)}`;
}

/** The reason LTS gave, from a `{errorCode, error_msg, result}` body, as one line. */
export function describeResponse(response: HttpResponse): { errorCode?: string; message: string } {
  let errorCode: string | undefined;
  let detail = '';
  try {
    const parsed = JSON.parse(response.body) as Record<string, unknown>;
    // LTS says errorCode; Huawei's API gateway (in front of it) says error_code.
    const code = parsed.errorCode ?? parsed.error_code;
    // Only a code-shaped value is a code: a server echoing headers there must
    // not put a token into a field that is not masked like a message.
    if (typeof code === 'string' && /^[A-Za-z0-9._-]{1,64}$/.test(code)) errorCode = code;
    if (typeof parsed.error_msg === 'string') detail = parsed.error_msg;
    else if (typeof parsed.result === 'string') detail = parsed.result;
  } catch {
    detail = response.body.slice(0, 200).replace(/\s+/g, ' ').trim();
  }
  const message = `HTTP ${response.status}${errorCode ? ` ${errorCode}` : ''}${detail ? `: ${detail}` : ''}`;
  return errorCode === undefined ? { message } : { errorCode, message };
}
