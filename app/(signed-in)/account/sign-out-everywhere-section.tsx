'use client';

import { useState, useTransition } from 'react';
import { call } from '@/app/_components/call';
import { announceSignOut } from '@/app/_components/session-state';
import styles from './account.module.css';
import { signOutEverywhere } from './actions';

/** Ends every session of the person (every browser and device), then this one, and leaves through Cognito's sign-out. */
export function SignOutEverywhereSection() {
  const [pending, startTransition] = useTransition();
  const [message, setMessage] = useState<string | null>(null);

  function signOut() {
    startTransition(async () => {
      setMessage(null);
      const result = await call(() => signOutEverywhere());
      if (!result.ok) {
        setMessage(result.message);
        return;
      }
      announceSignOut();
      window.location.assign(result.value.signOutUrl);
    });
  }

  return (
    <section className={`card ${styles.section}`} aria-labelledby="account-everywhere">
      <h2 id="account-everywhere" className="section-heading">
        Sign out everywhere
      </h2>
      <p>Signs you out of Cubby on every browser and device, this one included.</p>
      <div className={styles.row}>
        <button
          type="button"
          className="button button-quiet"
          disabled={pending}
          onClick={signOut}
          data-testid="sign-out-everywhere"
        >
          {pending ? 'Signing out…' : 'Sign out everywhere'}
        </button>
      </div>
      <p className={message ? 'field-error' : `muted ${styles.status}`} role="status">
        {message ?? ''}
      </p>
    </section>
  );
}
