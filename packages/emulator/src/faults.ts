import {
  checkFaultDescription,
  type FailureRateDescription,
  type FaultDescription,
} from './fault-description.ts';
import type { TokenRegistry, TokenSummary } from './tokens.ts';
import type { FaultOutcome, ReportApi } from './types.ts';

export type { FailureRateDescription, FaultDescription };

/** A deterministic PRNG (mulberry32): the same seed gives the same failures. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let value = Math.imul(state ^ (state >>> 15), 1 | state);
    value = (value + Math.imul(value ^ (value >>> 7), 61 | value)) ^ value;
    return ((value ^ (value >>> 14)) >>> 0) / 4294967296;
  };
}

interface FailureRate {
  status: number;
  probability: number;
  random: () => number;
  api?: ReportApi;
}

/** What to do with one report request. */
export interface FaultDecision {
  outcome: FaultOutcome | undefined;
  /** Added delay before answering, in ms. */
  latencyMs: number;
}

/**
 * Fault injection for report requests: a queue of forced outcomes, failure
 * probabilities per status, latency, hanging, dropped connections and token
 * expiry. Control and IAM routes are never affected.
 */
export class Faults {
  private readonly queue: Array<FaultOutcome & { api?: ReportApi }> = [];
  private rates: FailureRate[] = [];
  private latencyMs = 0;
  private hangRemaining = 0;
  private drops: { when: 'before-body' | 'after-body'; remaining: number } | undefined;

  constructor(private readonly tokens: TokenRegistry) {}

  /** Forced outcomes for the next report requests, one each, in order. */
  enqueue(...outcomes: FaultOutcome[]): void {
    this.queue.push(...outcomes);
  }

  /** Fails report requests with `status` at random, reproducibly for a given seed. */
  failureRate(rate: FailureRateDescription): void {
    this.rates.push({
      status: rate.status,
      probability: rate.probability,
      random: seededRandom(rate.seed ?? 1),
      ...(rate.api === undefined ? {} : { api: rate.api }),
    });
  }

  /** Replaces every failure rate set so far with these (none: no random failures). */
  failureRates(rates: readonly FailureRateDescription[]): void {
    this.rates = [];
    for (const rate of rates) this.failureRate(rate);
  }

  /** Delays every report answer by `ms`. */
  latency(ms: number): void {
    this.latencyMs = ms;
  }

  /** Never answers the next `count` report requests (all of them when omitted). */
  hang(options: { count?: number } = {}): void {
    this.hangRemaining = options.count ?? Number.POSITIVE_INFINITY;
  }

  /** Drops the connection of the next `count` report requests (all when omitted). */
  drop(options: { when: 'before-body' | 'after-body'; count?: number }): void {
    this.drops = { when: options.when, remaining: options.count ?? Number.POSITIVE_INFINITY };
  }

  /** Makes a token stop working now, at a time, or after a number of requests. */
  expireToken(
    token: string,
    when: { at?: Date | number | string; afterRequests?: number } = {},
  ): void {
    this.tokens.expire(token, when);
  }

  /** Expires every token known so far (including `emulator.token` and IAM-issued ones). */
  expireTokens(when: { at?: Date | number | string; afterRequests?: number } = {}): void {
    this.tokens.expireAll(when);
  }

  /** Back to normal: no queued outcomes, rates, latency, hanging or drops. */
  clear(): void {
    this.queue.length = 0;
    this.rates = [];
    this.latencyMs = 0;
    this.hangRemaining = 0;
    this.drops = undefined;
  }

  /** The known tokens by fingerprint, and whether each is refused now (never a token). */
  knownTokens(): TokenSummary[] {
    return this.tokens.summaries();
  }

  /** A description for `GET /_emulator/faults`. */
  describe(): Record<string, unknown> {
    return {
      queue: this.queue,
      failureRates: this.rates.map(({ status, probability, api }) => ({
        status,
        probability,
        api,
      })),
      latencyMs: this.latencyMs,
      hangRemaining: Number.isFinite(this.hangRemaining) ? this.hangRemaining : 'all',
      drops: this.drops && {
        when: this.drops.when,
        remaining: Number.isFinite(this.drops.remaining) ? this.drops.remaining : 'all',
      },
    };
  }

  /**
   * Applies a fault description received over HTTP (`POST /_emulator/faults`),
   * one key per kind: `enqueue`, `failureRate`, `failureRates`, `latencyMs`, `hang`, `drop`,
   * `expireToken`, `expireTokens`. Throws a TypeError naming the field of an
   * invalid description (and applies nothing then).
   */
  apply(input: FaultDescription): void {
    const description = checkFaultDescription(input);
    const expiry = description.expireToken;
    const token =
      expiry === undefined
        ? undefined
        : 'token' in expiry
          ? expiry.token
          : this.tokens.tokenOf(expiry.tokenId);
    if (expiry !== undefined && token === undefined) {
      throw new TypeError(
        'expireToken.tokenId: no known token has this fingerprint (a token is known once given, issued or presented).',
      );
    }
    if (description.enqueue !== undefined) this.enqueue(...description.enqueue);
    if (description.failureRates !== undefined) this.failureRates(description.failureRates);
    if (description.failureRate !== undefined) this.failureRate(description.failureRate);
    if (description.latencyMs !== undefined) this.latency(description.latencyMs);
    if (description.hang !== undefined) this.hang(description.hang);
    if (description.drop !== undefined) this.drop(description.drop);
    if (expiry !== undefined && token !== undefined) {
      this.expireToken(token, { at: expiry.at, afterRequests: expiry.afterRequests });
    }
    if (description.expireTokens !== undefined) this.expireTokens(description.expireTokens);
  }

  /** Decides the fate of the next report request. */
  next(api: ReportApi): FaultDecision {
    const decision: FaultDecision = { outcome: undefined, latencyMs: this.latencyMs };
    const queued = this.queue.findIndex(
      (outcome) => outcome.api === undefined || outcome.api === api,
    );
    if (queued !== -1) {
      decision.outcome = this.queue.splice(queued, 1)[0];
      return decision;
    }
    if (this.hangRemaining > 0) {
      this.hangRemaining -= 1;
      decision.outcome = { hang: true };
      return decision;
    }
    if (this.drops !== undefined && this.drops.remaining > 0) {
      this.drops.remaining -= 1;
      decision.outcome = { drop: this.drops.when };
      return decision;
    }
    for (const rate of this.rates) {
      if ((rate.api === undefined || rate.api === api) && rate.random() < rate.probability) {
        decision.outcome = { status: rate.status };
        return decision;
      }
    }
    return decision;
  }
}
