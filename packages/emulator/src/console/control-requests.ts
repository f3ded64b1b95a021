/** Calls the emulator's control API from the page. */

/** The answer of a control request: its status and JSON body. */
export interface ControlAnswer {
  ok: boolean;
  status: number;
  body: unknown;
}

/** Sends a control request (`POST` with a JSON body, or `DELETE`) and reads the JSON answer. */
export async function sendControl(
  method: 'POST' | 'DELETE',
  path: string,
  body?: unknown,
): Promise<ControlAnswer> {
  const response = await fetch(path, {
    method,
    ...(body === undefined
      ? {}
      : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
  });
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text) as unknown;
  } catch {
    // Not JSON: keep the text.
  }
  return { ok: response.ok, status: response.status, body: parsed };
}

/** The `error` of a refused control request, or its status. */
export function controlError(answer: ControlAnswer): string {
  const body = answer.body as { error?: unknown } | null;
  return typeof body?.error === 'string' ? body.error : `HTTP ${answer.status}`;
}
