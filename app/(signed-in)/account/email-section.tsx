'use client';

import { type FormEvent, useState } from 'react';
import { MAX_EMAIL_LENGTH } from '@/lib/account/limits';
import styles from './account.module.css';
import { changeEmail, resendEmailCode, verifyEmail } from './actions';
import { StatusLine } from './form-status';
import { useAccountAction } from './use-account-action';

/**
 * Changing the email: the new address gets a code; until it is confirmed the current address
 * stays the sign-in name, and the section says so.
 */
export function EmailSection({
  email,
  pendingEmail,
  mailboxUrl,
}: {
  email: string;
  pendingEmail: string | null;
  /** The emulator's dev mailbox (local only), or null on AWS. */
  mailboxUrl: string | null;
}) {
  const { pending, status, run } = useAccountAction();
  const [waiting, setWaiting] = useState<string | null>(pendingEmail);
  const shown = waiting ?? pendingEmail;

  function start(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const input = { email: String(new FormData(event.currentTarget).get('email') ?? '') };
    run(
      () => changeEmail(input),
      (started) => `We sent a code to ${started.pendingEmail}.`,
      (started) => setWaiting(started.pendingEmail),
    );
  }

  function confirm(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const input = { code: String(new FormData(event.currentTarget).get('code') ?? '') };
    run(
      () => verifyEmail(input),
      'Your email was changed. Use it the next time you sign in.',
      () => setWaiting(null),
    );
  }

  return (
    <section className={`card ${styles.section}`} aria-labelledby="account-email">
      <h2 id="account-email" className="section-heading">
        Email
      </h2>
      <p>
        You sign in with <strong data-testid="account-email">{email}</strong>.
      </p>
      {shown ? (
        <form className={styles.form} onSubmit={confirm} data-testid="email-pending">
          <p>
            We sent a code to <strong>{shown}</strong>. Until you enter it, you still sign in with <strong>{email}</strong>.
            {mailboxUrl ? (
              <>
                {' '}
                Codes land in the <a href={mailboxUrl}>local mailbox</a>.
              </>
            ) : null}
          </p>
          <div className={styles.field}>
            <label htmlFor="account-email-code">Code from the email</label>
            <input
              id="account-email-code"
              name="code"
              className="text-input"
              inputMode="numeric"
              autoComplete="one-time-code"
              pattern="[0-9]{6}"
              maxLength={6}
              required
            />
          </div>
          <div className={styles.row}>
            <button type="submit" className="button button-primary" disabled={pending}>
              Confirm new email
            </button>
            <button
              type="button"
              className="button button-quiet"
              disabled={pending}
              onClick={() => run(() => resendEmailCode(), 'We sent a new code.')}
            >
              Send a new code
            </button>
          </div>
        </form>
      ) : null}
      <form className={styles.form} onSubmit={start}>
        <div className={styles.field}>
          <label htmlFor="account-new-email">{shown ? 'Use another address instead' : 'New email address'}</label>
          <input
            id="account-new-email"
            name="email"
            type="email"
            className="text-input"
            autoComplete="email"
            maxLength={MAX_EMAIL_LENGTH}
            required
          />
        </div>
        <div className={styles.row}>
          <button type="submit" className="button button-quiet" disabled={pending}>
            Send a code to this address
          </button>
        </div>
      </form>
      <StatusLine status={status} testId="email-status" />
    </section>
  );
}
