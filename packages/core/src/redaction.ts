/** Shorter values are too likely to occur by chance in ordinary text to be masked. */
const minimumSecretLength = 4;

/**
 * The secrets a client holds (token, IAM password, SK, security token,
 * metadata token), including those it obtains later, and the one place that
 * masks them in text bound for output: warnings, error messages and drop
 * reports. A last line of defence: secrets are kept out of messages in the
 * first place, but a server may echo a request's headers back.
 */
export class Secrets {
  private readonly values = new Set<string>();

  constructor(initial: Iterable<string | undefined> = []) {
    for (const value of initial) this.add(value);
  }

  /** Remembers a secret to mask from now on. */
  add(value: string | undefined): void {
    if (value !== undefined && value.length >= minimumSecretLength) this.values.add(value);
  }

  /** `text` with every known secret replaced by `[redacted]`. */
  redact(text: string): string {
    let result = text;
    for (const secret of this.values) {
      if (result.includes(secret)) result = result.split(secret).join('[redacted]');
    }
    return result;
  }

  /** Masks the secrets in an error's message and stack (and its causes'), in place; returns it. */
  redactError<E extends Error>(error: E): E {
    if (this.values.size === 0) return error;
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
}
