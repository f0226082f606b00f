'use client';

import { useRef, useState, useTransition } from 'react';
import { call } from '@/app/_components/call';
import { announceSignOut } from '@/app/_components/session-state';
import styles from './account.module.css';
import { signOutEverywhere } from './actions';

/**
 * Ends every session of the person (every browser and device), then signs this browser out as the
 * header's button does: the same POST to /auth/logout, which also ends the managed-login session.
 */
export function SignOutEverywhereSection() {
  const [pending, startTransition] = useTransition();
  const [message, setMessage] = useState<string | null>(null);
  const signOutForm = useRef<HTMLFormElement>(null);

  function signOut() {
    startTransition(async () => {
      setMessage(null);
      const result = await call(() => signOutEverywhere());
      if (!result.ok) {
        setMessage(result.message);
        return;
      }
      announceSignOut();
      signOutForm.current?.submit();
    });
  }

  return (
    <section className={`card ${styles.section}`} aria-labelledby="account-everywhere">
      <h2 id="account-everywhere" className="section-heading">
        Sign out everywhere
      </h2>
      <p>Signs you out of Cubby on every browser and device, this one included.</p>
      <form ref={signOutForm} action="/auth/logout" method="post" className={styles.row}>
        <button
          type="button"
          className="button button-quiet"
          disabled={pending}
          onClick={signOut}
          data-testid="sign-out-everywhere"
        >
          {pending ? 'Signing out…' : 'Sign out everywhere'}
        </button>
      </form>
      <p className={message ? 'field-error' : `muted ${styles.status}`} role="status">
        {message ?? ''}
      </p>
    </section>
  );
}
