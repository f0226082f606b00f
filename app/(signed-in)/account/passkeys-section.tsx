import { listPasskeys, type Passkey } from '@/lib/account/passkeys';
import { renderResult } from '@/lib/actions';
import { getSession } from '@/lib/dal';
import styles from './delete-passkeys.module.css';
import { PasskeyAddButton } from './passkey-add-button';
import { PasskeyRemoveButton } from './passkey-remove-button';

const created = new Intl.DateTimeFormat('en', { dateStyle: 'medium', timeZone: 'UTC' });

/** Where a passkey lives, in words. */
function kindOf(passkey: Passkey): string {
  if (passkey.attachment === 'platform') return 'Built into a device';
  if (passkey.attachment === 'cross-platform') return 'Security key or phone';
  return 'Passkey';
}

/**
 * The person's passkeys (from Cognito with their access token, on the server): each with its
 * name, when it was added and what kind it is, a way to remove it, and a button to add one. The
 * only browser code is the small add and remove components.
 */
export async function PasskeysSection() {
  const session = await getSession();
  if (!session) return null;
  const listed = await renderResult('account.passkeys', () => listPasskeys(session.tokens().accessToken));
  return (
    <section className={`card ${styles.section}`} aria-labelledby="account-passkeys" data-testid="passkeys-section">
      <h2 id="account-passkeys" className="section-heading">
        Passkeys
      </h2>
      <p>
        Sign in with your fingerprint, face, screen lock or a security key instead of your password. Choose “Passkey” on the
        sign-in page.
      </p>
      {!listed.ok ? (
        <p className="field-error" role="alert" data-testid="passkeys-error">
          {listed.message}
        </p>
      ) : listed.value.length === 0 ? (
        <p className="muted" data-testid="passkeys-empty">
          You have no passkeys yet.
        </p>
      ) : (
        <ul className={styles.list} data-testid="passkey-list">
          {listed.value.map((passkey) => (
            <li key={passkey.id} className={styles.item} data-testid="passkey-item">
              <strong>{passkey.name}</strong>{' '}
              <span className="muted">
                {kindOf(passkey)} · added <time dateTime={passkey.createdAt}>{created.format(new Date(passkey.createdAt))}</time>
              </span>
              <PasskeyRemoveButton id={passkey.id} name={passkey.name} />
            </li>
          ))}
        </ul>
      )}
      <PasskeyAddButton />
    </section>
  );
}
