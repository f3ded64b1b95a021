import type { HeaderValues } from './signature.ts';
import { headerValue } from './signature.ts';

/** What a secret (or its beginning) is replaced with. */
export const redactedText = '****';

/** Up to this many characters of a secret's beginning may show (as `ak:ABCD****` does); longer ones are redacted. */
const shownLength = 8;
const matchLength = shownLength + 1;

/**
 * A secret to look for. An opaque one (generated: a security token, an SK
 * or token the emulator made, a signature) is redacted wherever 9 or more of
 * its first characters show; one a user chose (an SK in `accessKeys`, a token
 * in `tokens`, an X-Auth-Token sent) only whole, as "permanent-secret" must
 * not blank the word "permanent".
 */
export interface Secret {
  value: string;
  opaque: boolean;
}

/** One form (as is, or URL-encoded) of a secret. */
interface SecretForm {
  text: string;
  opaque: boolean;
}

/**
 * Removes secrets from the texts the emulator shows about a request (its
 * path, the error it answered, the AK it presented): the secrets it knows
 * (SKs, security tokens, X-Auth-Tokens, metadata tokens) and those the
 * request itself carried (its X-Security-Token, X-Auth-Token, X-Metadata-Token
 * and signature), each also URL-encoded; of an opaque one, also any beginning
 * longer than 8 characters. Secrets of 8 characters or fewer are not looked
 * for (they would match ordinary words).
 */
export class SecretRedactor {
  /** The first 9 characters of each form of each secret → those forms. */
  private readonly byBeginning = new Map<string, Map<string, SecretForm>>();

  /** Learns a secret: `opaque` when the emulator generated it (see {@link Secret}). */
  add(secret: string, opaque: boolean): void {
    for (const form of secretForms({ value: secret, opaque })) {
      const beginning = form.text.slice(0, matchLength);
      let forms = this.byBeginning.get(beginning);
      if (forms === undefined) {
        forms = new Map();
        this.byBeginning.set(beginning, forms);
      }
      // Opaque wins: a secret both generated and chosen is redacted by its beginning too.
      if (!forms.get(form.text)?.opaque) forms.set(form.text, form);
    }
  }

  remove(secret: string): void {
    for (const form of secretForms({ value: secret, opaque: true })) {
      const beginning = form.text.slice(0, matchLength);
      const forms = this.byBeginning.get(beginning);
      forms?.delete(form.text);
      if (forms?.size === 0) this.byBeginning.delete(beginning);
    }
  }

  /** `text` with every known or `presented` secret (or long beginning of an opaque one) replaced by `****`. */
  redact(text: string, presented: readonly Secret[] = []): string {
    if (text.length < matchLength) return text;
    const extra = presented.flatMap(secretForms);
    let result = '';
    let copied = 0;
    let index = 0;
    while (index <= text.length - matchLength) {
      const beginning = text.slice(index, index + matchLength);
      let longest = 0;
      const consider = (form: SecretForm) => {
        const length = commonLength(text, index, form.text);
        if (form.opaque || length === form.text.length) longest = Math.max(longest, length);
      };
      for (const form of this.byBeginning.get(beginning)?.values() ?? []) consider(form);
      for (const form of extra) if (form.text.startsWith(beginning)) consider(form);
      if (longest >= matchLength) {
        result += `${text.slice(copied, index)}${redactedText}`;
        index += longest;
        copied = index;
      } else {
        index += 1;
      }
    }
    return copied === 0 ? text : result + text.slice(copied);
  }

  /** A JSON-like value with {@link redact} applied to every string in it. */
  redactValue<T>(value: T, presented: readonly Secret[] = []): T {
    if (typeof value === 'string') return this.redact(value, presented) as T;
    if (Array.isArray(value)) return value.map((item) => this.redactValue(item, presented)) as T;
    if (typeof value === 'object' && value !== null) {
      return Object.fromEntries(
        Object.entries(value).map(([key, item]) => [key, this.redactValue(item, presented)]),
      ) as T;
    }
    return value;
  }
}

/**
 * The secrets a request carries in its headers: X-Security-Token,
 * X-Metadata-Token and the `Signature=` of its Authorization (however
 * malformed the rest), opaque; its X-Auth-Token, which a user may have
 * chosen.
 */
export function presentedSecrets(headers: HeaderValues): Secret[] {
  const secrets: Secret[] = [];
  for (const name of ['x-auth-token', 'x-security-token', 'x-metadata-token']) {
    const value = headerValue(headers, name)?.trim();
    if (value) secrets.push({ value, opaque: name !== 'x-auth-token' });
  }
  const authorization = headerValue(headers, 'authorization') ?? '';
  for (const match of authorization.matchAll(/Signature=([^\s,]+)/gi)) {
    secrets.push({ value: match[1]!, opaque: true });
  }
  return secrets;
}

/** A secret as it may appear: as is, and URL-encoded (with upper- and lowercase escapes). */
function secretForms(secret: Secret): SecretForm[] {
  if (secret.value.length < matchLength) return [];
  const encoded = encodeURIComponent(secret.value);
  const lower = encoded.replace(/%[0-9A-F]{2}/g, (percent) => percent.toLowerCase());
  return [...new Set([secret.value, encoded, lower])].map((text) => ({
    text,
    opaque: secret.opaque,
  }));
}

/** How many characters of `form` appear in `text` from `start`. */
function commonLength(text: string, start: number, form: string): number {
  let length = 0;
  while (length < form.length && text[start + length] === form[length]) length += 1;
  return length;
}
