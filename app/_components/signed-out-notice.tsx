'use client';

import { useEffect, useRef } from 'react';
import { signInAgainHref, useSignedOut } from './session-state';
import styles from './signed-out-notice.module.css';

/**
 * The notice a page shows once a server action said the session ended (signed out in another tab,
 * idle or absolute timeout): what happened, and one button that signs in and comes back to this
 * very page. Focus moves to the button so keyboard and screen-reader users land on the way out.
 */
export function SignedOutNotice() {
  const signedOut = useSignedOut();
  const signIn = useRef<HTMLAnchorElement>(null);
  useEffect(() => {
    if (signedOut) signIn.current?.focus();
  }, [signedOut]);
  if (!signedOut) return null;
  return (
    <div className={styles.notice} role="alert" data-testid="signed-out-notice">
      <div className={`container ${styles.inner}`}>
        <p className={styles.text}>
          <strong>You’ve been signed out — sign in again.</strong> Uploads that were in progress were cancelled; your files are
          safe.
        </p>
        {/* A plain link: sign-in is a full-page redirect to the managed-login pages. */}
        <a ref={signIn} href={signInAgainHref()} className="button button-primary" data-testid="sign-in-again">
          Sign in again
        </a>
      </div>
    </div>
  );
}

/**
 * The signed-in part of the header, until the page learns the session ended: then a "Sign in"
 * link that comes back here, so the header never claims a person is signed in when they are not.
 */
export function SignedInOnly({ children }: { children: React.ReactNode }) {
  const signedOut = useSignedOut();
  if (!signedOut) return children;
  return (
    <a href={signInAgainHref()} className="button button-primary" data-testid="sign-in">
      Sign in
    </a>
  );
}
