import type { ConsoleMetadata } from '../console-protocol.ts';
import { element, replaceChildren, requireElement } from './dom.ts';
import type { ControlSender } from './fault-controls.ts';
import { formatCount } from './format.ts';

/** Wires the metadata stand-in's buttons and switches to `POST /_emulator/metadata`. */
export function wireMetadataControls(send: ControlSender): void {
  requireElement('expire-keys', HTMLButtonElement).addEventListener('click', () => {
    void send(
      '/_emulator/metadata',
      { expireKeys: true },
      'Every temporary key has expired; the next securitykey call issues a fresh one.',
    );
  });
  const tokenApi = requireElement('metadata-token-api', HTMLInputElement);
  tokenApi.addEventListener('change', () => {
    void send(
      '/_emulator/metadata',
      { tokenApi: tokenApi.checked },
      tokenApi.checked ? 'The metadata token API is on.' : 'The metadata token API answers 404.',
    );
  });
  const agency = requireElement('metadata-agency', HTMLInputElement);
  agency.addEventListener('change', () => {
    void send(
      '/_emulator/metadata',
      { agency: agency.checked },
      agency.checked ? 'The agency is attached.' : 'securitykey answers 401: no agency.',
    );
  });
}

/** Shows the metadata stand-in's state (hidden when it does not run). */
export function showMetadata(metadata: ConsoleMetadata | null, send: ControlSender): void {
  const section = requireElement('metadata-controls', HTMLElement);
  section.hidden = metadata === null;
  if (metadata === null) return;
  requireElement('metadata-summary', HTMLElement).textContent =
    `${metadata.url}: ${formatCount(metadata.issuedKeys)} keys issued, ${formatCount(metadata.activeKeys)} active${
      metadata.currentKey === null
        ? ''
        : `; current ${metadata.currentKey.accessKeyId} until ${metadata.currentKey.expiresAt}`
    }.`;
  requireElement('metadata-token-api', HTMLInputElement).checked = metadata.tokenApi;
  requireElement('metadata-agency', HTMLInputElement).checked = metadata.agency;
  replaceChildren(
    requireElement('temporary-keys', HTMLUListElement),
    ...metadata.keys.slice(-20).map((key) => {
      const revoke = element(
        'button',
        {
          type: 'button',
          disabled: key.state !== 'active',
          'aria-label': `Revoke ${key.accessKeyId}`,
        },
        'Revoke',
      );
      revoke.addEventListener('click', () => {
        void send(
          '/_emulator/metadata',
          { revoke: key.accessKeyId },
          `Key ${key.accessKeyId} was revoked.`,
        );
      });
      return element(
        'li',
        {},
        element('code', {}, key.accessKeyId),
        element('span', { class: `state ${key.state}` }, key.state),
        revoke,
      );
    }),
  );
}
