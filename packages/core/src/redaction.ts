/** Shorter values are too likely to occur by chance in ordinary text to be masked. */
const minimumSecretLength = 4;
/**
 * A run this long taken from a secret is masked too: a server may echo a
 * secret cut short ("token gQpjbi1ub3J0aC00… is invalid"). Long enough that
 * ordinary text never matches by chance.
 */
const fragmentLength = 16;
/**
 * Secrets obtained while running (renewed tokens and keys) are remembered
 * up to this many forms: a long-running app renews every day, and only the
 * newest few can still appear in an answer.
 */
const maximumObtainedForms = 24;
/** Runs are taken from a long secret's first and last characters only, where an echo cut short keeps them. */
const indexedHeadLength = 512;
const indexedTailLength = 64;
/** A request signature echoed with the Authorization header (SDK-HMAC-SHA256, V11-HMAC-SHA256). */
const signaturePattern = /(Signature=)[0-9A-Fa-f]{16,}/g;

/**
 * The secrets a client holds (token, IAM password, SK, security token,
 * metadata token), including those it obtains later, and the one place that
 * masks them in text bound for output: warnings, error messages and drop
 * reports. A last line of defence: secrets are kept out of messages in the
 * first place, but a server may echo a request's headers back, whole, cut
 * short or URL-encoded.
 */
export class Secrets {
  /** The secrets given at construction, each as it is and in the forms an echo may take (URL-encoded, JSON-escaped). */
  private readonly given = new Set<string>();
  /** The secrets obtained since, newest last, the oldest forgotten past `maximumObtainedForms`. */
  private readonly obtained = new Set<string>();
  /** Runs of `fragmentLength` characters of the long secrets' forms, built when first needed. */
  private fragments: Set<string> | undefined;

  constructor(initial: Iterable<string | undefined> = []) {
    for (const value of initial) {
      for (const form of formsOf(value)) this.given.add(form);
    }
  }

  /** Remembers a secret obtained while running (a token, a temporary key) to mask from now on. */
  add(value: string | undefined): void {
    for (const form of formsOf(value)) {
      if (this.given.has(form) || this.obtained.has(form)) continue;
      this.obtained.add(form);
      if (this.fragments !== undefined) addFragments(this.fragments, form);
    }
    if (this.obtained.size <= maximumObtainedForms) return;
    for (const form of this.obtained) {
      if (this.obtained.size <= maximumObtainedForms) break;
      this.obtained.delete(form);
    }
    // Rebuilt from what is remembered, when next needed.
    this.fragments = undefined;
  }

  private *values(): Iterable<string> {
    yield* this.given;
    yield* this.obtained;
  }

  /** `text` with every known secret (and every long run of one) replaced by `[redacted]`, and request signatures masked. */
  redact(text: string): string {
    let result = text.replace(signaturePattern, '$1[redacted]');
    for (const secret of this.values()) {
      if (result.includes(secret)) result = result.split(secret).join('[redacted]');
    }
    return this.redactFragments(result);
  }

  /** Masks the secrets in an error's message and stack (and its causes'), in place; returns it. */
  redactError<E extends Error>(error: E): E {
    let current: unknown = error;
    for (let depth = 0; depth < 4 && current instanceof Error; depth++) {
      const message = this.redact(current.message);
      if (message !== current.message) current.message = message;
      if (typeof current.stack === 'string') {
        const stack = this.redact(current.stack);
        if (stack !== current.stack) current.stack = stack;
      }
      current = current.cause;
    }
    return error;
  }

  /** Replaces every stretch of `text` covered by runs of a secret's characters. */
  private redactFragments(text: string): string {
    if (text.length < fragmentLength) return text;
    if (this.fragments === undefined) {
      this.fragments = new Set();
      for (const form of this.values()) addFragments(this.fragments, form);
    }
    if (this.fragments.size === 0) return text;
    let result = '';
    let copiedUpTo = 0;
    let coveredUpTo = -1;
    let start = -1;
    for (let index = 0; index + fragmentLength <= text.length; index++) {
      if (!this.fragments.has(text.slice(index, index + fragmentLength))) continue;
      if (index > coveredUpTo) {
        if (start >= 0) {
          result += `${text.slice(copiedUpTo, start)}[redacted]`;
          copiedUpTo = coveredUpTo;
        }
        start = index;
      }
      coveredUpTo = index + fragmentLength;
    }
    if (start < 0) return text;
    return `${result}${text.slice(copiedUpTo, start)}[redacted]${text.slice(coveredUpTo)}`;
  }
}

/** A secret as it is, URL-encoded and JSON-escaped: the forms a server's echo may take. */
function formsOf(value: string | undefined): string[] {
  if (value === undefined || value.length < minimumSecretLength) return [];
  return [...new Set([value, encodeURIComponent(value), JSON.stringify(value).slice(1, -1)])];
}

/** Adds the runs of `secret`'s head and tail (all of a short secret's). */
function addFragments(fragments: Set<string>, secret: string): void {
  const add = (from: number, to: number) => {
    for (let index = from; index + fragmentLength <= to; index++) {
      fragments.add(secret.slice(index, index + fragmentLength));
    }
  };
  if (secret.length <= indexedHeadLength + indexedTailLength) {
    add(0, secret.length);
    return;
  }
  add(0, indexedHeadLength);
  add(secret.length - indexedTailLength, secret.length);
}
