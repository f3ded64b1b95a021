/**
 * The exact source text of every `log_time_ns` value at one nesting depth, in
 * document order. JSON.parse turns 1.7e18 into a float that is off by up to
 * 256 ns; the digits have to come from the text. One pass: string literals
 * are skipped with indexOf, so the cost is in the structure, not the logs.
 *
 * Depth 1 is the top-level object (standard route); depth 3 is an object in
 * the top-level `contents` array (high-accuracy route).
 */
export function scanLogTimes(text: string, depth: number, firstOnly: boolean): string[] {
  const found: string[] = [];
  let level = 0;
  let index = 0;
  const length = text.length;
  while (index < length) {
    const code = text.charCodeAt(index);
    if (code === 0x22 /* " */) {
      const end = closingQuote(text, index);
      if (level === depth && end - index === 12 && text.startsWith('log_time_ns', index + 1)) {
        let next = skipSpace(text, end + 1);
        if (text.charCodeAt(next) === 0x3a /* : */) {
          next = skipSpace(text, next + 1);
          const value = tokenAt(text, next);
          found.push(value.text);
          if (firstOnly) return found;
          index = value.end;
          continue;
        }
      }
      index = end + 1;
    } else if (code === 0x7b /* { */ || code === 0x5b /* [ */) {
      level += 1;
      index += 1;
    } else if (code === 0x7d /* } */ || code === 0x5d /* ] */) {
      level -= 1;
      index += 1;
    } else {
      index += 1;
    }
  }
  return found;
}

function closingQuote(text: string, open: number): number {
  let end = text.indexOf('"', open + 1);
  while (end !== -1) {
    let backslashes = 0;
    while (text.charCodeAt(end - 1 - backslashes) === 0x5c /* \ */) backslashes += 1;
    if (backslashes % 2 === 0) return end;
    end = text.indexOf('"', end + 1);
  }
  return text.length;
}

function skipSpace(text: string, index: number): number {
  let position = index;
  for (;;) {
    const code = text.charCodeAt(position);
    if (code !== 0x20 && code !== 0x0a && code !== 0x0d && code !== 0x09) return position;
    position += 1;
  }
}

/** A number token, or a string literal (returned with its quotes). */
function tokenAt(text: string, start: number): { text: string; end: number } {
  if (text.charCodeAt(start) === 0x22) {
    const end = closingQuote(text, start);
    return { text: text.slice(start, end + 1), end: end + 1 };
  }
  let end = start;
  while (end < text.length && /[-+.\deE]/.test(text[end]!)) end += 1;
  return { text: text.slice(start, end), end };
}
