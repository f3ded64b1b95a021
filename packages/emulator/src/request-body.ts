import type { IncomingMessage } from 'node:http';
import { promisify } from 'node:util';
import { gunzip } from 'node:zlib';
import { errorCodes, Refusal } from './responses.ts';
import type { ReportApi } from './types.ts';

const gunzipAsync = promisify(gunzip);

/** One request header's value (the first, when repeated). */
export function header(request: IncomingMessage, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** Reads a body up to `limit` bytes. */
export function readBody(
  request: IncomingMessage,
  limit: number,
): Promise<Buffer | 'too-large' | 'aborted'> {
  const declared = Number(request.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) {
    request.pause();
    return Promise.resolve('too-large');
  }
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    request.on('data', (chunk: Buffer) => {
      if (done) return;
      size += chunk.length;
      if (size > limit) {
        done = true;
        request.pause();
        resolve('too-large');
        return;
      }
      chunks.push(chunk);
    });
    request.on('end', () => {
      if (done) return;
      done = true;
      resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size));
    });
    request.on('aborted', () => {
      if (done) return;
      done = true;
      resolve('aborted');
    });
    request.on('error', () => {
      if (done) return;
      done = true;
      resolve('aborted');
    });
  });
}

/**
 * The body's encoding, from its Content-Encoding: none on the standard route,
 * gzip on the high-accuracy and producer routes (snappy is documented but not
 * emulated). Throws a 400 {@link Refusal} for anything else.
 */
export function checkContentEncoding(
  api: ReportApi,
  contentEncoding: string | undefined,
): 'identity' | 'gzip' {
  const encoding = contentEncoding?.toLowerCase();
  if (encoding === undefined || encoding === 'identity') return 'identity';
  if (api === 'standard') {
    throw new Refusal(
      400,
      errorCodes.contentEncoding,
      'Content-Encoding is only accepted on the high-accuracy route (and the producer route).',
    );
  }
  if (encoding === 'snappy') {
    throw new Refusal(
      400,
      errorCodes.contentEncoding,
      'Content-Encoding snappy is not supported by the emulator; use gzip.',
    );
  }
  if (encoding !== 'gzip') {
    throw new Refusal(
      400,
      errorCodes.contentEncoding,
      `Content-Encoding ${encoding} is not supported; use gzip.`,
    );
  }
  return 'gzip';
}

/** Decompresses a gzip body, refusing (413) one that grows beyond `maxBodyBytes`. */
export async function gunzipBody(raw: Buffer, maxBodyBytes: number): Promise<string> {
  try {
    return (await gunzipAsync(raw, { maxOutputLength: maxBodyBytes })).toString('utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') {
      throw new Refusal(
        413,
        errorCodes.tooLarge,
        `The decompressed body exceeds ${maxBodyBytes} bytes.`,
      );
    }
    throw new Refusal(
      400,
      errorCodes.contentEncoding,
      `The gzip body could not be decompressed: ${(error as Error).message}`,
    );
  }
}
