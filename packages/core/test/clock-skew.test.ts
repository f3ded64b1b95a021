import { describe, expect, it } from 'vitest';
import { clockSkewNote } from '../src/clock-skew.ts';

const now = Date.parse('2026-12-02T12:00:00Z');
const answer = (date: string | undefined, body = '{}') => ({
  status: 401,
  headers: date === undefined ? {} : { date },
  body,
});

describe('clockSkewNote', () => {
  it('measures the skew from the server’s Date header beyond the 15-minute window', () => {
    expect(clockSkewNote(answer('Wed, 02 Dec 2026 12:20:00 GMT'), now)).toMatch(
      /clock is 20 min behind the server's.*15 minutes.*NTP/,
    );
    expect(clockSkewNote(answer('Wed, 02 Dec 2026 11:30:00 GMT'), now)).toMatch(
      /clock is 30 min ahead of the server's/,
    );
  });

  it('reads the gateway’s own words when the dates are close or absent', () => {
    const body =
      '{"error_code":"APIGW.0301","error_msg":"Incorrect IAM authentication information: signature expired, signature time:20261202T114000Z,server time:20261202T120000Z"}';
    expect(clockSkewNote(answer(undefined, body), now)).toMatch(/outside its 15-minute window/);
  });

  it('says nothing for other refusals', () => {
    expect(clockSkewNote(answer('Wed, 02 Dec 2026 12:05:00 GMT'), now)).toBeUndefined();
    expect(
      clockSkewNote(answer(undefined, '{"error_msg":"verify aksk signature fail"}'), now),
    ).toBeUndefined();
  });
});
