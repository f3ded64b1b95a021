import type { ResolvedOptions } from './options.ts';
import { firstTime } from './process-state.ts';
import { emitProcessWarning } from './stderr.ts';

/**
 * Warns, once per process, about options that work but are probably not what
 * the user meant: a token shadowing an access key, TLS without verification.
 */
export function warnAboutOptions(options: ResolvedOptions): void {
  const source = options.credentials;
  if (source.kind === 'static' && source.shadows && firstTime('LOGTANK_CREDENTIALS')) {
    emitProcessWarning(
      `logtank: LTS_TOKEN and ${source.shadows} are both set: requests carry the token (LTS_TOKEN comes first); unset it to sign with the access key.`,
      'LOGTANK_CREDENTIALS',
    );
  }
  if (!options.tls.rejectUnauthorized && firstTime('LOGTANK_INSECURE_TLS')) {
    emitProcessWarning(
      'logtank: tls.rejectUnauthorized is false: the LTS server certificate is not verified, so anyone on the path can read the logs and the credentials. Pass tls.ca (and tls.servername) instead.',
      'LOGTANK_INSECURE_TLS',
    );
  }
}
