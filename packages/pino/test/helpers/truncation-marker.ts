/**
 * The marker @logtank/core ends a cut record with, as the tests expect it:
 * `…[truncated by logtank: N bytes]`, N the record's whole size in UTF-8.
 */
export function truncationMarker(originalBytes: number): string {
  return `…[truncated by logtank: ${originalBytes} bytes]`;
}
