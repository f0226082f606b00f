'use client';

import { useState } from 'react';
import { call } from '@/app/_components/call';
import type { TrashEntry } from '@/lib/files/trash';
import styles from '../_components/entry-list.module.css';
import { formatBytes, formatDate } from '../files/_components/format';
import { Modal } from '../files/_components/modal';
import { emptyTrashNow, restoreTrash } from '../files/trash-actions';
import trashStyles from './trash.module.css';

function daysLeftText(days: number): string {
  return days <= 1 ? 'deleted for good within a day' : `${days} days left`;
}

function whereFrom(entry: TrashEntry): string {
  const slash = entry.originalPath.lastIndexOf('/');
  return slash < 0 ? 'Your files' : `Your files / ${entry.originalPath.slice(0, slash).split('/').join(' / ')}`;
}

/** The trash, newest first: each entry with where it was, when it was deleted, its days left and Restore; Empty trash after a confirmation. */
export function TrashList({ initial }: { initial: readonly TrashEntry[] }) {
  const [entries, setEntries] = useState(initial);
  const [status, setStatus] = useState('');
  const [pending, setPending] = useState<string | null>(null);
  const [confirming, setConfirming] = useState(false);

  const restore = async (entry: TrashEntry) => {
    setPending(entry.key);
    const result = await call(() => restoreTrash({ keys: [entry.key] }));
    setPending(null);
    if (!result.ok) return setStatus(result.message);
    const restored = result.value.restored[0];
    if (!restored) return setStatus(`“${entry.name}” could not be restored. Try again.`);
    setEntries((current) => current.filter((other) => other.key !== entry.key));
    setStatus(
      restored.renamed
        ? `Restored “${entry.name}” as “${restored.name}” (the name was taken).`
        : `Restored “${entry.name}” to ${whereFrom(entry)}.`,
    );
  };

  const empty = async () => {
    setPending('empty');
    const result = await call(() => emptyTrashNow());
    setPending(null);
    setConfirming(false);
    if (!result.ok) return setStatus(result.message);
    setEntries([]);
    setStatus(result.value.removed === 1 ? 'Deleted 1 item for good.' : `Deleted ${result.value.removed} items for good.`);
  };

  return (
    <>
      <p role="status" className={styles.status} data-testid="trash-status">
        {status}
      </p>
      {entries.length === 0 ? (
        <p className="card" data-testid="trash-empty">
          The trash is empty.
        </p>
      ) : (
        <>
          <div className={trashStyles.toolbar}>
            <span className="muted" data-testid="trash-count">
              {entries.length === 1 ? '1 item' : `${entries.length} items`} ·{' '}
              {formatBytes(entries.reduce((sum, entry) => sum + entry.size, 0))}
            </span>
            <button type="button" className="button button-danger" onClick={() => setConfirming(true)}>
              Empty trash
            </button>
          </div>
          <ul className={styles.list} data-testid="trash-entries">
            {entries.map((entry) => (
              <li key={entry.key} className={`card ${styles.item}`} data-testid="trash-entry">
                <div className={styles.text}>
                  <span className={styles.name}>
                    {entry.isFolder ? 'Folder ' : ''}
                    {entry.name}
                  </span>
                  <span className={`muted ${styles.detail}`}>From {whereFrom(entry)}</span>
                  <span className="muted">
                    {entry.isFolder ? 'empty folder' : formatBytes(entry.size)} · deleted{' '}
                    <time dateTime={entry.deletedAt} suppressHydrationWarning>
                      {formatDate(entry.deletedAt)}
                    </time>{' '}
                    · {daysLeftText(entry.daysLeft)}
                  </span>
                </div>
                <button
                  type="button"
                  className="button button-quiet"
                  disabled={pending !== null}
                  aria-label={`Restore ${entry.name}`}
                  onClick={() => void restore(entry)}
                >
                  {pending === entry.key ? 'Restoring…' : 'Restore'}
                </button>
              </li>
            ))}
          </ul>
        </>
      )}
      <Modal open={confirming} title="Empty the trash?" onClose={() => setConfirming(false)} testId="empty-trash-dialog">
        <p>
          {entries.length === 1 ? 'The item' : `All ${entries.length} items`} in the trash will be deleted for good. This cannot
          be undone.
        </p>
        <div className="dialog-actions">
          <button type="button" className="button button-quiet" data-autofocus onClick={() => setConfirming(false)}>
            Cancel
          </button>
          <button type="button" className="button button-danger" disabled={pending === 'empty'} onClick={() => void empty()}>
            {pending === 'empty' ? 'Emptying…' : 'Empty trash'}
          </button>
        </div>
      </Modal>
    </>
  );
}
