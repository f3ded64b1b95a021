#!/usr/bin/env node
import { rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { ListenError } from './listening.ts';
import { suggestion } from './option-names.ts';
import { startEmulator } from './server.ts';
import type { AccessKey, RequestLogEntry } from './types.ts';
import { version } from './version.ts';

const help = `logtank-emulator ${version}: a local Huawei Cloud LTS endpoint for development

Usage: logtank-emulator [options]

Options:
  --port N                port to listen on (default 8102; 0 = any free port)
  --host ADDRESS          address to listen on (default 127.0.0.1)
  --tls                   serve HTTPS with a generated certificate (its CA is written to a file)
  --token T               accept only this token (repeatable; default: any token)
  --access-key ID:SECRET  also accept this AK/SK for signed requests (repeatable; never printed)
  --region R              the region V11-HMAC-SHA256 signatures must name (default cn-north-4)
  --metadata              also start the ECS metadata stand-in (temporary keys) on a free port
  --max-body-bytes N      largest request body (default 10485760)
  --max-stored-records N  records kept in memory (default 100000)
  --quiet                 do not log one line per request
  -h, --help              show this help
  -v, --version           show the version

Point an app at it:
  LTS_ENDPOINT=http://127.0.0.1:8102 LTS_PROJECT_ID=... node app.js   (the ids are printed at start)
Watch what arrives, in a browser (the console):
  http://127.0.0.1:8102/
Read what it stored:
  curl http://127.0.0.1:8102/_emulator/records`;

const flags = {
  port: { type: 'string' },
  host: { type: 'string' },
  tls: { type: 'boolean' },
  token: { type: 'string', multiple: true },
  'access-key': { type: 'string', multiple: true },
  region: { type: 'string' },
  metadata: { type: 'boolean' },
  'max-body-bytes': { type: 'string' },
  'max-stored-records': { type: 'string' },
  quiet: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean', short: 'v' },
} as const;

const helpHint = 'Run logtank-emulator --help for the options.';

function fail(message: string, hint = helpHint): never {
  process.stderr.write(`logtank-emulator: ${message}\n${hint}\n`);
  process.exit(2);
}

/** parseArgs' complaint, with a suggestion for a mistyped flag (and never a flag's value). */
function describeParseError(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  if ((error as { code?: unknown }).code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
    const flag = /'(-[^'=\s]*)/.exec(message)?.[1] ?? 'given';
    const known = Object.keys(flags).map((name) => `--${name}`);
    return `unknown option ${flag}${flag.startsWith('--') ? suggestion(flag, known) : ''}`;
  }
  return message;
}

function integerFlag(
  name: string,
  value: string | undefined,
  fallback: number,
  minimum: number,
): number {
  if (value === undefined) return fallback;
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < minimum)
    fail(`--${name} must be an integer >= ${minimum}; got ${JSON.stringify(value)}`);
  return parsed;
}

/** `ID:SECRET` (split at the first colon: an AK has none). The value is never echoed: it holds a secret. */
function accessKeyFlag(value: string): AccessKey {
  const colon = value.indexOf(':');
  if (colon <= 0 || colon === value.length - 1) {
    fail('--access-key must be ID:SECRET (the access key id, a colon, the secret key)');
  }
  return { id: value.slice(0, colon), secret: value.slice(colon + 1) };
}

/** The console page's own requests (its files, its event stream) would only clutter the terminal. */
function isConsoleRequest(entry: RequestLogEntry): boolean {
  return (
    entry.route === 'control' &&
    (entry.path === '/' ||
      entry.path === '/_emulator/events' ||
      entry.path.startsWith('/_emulator/console/'))
  );
}

function logLine(entry: RequestLogEntry): void {
  if (isConsoleRequest(entry)) return;
  const time = entry.time.toISOString().slice(11, 23);
  const status = entry.status === 0 ? (entry.fault ?? 'no answer') : String(entry.status);
  const details =
    entry.route === 'report'
      ? ` ${entry.records} records ${entry.bytes} B${entry.compressed ? ' gzip' : ''}`
      : '';
  const fault = entry.fault && entry.status !== 0 ? ` [${entry.fault}]` : '';
  const error = entry.error ? ` ${entry.error}` : '';
  // Signed requests show the algorithm and the AK's first characters, as Huawei's gateway does.
  const credential = entry.credential;
  const signer =
    credential?.algorithm === undefined
      ? ''
      : ` ${credential.algorithm} ${credential.id.slice(0, 4)}****${credential.kind === 'temporary-key' ? ' (temporary)' : ''}`;
  process.stdout.write(
    `${time} ${entry.method} ${entry.path} ${status}${details} ${entry.durationMs.toFixed(1)}ms${signer}${fault}${error}\n`,
  );
}

async function main(): Promise<void> {
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({ options: flags, strict: true, allowPositionals: false });
  } catch (error) {
    fail(describeParseError(error));
  }
  const values = parsed.values as Record<string, string | string[] | boolean | undefined>;
  if (values.help) {
    process.stdout.write(`${help}\n`);
    return;
  }
  if (values.version) {
    process.stdout.write(`${version}\n`);
    return;
  }
  const tokens = values.token as string[] | undefined;
  if (tokens?.includes('')) fail('--token must not be empty');
  const accessKeys = ((values['access-key'] as string[] | undefined) ?? []).map(accessKeyFlag);
  const region = values.region as string | undefined;
  if (region !== undefined && !/^[A-Za-z0-9-]+$/.test(region)) {
    fail(`--region must be a region id such as cn-north-4; got ${JSON.stringify(region)}`);
  }
  const emulator = await startEmulator({
    port: integerFlag('port', values.port as string | undefined, 8102, 0),
    host: (values.host as string | undefined) ?? '127.0.0.1',
    tls: values.tls === true,
    ...(tokens === undefined ? {} : { tokens }),
    accessKeys,
    ...(region === undefined ? {} : { region }),
    metadata: values.metadata === true,
    maxBodyBytes: integerFlag(
      'max-body-bytes',
      values['max-body-bytes'] as string | undefined,
      10 * 1024 * 1024,
      1,
    ),
    maxStoredRecords: integerFlag(
      'max-stored-records',
      values['max-stored-records'] as string | undefined,
      100_000,
      1,
    ),
    ...(values.quiet ? {} : { onRequest: logLine }),
  });
  let caPath: string | undefined;
  if (emulator.ca !== undefined) {
    caPath = join(tmpdir(), `logtank-emulator-ca-${process.pid}.pem`);
    writeFileSync(caPath, emulator.ca);
  }
  const token = tokens?.[0];
  // Tokens are secrets: the banner shows where one goes, never the token itself.
  const tokenShown = token === undefined ? 'any-token-works' : '<your --token value>';
  // Valid JSON, to paste into code or a JSON config: with --tls, the CA's PEM text itself.
  const config = {
    endpoint: emulator.url,
    ...emulator.ids,
    token: tokenShown,
    ...(emulator.ca === undefined ? {} : { tls: { ca: emulator.ca } }),
  };
  process.stdout.write(
    [
      `logtank-emulator ${version} listening on ${emulator.url}`,
      token === undefined
        ? 'Any X-Auth-Token is accepted (start with --token T to require one).'
        : 'Only the tokens given with --token are accepted.',
      ...(caPath === undefined
        ? []
        : [
            `HTTPS certificate authority: ${caPath} (its text is tls.ca below; NODE_EXTRA_CA_CERTS=${caPath} trusts it for a whole process; removed when the emulator stops)`,
          ]),
      '',
      'Transport options:',
      JSON.stringify(config, null, 2),
      '',
      'Or in the environment, with a token:',
      `LTS_ENDPOINT=${emulator.url} LTS_PROJECT_ID=${emulator.ids.projectId} LTS_LOG_GROUP_ID=${emulator.ids.logGroupId} LTS_LOG_STREAM_ID=${emulator.ids.logStreamId} LTS_TOKEN=${tokenShown}${caPath === undefined ? '' : ` NODE_EXTRA_CA_CERTS=${caPath}`}`,
      '',
      `or, instead of LTS_TOKEN and LTS_PROJECT_ID (a set LTS_TOKEN wins), signing with the sample access key generated at start (SDK-HMAC-SHA256; V11-HMAC-SHA256 on …/batch-contents, region ${emulator.region}):`,
      `LTS_ENDPOINT=${emulator.url} LTS_LOG_GROUP_ID=${emulator.ids.logGroupId} LTS_LOG_STREAM_ID=${emulator.ids.logStreamId} HUAWEICLOUD_SDK_AK=${emulator.accessKey.id} HUAWEICLOUD_SDK_SK=${emulator.accessKey.secret} HUAWEICLOUD_SDK_REGION=${emulator.region} HUAWEICLOUD_SDK_PROJECT_ID=${emulator.ids.projectId}${caPath === undefined ? '' : ` NODE_EXTRA_CA_CERTS=${caPath}`}`,
      ...(accessKeys.length === 0
        ? []
        : [
            `Also accepted: the --access-key keys ${accessKeys.map((key) => key.id).join(', ')} (secrets not shown).`,
          ]),
      ...(emulator.metadataUrl === undefined
        ? []
        : [
            `ECS metadata stand-in (for http://169.254.169.254): ${emulator.metadataUrl}  (ecsMetadata: { endpoint })`,
          ]),
      '',
      `Console: ${emulator.consoleUrl}  (records as they arrive, requests, faults)`,
      `Stored records: ${emulator.url}/_emulator/records  (Ctrl-C to stop)`,
      '',
    ].join('\n'),
  );
  const stop = async () => {
    await emulator.stop();
    if (caPath !== undefined) rmSync(caPath, { force: true });
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  if (error instanceof ListenError) {
    // The API's message speaks of options; here the flags are what to change.
    const hint =
      error.code === 'EADDRINUSE'
        ? 'Stop the other process, or pick another --port (--port 0: any free port).'
        : 'Check --host and --port.';
    fail(
      `cannot listen on ${error.address}: ${error.code === 'EADDRINUSE' ? 'the port is already in use by another process (EADDRINUSE)' : (error.cause as Error)?.message}`,
      hint,
    );
  }
  // The API names its options; here the flags are what the user typed.
  const message = error instanceof Error ? error.message : String(error);
  fail(message.replace(/^startEmulator: option (port|host) /, '--$1 '));
});
