import { getSession } from '@/lib/dal';
import { DeleteAccountForm } from './delete-account-form';
import styles from './delete-passkeys.module.css';
import { DownloadAllFiles } from './download-all-files';

/**
 * Leaving Cubby: first a way to download everything (links signed with the person's own
 * credentials), then deleting the account behind a typed confirmation.
 */
export async function DeleteAccountSection() {
  const session = await getSession();
  if (!session) return null;
  return (
    <section className={`card ${styles.section}`} aria-labelledby="account-delete" data-testid="delete-section">
      <h2 id="account-delete" className="section-heading">
        Delete your account
      </h2>
      <DownloadAllFiles />
      <DeleteAccountForm email={session.email} />
    </section>
  );
}
