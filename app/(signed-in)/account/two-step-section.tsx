'use client';

import { type FormEvent, useState } from 'react';
import type { TotpSetup } from '@/lib/account/types';
import styles from './account.module.css';
import { confirmTwoStep, startTwoStep, turnOffTwoStep } from './actions';
import { StatusLine } from './form-status';
import { useAccountAction } from './use-account-action';

/**
 * Two-step verification with an authenticator app: set up (QR code rendered on the server, the
 * secret as text, then a code from the app), or turn off, which needs a sign-in from the last few
 * minutes (`recentSignIn`); otherwise a link signs in again at managed login, which asks for the
 * authenticator code, and comes back here.
 */
export function TwoStepSection({
  enabled,
  recentSignIn,
  signInAgainHref,
}: {
  enabled: boolean;
  recentSignIn: boolean;
  signInAgainHref: string;
}) {
  const { pending, status, run } = useAccountAction();
  const [setup, setSetup] = useState<TotpSetup | null>(null);

  function confirm(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const input = { code: String(new FormData(event.currentTarget).get('code') ?? '') };
    run(
      () => confirmTwoStep(input),
      'Two-step verification is on. Cubby will ask for a code when you sign in.',
      () => setSetup(null),
    );
  }

  return (
    <section className={`card ${styles.section}`} aria-labelledby="account-two-step">
      <h2 id="account-two-step" className="section-heading">
        Two-step verification{' '}
        <span className={styles.badge} data-testid="two-step-state">
          {enabled ? 'On' : 'Off'}
        </span>
      </h2>
      {enabled ? (
        <>
          <p>When you sign in with your password, Cubby also asks for a code from your authenticator app.</p>
          {recentSignIn ? (
            <div className={styles.row}>
              <button
                type="button"
                className="button button-danger"
                disabled={pending}
                onClick={() => run(() => turnOffTwoStep(), 'Two-step verification is off.')}
              >
                Turn off two-step verification
              </button>
            </div>
          ) : (
            <p>
              To turn it off, first{' '}
              <a href={signInAgainHref} data-testid="two-step-reauth">
                sign in again with a code from your app
              </a>
              .
            </p>
          )}
        </>
      ) : setup ? (
        <form className={styles.form} onSubmit={confirm}>
          <p>Scan this code with an authenticator app, or type the key below into it, then enter the 6-digit code it shows.</p>
          {/* SVG rendered on the server by the qrcode library from the otpauth:// URI: no text of the person's in it. */}
          <div
            className={styles.qr}
            role="img"
            aria-label="QR code for your authenticator app"
            // biome-ignore lint/security/noDangerouslySetInnerHtml: server-generated QR code SVG (modules only).
            dangerouslySetInnerHTML={{ __html: setup.qrSvg }}
          />
          <p>
            Key:{' '}
            <span className={styles.secret} data-testid="totp-secret">
              {setup.secret}
            </span>
          </p>
          <div className={styles.field}>
            <label htmlFor="account-totp-code">Code from your app</label>
            <input
              id="account-totp-code"
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
              Turn on
            </button>
            <button type="button" className="button button-quiet" disabled={pending} onClick={() => setSetup(null)}>
              Cancel
            </button>
          </div>
        </form>
      ) : (
        <>
          <p>Protect your account with a code from an authenticator app each time you sign in with your password.</p>
          <div className={styles.row}>
            <button
              type="button"
              className="button button-primary"
              disabled={pending}
              onClick={() =>
                run(
                  () => startTwoStep(),
                  '',
                  (value) => setSetup(value),
                )
              }
            >
              Set up two-step verification
            </button>
          </div>
        </>
      )}
      <StatusLine status={status} testId="two-step-status" />
    </section>
  );
}
