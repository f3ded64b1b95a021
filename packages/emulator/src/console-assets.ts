import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The console's page and its two files, by path: what the build puts into `dist/console/`. */
const assets: Record<string, { file: string; contentType: string }> = {
  '/': { file: 'index.html', contentType: 'text/html; charset=utf-8' },
  '/_emulator/console/console.js': {
    file: 'console.js',
    contentType: 'text/javascript; charset=utf-8',
  },
  '/_emulator/console/console.css': { file: 'console.css', contentType: 'text/css; charset=utf-8' },
};

/**
 * Everything the page loads comes from the emulator itself: the policy makes
 * the browser refuse anything else (no CDN, no fonts, no inline script).
 */
const contentSecurityPolicy = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "connect-src 'self'",
  "img-src 'self' data:",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

const cache = new Map<string, Buffer>();

/** Whether a path is one of the console's files. */
export function isConsoleAsset(path: string): boolean {
  return Object.hasOwn(assets, path);
}

/** An answer with its headers and body. */
export interface AssetAnswer {
  status: number;
  headers: Record<string, string>;
  body: Buffer | string;
}

/** Answers a request for one of the console's files (`GET` or `HEAD`). */
export function answerConsoleAsset(method: string, path: string): AssetAnswer {
  const asset = assets[path]!;
  if (method !== 'GET' && method !== 'HEAD') {
    return {
      status: 405,
      headers: { allow: 'GET, HEAD', 'content-type': 'text/plain; charset=utf-8' },
      body: 'Use GET.',
    };
  }
  let body = cache.get(asset.file);
  if (body === undefined) {
    try {
      body = readFileSync(join(consoleDirectory(), asset.file));
    } catch {
      return {
        status: 500,
        headers: { 'content-type': 'text/plain; charset=utf-8' },
        body: `The console's file ${asset.file} is missing: build @logtank/emulator (its dist/console/).`,
      };
    }
    cache.set(asset.file, body);
  }
  return {
    status: 200,
    headers: {
      'content-type': asset.contentType,
      'cache-control': 'no-cache',
      'content-security-policy': contentSecurityPolicy,
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
    },
    body: method === 'HEAD' ? '' : body,
  };
}

/** `dist/console/`: the built modules (ESM and CommonJS) sit in `dist/`, beside it. */
function consoleDirectory(): string {
  return typeof __dirname === 'string'
    ? join(__dirname, 'console')
    : fileURLToPath(new URL('./console/', import.meta.url));
}
