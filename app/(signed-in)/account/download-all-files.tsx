'use client';

import { useState, useTransition } from 'react';
import { call } from '@/app/_components/call';
import type { DownloadArea, DownloadLink } from '@/lib/account/download-all';
import { formatBytes } from '../files/_components/format';
import { listDownloadLinks } from './delete-actions';
import styles from './delete-passkeys.module.css';

const AREA_LABELS: Record<DownloadArea, string> = { files: '', published: ' (published copy)', avatar: ' (your picture)' };

/**
 * "Download all my files": a list of download links for everything the person owns, made on the
 * server with their own credentials, a page at a time. The links stop working after 15 minutes.
 */
export function DownloadAllFiles() {
  const [links, setLinks] = useState<DownloadLink[] | null>(null);
  const [cursor, setCursor] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();

  function load(next: string | null) {
    startTransition(async () => {
      const result = await call(() => listDownloadLinks({ cursor: next }));
      if (!result.ok) {
        setError(result.message);
        return;
      }
      setError(null);
      setLinks((shown) => [...(next ? (shown ?? []) : []), ...result.value.links]);
      setCursor(result.value.nextCursor);
    });
  }

  return (
    <div className={styles.confirm}>
      <p>Before you go, download your files: each link below saves one file. The links work for 15 minutes.</p>
      <div>
        <button
          type="button"
          className="button button-quiet"
          onClick={() => load(null)}
          disabled={pending}
          data-testid="download-all"
        >
          {pending && !links ? 'Preparing links…' : links ? 'Make fresh links' : 'Download all my files'}
        </button>
      </div>
      {error ? (
        <p className="field-error" role="alert">
          {error}
        </p>
      ) : null}
      {links ? (
        links.length === 0 ? (
          <p className="muted" data-testid="download-links-empty">
            You have no files to download.
          </p>
        ) : (
          <ol className={styles.links} aria-label="Download links" data-testid="download-links">
            {links.map((link) => (
              <li key={`${link.area}:${link.name}`}>
                <a href={link.url} download={link.name}>
                  {link.name}
                </a>
                <span className="muted">
                  {AREA_LABELS[link.area]} · {formatBytes(link.size)}
                </span>
              </li>
            ))}
          </ol>
        )
      ) : null}
      {cursor ? (
        <div>
          <button type="button" className="button button-quiet" onClick={() => load(cursor)} disabled={pending}>
            {pending ? 'Loading…' : 'Show more links'}
          </button>
        </div>
      ) : null}
    </div>
  );
}
