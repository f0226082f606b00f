'use client';

import { useRouter } from 'next/navigation';
import { useState, useTransition } from 'react';
import { call } from '@/app/_components/call';
import {
  creationOptionsFromJson,
  NO_WEBAUTHN_MESSAGE,
  passkeyErrorMessage,
  registrationToJson,
} from '@/lib/account/passkey-json';
import styles from './delete-passkeys.module.css';
import { finishAddingPasskey, startAddingPasskey } from './passkey-actions';

/** Whether this browser can create passkeys at all. */
function canCreatePasskeys(): boolean {
  return typeof window.PublicKeyCredential === 'function' && typeof navigator.credentials?.create === 'function';
}

/**
 * Adds a passkey: the server action asks Cognito for the creation options, the browser's own
 * `navigator.credentials.create()` makes the credential, and a second action hands its answer to
 * Cognito. Only WebAuthn JSON crosses to the server; no token or library lives here.
 */
export function PasskeyAddButton() {
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  const [status, setStatus] = useState<{ ok: boolean; text: string } | null>(null);

  function add() {
    startTransition(async () => {
      setStatus(null);
      if (!canCreatePasskeys()) {
        setStatus({ ok: false, text: NO_WEBAUTHN_MESSAGE });
        return;
      }
      const started = await call(() => startAddingPasskey());
      if (!started.ok) {
        setStatus({ ok: false, text: started.message });
        return;
      }
      let answer: RegistrationResponseJSON;
      try {
        const created = await navigator.credentials.create({ publicKey: creationOptionsFromJson(started.value) });
        if (!(created instanceof PublicKeyCredential)) throw new DOMException('no credential', 'NotAllowedError');
        answer = registrationToJson({
          id: created.id,
          rawId: created.rawId,
          type: created.type,
          authenticatorAttachment: created.authenticatorAttachment,
          response: created.response as AuthenticatorAttestationResponse,
          getClientExtensionResults: () => created.getClientExtensionResults(),
        });
      } catch (error) {
        setStatus({ ok: false, text: passkeyErrorMessage(error) });
        return;
      }
      const finished = await call(() => finishAddingPasskey(answer));
      if (!finished.ok) {
        setStatus({ ok: false, text: finished.message });
        return;
      }
      setStatus({ ok: true, text: 'Your passkey was added. Next time, choose “Passkey” on the sign-in page.' });
      router.refresh();
    });
  }

  return (
    <div className={styles.add}>
      <button type="button" className="button button-primary" onClick={add} disabled={pending} data-testid="passkey-add">
        {pending ? 'Waiting for your device…' : 'Add a passkey'}
      </button>
      <p className={status && !status.ok ? 'field-error' : 'muted'} role="status" data-testid="passkey-status">
        {status?.text ?? ''}
      </p>
    </div>
  );
}
