import type { Metadata } from 'next';
import { readAccount } from '@/lib/account/account';
import { localMailboxUrl } from '@/lib/account/email';
import { signedInRecently } from '@/lib/account/mfa';
import { renderResult } from '@/lib/actions';
import { loginPathFor } from '@/lib/auth/protected-routes';
import { verifySession } from '@/lib/dal';
import styles from './account.module.css';
import { DeleteAccountSection } from './delete-section';
import { EmailSection } from './email-section';
import { PasskeysSection } from './passkeys-section';
import { PasswordSection } from './password-section';
import { ProfileSection } from './profile-section';
import { SessionSection } from './session-section';
import { SignOutEverywhereSection } from './sign-out-everywhere-section';
import { TwoStepSection } from './two-step-section';

export const metadata: Metadata = { title: 'Account' };

/** Signs in again at managed login even with a live managed-login session (it asks for the code), back to this section. */
const STEP_UP_HREF = `${loginPathFor('/account#account-two-step')}&prompt=login`;

export default async function AccountPage() {
  const session = await verifySession('/account');
  const account = await renderResult('account.read', () => readAccount(session));
  // Cognito refused the access token (signed out everywhere, deleted, no account scope): lib/account
  // recorded the session as signed out, so the next request is sent to sign-in; this render says so.
  // No redirect here: a server action's re-render (e.g. sign out everywhere's) must not navigate away.
  if (!account.ok && account.code === 'session_ended') {
    return (
      <section className="container page" aria-labelledby="account-title">
        <h1 id="account-title">Your account</h1>
        <p className="card" role="alert" data-testid="account-signed-out">
          {account.message}{' '}
          <a href={loginPathFor('/account')} className="button button-primary">
            Sign in again
          </a>
        </p>
      </section>
    );
  }
  return (
    <section className="container page" aria-labelledby="account-title">
      <h1 id="account-title">Your account</h1>
      <div className={styles.sections}>
        {account.ok ? (
          <>
            <ProfileSection
              name={account.value.name}
              givenName={account.value.givenName}
              familyName={account.value.familyName}
              federatedWith={account.value.federatedWith}
            />
            {account.value.federatedWith ? (
              <section className={`card ${styles.section}`} aria-labelledby="account-provider">
                <h2 id="account-provider" className="section-heading">
                  Signing in
                </h2>
                <p data-testid="account-federated">
                  You sign in with {account.value.federatedWith} as <strong>{account.value.email}</strong>. Your password, email
                  and two-step verification are managed there.
                </p>
              </section>
            ) : (
              <>
                <EmailSection
                  email={account.value.email}
                  pendingEmail={account.value.pendingEmail}
                  mailboxUrl={localMailboxUrl()}
                />
                <PasswordSection />
                <TwoStepSection
                  enabled={account.value.totpEnabled}
                  recentSignIn={signedInRecently(session)}
                  signInAgainHref={STEP_UP_HREF}
                />
              </>
            )}
            <PasskeysSection />
          </>
        ) : (
          <p className="card field-error" role="alert" data-testid="account-unavailable">
            Your account details could not be loaded. {account.message}
          </p>
        )}
        <SessionSection session={session} />
        <SignOutEverywhereSection />
        <DeleteAccountSection />
      </div>
    </section>
  );
}
