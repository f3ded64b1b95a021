import { LtsOptionsError, LtsTransport } from '@logtank/winston';
import { describe, expect, it } from 'vitest';

const connection = {
  endpoint: 'http://127.0.0.1:9',
  projectId: 'a'.repeat(32),
  logGroupId: 'b'.repeat(36),
  logStreamId: 'c'.repeat(36),
  token: 'a-token',
};

function refusal(options: Record<string, unknown>): LtsOptionsError {
  try {
    new LtsTransport({ ...connection, ...options }).close();
  } catch (error) {
    expect(error).toBeInstanceOf(LtsOptionsError);
    return error as LtsOptionsError;
  }
  throw new Error('expected the options to be refused');
}

describe('LtsTransport options', () => {
  it('refuses a misspelt option with a suggestion, as core and the other adapters do', () => {
    const error = refusal({ labelkeys: ['level'] });
    expect(error.option).toBe('labelkeys');
    expect(error.message).toMatch(
      /is not an option of @logtank\/winston .*\(did you mean labelKeys\?\)/,
    );
    expect(refusal({ handleException: true }).message).toMatch(/did you mean handleExceptions\?/);
    // log would replace the transport's own method: not an option here.
    expect(refusal({ log: () => {} }).option).toBe('log');
  });

  it('checks labelKeys with the rule every adapter shares', () => {
    expect(refusal({ labelKeys: 'level' }).message).toMatch(/must be an array of field names/);
    expect(refusal({ labelKeys: [''] }).option).toBe('labelKeys[0]');
  });
});
