import { describe, expect, it } from 'vitest';
import { Secrets } from '../src/redaction.ts';

describe('Secrets', () => {
  it('masks every known secret, including ones added later, in text, messages, stacks and causes', () => {
    const secrets = new Secrets(['the-token-value', undefined, 'abc']);
    secrets.add('LATER-SECRET-KEY');
    expect(secrets.redact('a the-token-value b LATER-SECRET-KEY the-token-value')).toBe(
      'a [redacted] b [redacted] [redacted]',
    );
    // Too short to mask without mangling ordinary text.
    expect(secrets.redact('abc')).toBe('abc');
    const error = new Error('echo: LATER-SECRET-KEY', {
      cause: new Error('inner the-token-value'),
    });
    secrets.redactError(error);
    expect(error.message).toBe('echo: [redacted]');
    expect(error.stack).not.toContain('LATER-SECRET-KEY');
    expect((error.cause as Error).message).toBe('inner [redacted]');
  });
});
