'use client';

import { type FormEvent, useRef, useState, useTransition } from 'react';
import { call } from '@/app/_components/call';
import { announceSignOut } from '@/app/_components/session-state';
import { confirmsDeletion, deletionConfirmationFor } from '@/lib/account/delete-confirmation';
import { deleteAccount } from './delete-actions';
import styles from './delete-passkeys.module.css';
import { DELETION_SUMMARY_KEY } from './delete-summary-notice';

/**
 * Deleting the account: the person types their email address (or DELETE when there is none), then
 * the server deletes every object of theirs and the user, and signs them out everywhere. A run
 * that stops part-way says so and can simply be run again. On success the summary is kept for the
 * landing page and the browser signs out as the header's button does (POST /auth/logout, which
 * also ends the managed-login session and lands on the landing page).
 */
export function DeleteAccountForm({ email }: { email: string | null }) {
  const confirmation = deletionConfirmationFor(email);
  const [typed, setTyped] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();
  const [leaving, setLeaving] = useState(false);
  const signOutForm = useRef<HTMLFormElement>(null);

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (!confirmsDeletion(typed, email)) return;
    startTransition(async () => {
      setError(null);
      const result = await call(() => deleteAccount({ confirmation: typed }));
      if (!result.ok) {
        setError(result.message);
        return;
      }
      setLeaving(true);
      try {
        sessionStorage.setItem(DELETION_SUMMARY_KEY, JSON.stringify(result.value));
      } catch {
        // Storage refused (private mode): the landing page just shows no summary.
      }
      announceSignOut();
      signOutForm.current?.submit();
    });
  }

  return (
    <>
      <form className={styles.confirm} onSubmit={submit} aria-describedby="account-delete-warning">
        <p id="account-delete-warning">
          Deleting your account removes every file you keep in Cubby, the copies you published, your picture and your sign-in.
          This cannot be undone.
        </p>
        <div>
          <label htmlFor="account-delete-confirmation">
            Type <strong>{confirmation}</strong> to confirm
          </label>
          <input
            id="account-delete-confirmation"
            className="text-input"
            value={typed}
            onChange={(event) => setTyped(event.target.value)}
            autoComplete="off"
            spellCheck={false}
            maxLength={320}
            disabled={pending || leaving}
            data-testid="delete-confirmation"
          />
        </div>
        <div>
          <button
            type="submit"
            className="button button-danger"
            disabled={pending || leaving || !confirmsDeletion(typed, email)}
            data-testid="delete-account"
          >
            {pending || leaving ? 'Deleting… keep this page open' : 'Delete my account and files'}
          </button>
        </div>
        <p className={error ? 'field-error' : 'muted'} role="status" data-testid="delete-status">
          {error ?? (leaving ? 'Your account was deleted. Signing you out…' : '')}
        </p>
      </form>
      <form ref={signOutForm} action="/auth/logout" method="post" hidden />
    </>
  );
}
