'use client';

import { useState } from 'react';
import { call } from '@/app/_components/call';
import type { ShareLink } from '@/lib/files/share';
import styles from '../_components/entry-list.module.css';
import { formatBytes } from '../files/_components/format';
import { formatShareEnd } from '../files/_components/share-dialog';
import { revokeShare } from '../files/share-actions';

/** The person's active links, each with its end, its address and a Revoke button (no confirmation: revoking loses no file). */
export function SharedLinksList({ initial }: { initial: readonly ShareLink[] }) {
  const [links, setLinks] = useState(initial);
  const [status, setStatus] = useState('');
  const [pending, setPending] = useState<string | null>(null);

  const revoke = async (link: ShareLink) => {
    setPending(link.token);
    const result = await call(() => revokeShare({ token: link.token }));
    setPending(null);
    if (!result.ok) return setStatus(result.message);
    setLinks((current) => current.filter((other) => other.token !== link.token));
    setStatus(`Revoked the link to “${link.name}”.`);
  };

  return (
    <>
      <p role="status" className={styles.status} data-testid="shared-links-status">
        {status}
      </p>
      {links.length === 0 ? (
        <p className="card" data-testid="shared-links-empty">
          You have no active shared links.
        </p>
      ) : (
        <ul className={styles.list} data-testid="shared-links">
          {links.map((link) => (
            <li key={link.token} className={`card ${styles.item}`} data-testid="shared-link">
              <div className={styles.text}>
                <span className={styles.name}>{link.name}</span>
                <span className="muted">
                  {formatBytes(link.size)} · ends{' '}
                  <time dateTime={link.expiresAt} suppressHydrationWarning>
                    {formatShareEnd(link.expiresAt)}
                  </time>
                </span>
                <a className={styles.detail} href={link.path} rel="noreferrer" target="_blank">
                  {link.path}
                </a>
              </div>
              <button
                type="button"
                className="button button-quiet"
                disabled={pending === link.token}
                aria-label={`Revoke the link to ${link.name}`}
                onClick={() => void revoke(link)}
              >
                {pending === link.token ? 'Revoking…' : 'Revoke'}
              </button>
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
