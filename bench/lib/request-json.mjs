import { request } from 'node:http';

/**
 * GETs or POSTs `url` and parses the JSON answer (undefined for an empty one).
 *
 * The measuring processes talk to the sink and the emulator over node:http,
 * not fetch: fetch parses responses with Node's bundled undici, whose
 * WebAssembly parser V8 then recompiles on background threads, ~130 ms of CPU
 * that would land inside the measured window of every case and compete with
 * its main thread. node:http's parser is native code.
 */
export function requestJson(url, method = 'GET') {
  return new Promise((resolve, reject) => {
    const outgoing = request(url, { method }, (response) => {
      let text = '';
      response.setEncoding('utf8');
      response.on('data', (chunk) => {
        text += chunk;
      });
      response.on('end', () => {
        if (response.statusCode !== 200) {
          reject(new Error(`${url} answered ${response.statusCode} to ${method}: ${text}`));
          return;
        }
        try {
          resolve(text === '' ? undefined : JSON.parse(text));
        } catch (error) {
          reject(error);
        }
      });
      response.on('error', reject);
    });
    outgoing.on('error', reject);
    outgoing.end();
  });
}
