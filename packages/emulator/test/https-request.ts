import { request } from 'node:https';

/** What an HTTPS request got back. */
export interface HttpsAnswer {
  status: number;
  body: string;
}

/** One HTTPS request with node:https, trusting `ca` when given (and nothing else). */
export function httpsRequest(
  url: string,
  options: { ca?: string; method?: string; headers?: Record<string, string>; body?: string },
): Promise<HttpsAnswer> {
  return new Promise((resolve, reject) => {
    const outgoing = request(
      url,
      {
        method: options.method ?? 'GET',
        headers: options.headers ?? {},
        ...(options.ca === undefined ? {} : { ca: options.ca }),
        agent: false,
        timeout: 10_000,
      },
      (response) => {
        let body = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => {
          body += chunk;
        });
        response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
        response.on('error', reject);
      },
    );
    outgoing.on('timeout', () => outgoing.destroy(new Error('HTTPS request timed out')));
    outgoing.on('error', reject);
    outgoing.end(options.body);
  });
}
