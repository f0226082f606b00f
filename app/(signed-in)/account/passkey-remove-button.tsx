'use client';

import { useRouter } from 'next/navigation';
import { useState, useTransition } from 'react';
import { call } from '@/app/_components/call';
import { removePasskey } from './passkey-actions';

/**
 * Removes one passkey after the person confirms (a second, explicit button: "Remove"
 * first asks, "Yes, remove it" removes), then refreshes the list.
 */
export function PasskeyRemoveButton({ id, name }: { id: string; name: string }) {
  const router = useRouter();
  const [asking, setAsking] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();

  function remove() {
    startTransition(async () => {
      const result = await call(() => removePasskey({ id }));
      if (!result.ok) {
        setError(result.message);
        return;
      }
      setAsking(false);
      router.refresh();
    });
  }

  if (!asking) {
    return (
      <button type="button" className="button button-quiet" onClick={() => setAsking(true)} data-testid="passkey-remove">
        Remove<span className="visually-hidden"> {name}</span>
      </button>
    );
  }
  return (
    <span>
      <span>Remove {name}? You will no longer be able to sign in with it. </span>
      <button
        type="button"
        className="button button-danger"
        onClick={remove}
        disabled={pending}
        data-testid="passkey-remove-confirm"
      >
        {pending ? 'Removing…' : 'Yes, remove it'}
      </button>{' '}
      <button type="button" className="button button-quiet" onClick={() => setAsking(false)} disabled={pending}>
        Keep it
      </button>
      {error ? (
        <span className="field-error" role="alert">
          {' '}
          {error}
        </span>
      ) : null}
    </span>
  );
}
