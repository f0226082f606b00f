'use client';

import { useEffect, useId, useState } from 'react';
import { formatBytes, formatSpeed, formatTimeLeft } from './format';
import { isActive, type UploadRow } from './upload-queue-store';

const STATUS_TEXT: Record<UploadRow['status'], string> = {
  queued: 'Queued',
  uploading: 'Uploading',
  done: 'Done',
  failed: 'Failed',
  cancelled: 'Cancelled',
};

/** Every byte is sent and the row waits for Cubby to confirm the file: nothing left to time. */
function isFinishing(row: UploadRow): boolean {
  return row.status === 'uploading' && row.loaded >= row.size;
}

function percentOf(row: UploadRow): number {
  if (row.status === 'done') return 100;
  return row.size > 0 ? Math.floor((row.loaded / row.size) * 100) : 0;
}

/** The row's status word: "Finishing…" once every byte is sent, then "Done". */
export function statusText(row: UploadRow): string {
  return isFinishing(row) ? 'Finishing…' : STATUS_TEXT[row.status];
}

/** The line under the bar: percent and bytes, with speed and time left only while bytes still travel. */
export function statsText(row: UploadRow): string {
  if (row.status === 'done') return formatBytes(row.size);
  const base = `${formatBytes(row.loaded)} of ${formatBytes(row.size)}`;
  const travelling = row.status === 'uploading' && !isFinishing(row) && row.bytesPerSecond > 0;
  if (!travelling) return base;
  const left = formatTimeLeft((row.size - row.loaded) / row.bytesPerSecond);
  return `${base} · ${formatSpeed(row.bytesPerSecond)}${left ? ` · ${left}` : ''}`;
}

/** "3 uploads complete", "1 upload complete, 1 cancelled". */
export function summaryText(rows: readonly UploadRow[]): string {
  const done = rows.filter((row) => row.status === 'done').length;
  const cancelled = rows.filter((row) => row.status === 'cancelled').length;
  const parts = [`${done} ${done === 1 ? 'upload' : 'uploads'} complete`];
  if (cancelled > 0) parts.push(`${cancelled} cancelled`);
  return parts.join(', ');
}

/** Overall progress in 25 % steps, for the live region (per-file percentages would be noise). */
function announcement(rows: readonly UploadRow[]): string {
  const active = rows.filter(isActive);
  if (active.length === 0) return rows.some((row) => row.status === 'done') ? 'Uploads finished.' : '';
  const size = active.reduce((sum, row) => sum + row.size, 0);
  const loaded = active.reduce((sum, row) => sum + row.loaded, 0);
  const step = size > 0 ? Math.floor((loaded / size) * 4) * 25 : 0;
  return `Uploading ${active.length} ${active.length === 1 ? 'file' : 'files'}, ${step}% done.`;
}

function UploadItem({
  row,
  onCancel,
  onRetry,
  onDismiss,
}: { row: UploadRow } & Omit<UploadQueueProps, 'rows' | 'onClearFinished'>) {
  const percent = percentOf(row);
  return (
    <li className="upload-row" data-status={row.status} data-testid="upload-row">
      <div className="upload-top">
        <span className="upload-name">{row.name}</span>
        <span className="upload-status">{statusText(row)}</span>
      </div>
      {row.status === 'done' ? null : (
        <progress className="upload-progress" max={100} value={percent} aria-label={`Upload of ${row.name}`} />
      )}
      <div className="upload-bottom">
        <span className="upload-stats">
          {row.status === 'done' ? null : (
            <>
              <span data-testid="upload-percent">{percent}%</span> ·{' '}
            </>
          )}
          {statsText(row)}
        </span>
        <span className="upload-actions">
          {isActive(row) ? (
            <button
              type="button"
              className="link-button"
              aria-label={`Cancel upload of ${row.name}`}
              onClick={() => onCancel(row.id)}
            >
              Cancel
            </button>
          ) : null}
          {row.status === 'failed' || row.status === 'cancelled' ? (
            <button
              type="button"
              className="link-button"
              aria-label={`Retry upload of ${row.name}`}
              onClick={() => onRetry(row.id)}
            >
              Retry
            </button>
          ) : null}
          {isActive(row) ? null : (
            <button type="button" className="link-button" aria-label={`Dismiss ${row.name}`} onClick={() => onDismiss(row.id)}>
              Dismiss
            </button>
          )}
        </span>
      </div>
      {row.status === 'failed' && row.message ? <p className="upload-error">{row.message}</p> : null}
    </li>
  );
}

export interface UploadQueueProps {
  rows: readonly UploadRow[];
  onCancel: (id: string) => void;
  onRetry: (id: string) => void;
  onDismiss: (id: string) => void;
  onClearFinished: () => void;
}

/**
 * One row per file being uploaded: name, bar, percent, speed, time left, status, and its actions.
 * Once nothing is queued, uploading or failed, the panel folds into one line ("3 uploads
 * complete") that can be expanded again or dismissed.
 */
export function UploadQueue({ rows, onClearFinished, ...actions }: UploadQueueProps) {
  const listId = useId();
  const [expanded, setExpanded] = useState(false);
  const active = rows.some(isActive);
  const complete = rows.length > 0 && !active && !rows.some((row) => row.status === 'failed');
  const finished = rows.filter((row) => row.status === 'done' || row.status === 'cancelled').length;

  // New files fold the panel again once they are through.
  useEffect(() => {
    if (active) setExpanded(false);
  }, [active]);

  const folded = complete && !expanded;
  return (
    <section
      className={`uploads${complete ? ' is-complete' : ''}`}
      aria-labelledby="uploads-title"
      hidden={rows.length === 0}
      data-testid="uploads"
    >
      <div className="uploads-head">
        <h2 id="uploads-title" className={complete ? 'visually-hidden' : 'section-heading'}>
          Uploads
        </h2>
        {complete ? (
          <p className="uploads-summary" data-testid="uploads-summary">
            {summaryText(rows)}
          </p>
        ) : null}
        <span className="uploads-head-actions">
          {complete ? (
            <button
              type="button"
              className="link-button"
              aria-expanded={!folded}
              aria-controls={listId}
              aria-label={folded ? 'Show uploads' : 'Hide uploads'}
              onClick={() => setExpanded(folded)}
            >
              {folded ? 'Show' : 'Hide'}
            </button>
          ) : null}
          {complete ? (
            <button type="button" className="link-button" aria-label="Dismiss uploads" onClick={onClearFinished}>
              Dismiss
            </button>
          ) : finished > 0 ? (
            <button type="button" className="link-button" onClick={onClearFinished}>
              Clear finished
            </button>
          ) : null}
        </span>
      </div>
      <ul className="upload-list" id={listId} hidden={folded}>
        {rows.map((row) => (
          <UploadItem key={row.id} row={row} {...actions} />
        ))}
      </ul>
      <p className="visually-hidden" aria-live="polite">
        {announcement(rows)}
      </p>
    </section>
  );
}
