'use client';

import { formatBytes, formatSpeed, formatTimeLeft } from './format';
import type { UploadRow } from './upload-queue-store';

const STATUS_TEXT: Record<UploadRow['status'], string> = {
  queued: 'Queued',
  uploading: 'Uploading',
  done: 'Done',
  failed: 'Failed',
  cancelled: 'Cancelled',
};

function percentOf(row: UploadRow): number {
  if (row.status === 'done') return 100;
  return row.size > 0 ? Math.floor((row.loaded / row.size) * 100) : 0;
}

/** Overall progress in 25 % steps, for the live region (per-file percentages would be noise). */
function announcement(rows: readonly UploadRow[]): string {
  const active = rows.filter((row) => row.status === 'queued' || row.status === 'uploading');
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
  const speed = row.status === 'uploading' && row.bytesPerSecond > 0;
  return (
    <li className="upload-row" data-status={row.status} data-testid="upload-row">
      <div className="upload-top">
        <span className="upload-name">{row.name}</span>
        <span className="upload-status">{STATUS_TEXT[row.status]}</span>
      </div>
      <progress className="upload-progress" max={100} value={percent} aria-label={`Upload of ${row.name}`} />
      <div className="upload-bottom">
        <span className="upload-stats">
          <span data-testid="upload-percent">{percent}%</span> · {formatBytes(row.loaded)} of {formatBytes(row.size)}
          {speed ? ` · ${formatSpeed(row.bytesPerSecond)} · ${formatTimeLeft((row.size - row.loaded) / row.bytesPerSecond)}` : ''}
        </span>
        <span className="upload-actions">
          {row.status === 'queued' || row.status === 'uploading' ? (
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
          {row.status !== 'queued' && row.status !== 'uploading' ? (
            <button type="button" className="link-button" aria-label={`Dismiss ${row.name}`} onClick={() => onDismiss(row.id)}>
              Dismiss
            </button>
          ) : null}
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

/** One row per file being uploaded: name, bar, percent, speed, time left, status, and its actions. */
export function UploadQueue({ rows, onClearFinished, ...actions }: UploadQueueProps) {
  const finished = rows.filter((row) => row.status === 'done' || row.status === 'cancelled').length;
  return (
    <section className="uploads" aria-labelledby="uploads-title" hidden={rows.length === 0}>
      <div className="uploads-head">
        <h2 id="uploads-title" className="section-heading">
          Uploads
        </h2>
        {finished > 0 ? (
          <button type="button" className="link-button" onClick={onClearFinished}>
            Clear finished
          </button>
        ) : null}
      </div>
      <ul className="upload-list">
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
