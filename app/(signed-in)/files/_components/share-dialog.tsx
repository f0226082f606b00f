'use client';

import Link from 'next/link';
import { type FormEvent, useId, useState } from 'react';
import { call } from '@/app/_components/call';
import type { ShareLink } from '@/lib/files/share';
import { DEFAULT_SHARE_DURATION, SHARE_DURATION_RULES, SHARE_DURATIONS, type ShareDuration } from '@/lib/files/share-rules';
import type { FileItem } from '@/lib/files/types';
import { shareFile } from '../share-actions';
import { formatDate } from './format';
import { Modal } from './modal';
import styles from './share-dialog.module.css';

/** When a link ends, in the person's locale and time zone. */
export const formatShareEnd = formatDate;

function CreatedLink({ link, onClose }: { link: ShareLink; onClose: () => void }) {
  const inputId = useId();
  const [copied, setCopied] = useState(false);
  const url = `${window.location.origin}${link.path}`;
  return (
    <div className={styles.created} data-testid="share-created">
      <label htmlFor={inputId}>Link to “{link.name}”</label>
      <div className={styles.urlRow}>
        <input
          id={inputId}
          className="text-input"
          type="text"
          readOnly
          value={url}
          data-testid="share-url"
          data-autofocus
          onFocus={(event) => event.currentTarget.select()}
        />
        <button
          type="button"
          className="button button-primary"
          onClick={() => {
            void navigator.clipboard?.writeText(url).then(
              () => setCopied(true),
              () => setCopied(false),
            );
          }}
        >
          Copy link
        </button>
      </div>
      <p className="muted" role="status">
        {copied ? 'Copied. ' : ''}Anyone with this link can download the file until {formatShareEnd(link.expiresAt)}.
      </p>
      <div className="dialog-actions">
        <Link href="/shared-links" className="button button-quiet">
          Manage shared links
        </Link>
        <button type="button" className="button button-primary" onClick={onClose}>
          Done
        </button>
      </div>
    </div>
  );
}

function ShareForm({ file, onClose }: { file: FileItem; onClose: () => void }) {
  const [duration, setDuration] = useState<ShareDuration>(DEFAULT_SHARE_DURATION);
  const [problem, setProblem] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  const [link, setLink] = useState<ShareLink | null>(null);
  const legendId = useId();

  if (link) return <CreatedLink link={link} onClose={onClose} />;

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    setPending(true);
    const result = await call(() => shareFile({ key: file.key, duration }));
    setPending(false);
    if (result.ok) setLink(result.value);
    else setProblem(result.message);
  };

  return (
    <form className={styles.form} onSubmit={(event) => void submit(event)}>
      <fieldset className={styles.durations} aria-describedby={legendId}>
        <legend id={legendId}>The link works for</legend>
        {SHARE_DURATIONS.map((choice) => (
          <label key={choice} className={styles.duration}>
            <input
              type="radio"
              name="duration"
              value={choice}
              checked={duration === choice}
              data-autofocus={choice === DEFAULT_SHARE_DURATION ? true : undefined}
              onChange={() => setDuration(choice)}
            />
            {SHARE_DURATION_RULES[choice].label}
          </label>
        ))}
      </fieldset>
      <p className="muted">
        Anyone who has the link can see and download “{file.name}”, without an account. The link holds a copy of the file, which
        counts toward your storage until the link ends or you revoke it.
      </p>
      <p className="field-error" role="alert">
        {problem}
      </p>
      <div className="dialog-actions">
        <button type="button" className="button button-quiet" onClick={onClose}>
          Cancel
        </button>
        <button type="submit" className="button button-primary" disabled={pending}>
          {pending ? 'Creating link…' : 'Create link'}
        </button>
      </div>
    </form>
  );
}

/** Shares `file` as a link (closed when null): the lifetime to choose, then the link to copy. */
export function ShareDialog({ file, onClose }: { file: FileItem | null; onClose: () => void }) {
  return (
    <Modal open={file !== null} title="Share a link" onClose={onClose} testId="share-dialog">
      {file ? <ShareForm key={file.key} file={file} onClose={onClose} /> : null}
    </Modal>
  );
}
