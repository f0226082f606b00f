'use client';

import { useRouter } from 'next/navigation';
import { useState, useTransition } from 'react';
import { call } from '../call';
import { removeFromGallery } from './actions';
import styles from './gallery.module.css';

/** "Remove" on a gallery tile, with an inline confirmation; admins see "Remove (admin)" on others' files. */
export function RemoveFromGalleryButton({ fileKey, name, moderated }: { fileKey: string; name: string; moderated: boolean }) {
  const router = useRouter();
  const [confirming, setConfirming] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();

  function remove() {
    startTransition(async () => {
      const result = await call(() => removeFromGallery({ key: fileKey }));
      if (result.ok) {
        setConfirming(false);
        router.refresh();
      } else {
        setError(result.message);
      }
    });
  }

  if (!confirming) {
    return (
      <button
        type="button"
        className={styles.remove}
        onClick={() => setConfirming(true)}
        aria-label={`Remove ${name} from the gallery`}
      >
        {moderated ? 'Remove (admin)' : 'Remove'}
      </button>
    );
  }
  return (
    <fieldset className={styles.confirm} aria-label={`Confirm removing ${name}`}>
      <button type="button" className={styles.danger} onClick={remove} disabled={pending}>
        {pending ? 'Removing…' : 'Yes, remove'}
      </button>
      <button type="button" className={styles.remove} onClick={() => setConfirming(false)} disabled={pending}>
        Keep
      </button>
      {error ? (
        <p role="alert" className={styles.error}>
          {error}
        </p>
      ) : null}
    </fieldset>
  );
}
