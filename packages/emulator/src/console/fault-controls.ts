import type { ConsoleControls, ConsoleFaults } from '../console-protocol.ts';
import { controlError, sendControl } from './control-requests.ts';
import { element, replaceChildren, requireElement } from './dom.ts';
import { showMetadata, wireMetadataControls } from './metadata-controls.ts';

/** What a control button or form sends, and how the page says it worked. */
export type ControlSender = (
  path: string,
  body: unknown,
  done: string,
  method?: 'POST' | 'DELETE',
) => Promise<void>;

/**
 * Wires the fault controls to the control API (`POST /_emulator/faults`,
 * `DELETE /_emulator/faults`, `POST /_emulator/metadata`) and returns the
 * function that shows the controls' state as the emulator reports it.
 */
export function wireFaultControls(): (controls: ConsoleControls) => void {
  const result = requireElement('control-result', HTMLElement);
  const send: ControlSender = async (path, body, done, method = 'POST') => {
    result.dataset.kind = 'pending';
    result.textContent = 'Sending…';
    try {
      const answer = await sendControl(method, path, body);
      result.dataset.kind = answer.ok ? 'done' : 'error';
      result.textContent = answer.ok ? done : `Refused: ${controlError(answer)}`;
    } catch (error) {
      result.dataset.kind = 'error';
      result.textContent = `The emulator did not answer: ${(error as Error).message}`;
    }
  };
  const number = (id: string) => Number(requireElement(id, HTMLInputElement).value);
  const selected = (id: string) => Number(requireElement(id, HTMLSelectElement).value);
  const onSubmit = (id: string, action: () => Promise<void>) => {
    requireElement(id, HTMLFormElement).addEventListener('submit', (event) => {
      event.preventDefault();
      void action();
    });
  };
  const onClick = (id: string, action: () => Promise<void>) => {
    requireElement(id, HTMLButtonElement).addEventListener('click', () => void action());
  };

  onSubmit('rate-form', () => {
    const status = selected('rate-status');
    const percent = number('rate-percent');
    const failureRates = percent > 0 ? [{ status, probability: percent / 100 }] : [];
    const done =
      percent > 0 ? `${percent}% of report requests now answer ${status}.` : 'No random failures.';
    return send('/_emulator/faults', { failureRates }, done);
  });
  onSubmit('latency-form', () => {
    const latencyMs = number('latency');
    return send(
      '/_emulator/faults',
      { latencyMs },
      `Every answer now comes ${latencyMs} ms later.`,
    );
  });
  onSubmit('next-form', () => {
    const count = number('next-count');
    const status = selected('next-status');
    const enqueue = Array.from({ length: count }, () => ({ status }));
    return send(
      '/_emulator/faults',
      { enqueue },
      `The next ${count} report requests answer ${status}.`,
    );
  });
  onClick('hang-next', () =>
    send('/_emulator/faults', { hang: { count: 1 } }, 'The next report request will hang.'),
  );
  onClick('drop-next', () =>
    send(
      '/_emulator/faults',
      { drop: { when: 'before-body', count: 1 } },
      'The next connection will be dropped before its body is read.',
    ),
  );
  onClick('drop-after-next', () =>
    send(
      '/_emulator/faults',
      { drop: { when: 'after-body', count: 1 } },
      'The next request will be stored, then its connection dropped.',
    ),
  );
  onClick('expire-tokens', () =>
    send('/_emulator/faults', { expireTokens: {} }, 'Every token known so far has expired.'),
  );
  onClick('clear-faults', () =>
    send('/_emulator/faults', undefined, 'Faults cleared (token expiries stay).', 'DELETE'),
  );
  wireMetadataControls(send);

  const active = requireElement('active-faults', HTMLElement);
  const tokens = requireElement('tokens', HTMLUListElement);
  return (controls) => {
    active.textContent = describeFaults(controls.faults);
    replaceChildren(
      tokens,
      ...controls.tokens.slice(-20).map(({ tokenId, expired }) => {
        const button = element(
          'button',
          { type: 'button', disabled: expired, 'aria-label': `Expire token ${tokenId}` },
          'Expire',
        );
        button.addEventListener('click', () =>
          send('/_emulator/faults', { expireToken: { tokenId } }, `Token ${tokenId} has expired.`),
        );
        return element(
          'li',
          {},
          element('code', {}, tokenId),
          element(
            'span',
            { class: expired ? 'state expired' : 'state active' },
            expired ? 'expired' : 'active',
          ),
          button,
        );
      }),
    );
    showMetadata(controls.metadata, send);
  };
}

/** `503 at 30%, latency 200 ms, 2 queued` */
function describeFaults(faults: ConsoleFaults): string {
  const parts = faults.failureRates.map(
    (rate) =>
      `${rate.status} at ${Math.round(rate.probability * 1000) / 10}%${rate.api === undefined ? '' : ` (${rate.api})`}`,
  );
  if (faults.latencyMs > 0) parts.push(`latency ${faults.latencyMs} ms`);
  if (faults.queue.length > 0) {
    const queued = faults.queue.map((outcome) =>
      'status' in outcome
        ? String(outcome.status)
        : 'hang' in outcome
          ? 'hang'
          : 'drop' in outcome
            ? `drop ${String(outcome.drop)}`
            : 'delay',
    );
    parts.push(`next: ${queued.join(', ')}`);
  }
  if (faults.hangRemaining !== 0)
    parts.push(
      `hang ${faults.hangRemaining === 'all' ? 'every request' : `${faults.hangRemaining} more`}`,
    );
  if (faults.drops !== undefined && faults.drops.remaining !== 0) {
    parts.push(
      `drop ${faults.drops.when} (${faults.drops.remaining === 'all' ? 'every request' : `${faults.drops.remaining} more`})`,
    );
  }
  return parts.length === 0
    ? 'No faults: every request is answered normally.'
    : `Active: ${parts.join('; ')}.`;
}
