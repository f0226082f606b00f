import Link from 'next/link';
import { formatBytes } from './format';

/**
 * "X of Y used" with a bar; amber past 75 %, red past 90 %. Deleted files count until they leave
 * the trash, so the bar says how much of it the trash holds, with a link there.
 */
export function StorageBar({
  usedBytes,
  trashBytes = 0,
  quotaBytes,
}: {
  usedBytes: number;
  trashBytes?: number;
  quotaBytes: number;
}) {
  const ratio = quotaBytes > 0 ? Math.min(1, usedBytes / quotaBytes) : 0;
  const percent = Math.round(ratio * 100);
  const inTrash = trashBytes > 0 ? `, including ${formatBytes(trashBytes)} in the trash` : '';
  const text = `${formatBytes(usedBytes)} of ${formatBytes(quotaBytes)} used${inTrash}`;
  return (
    <div className="storage" data-testid="storage">
      <div className="storage-text">
        <span className="storage-label">Storage</span>
        <span>
          {formatBytes(usedBytes)} of {formatBytes(quotaBytes)} used <span className="muted">({percent}%)</span>
          {trashBytes > 0 ? (
            <span className="muted" data-testid="storage-trash">
              {' '}
              · includes {formatBytes(trashBytes)} in <Link href="/trash">Trash</Link>
            </span>
          ) : null}
        </span>
      </div>
      {/* biome-ignore lint/a11y/useSemanticElements: a styled meter; <meter> cannot be coloured by level alike in every browser. */}
      <div
        className="storage-track"
        role="meter"
        aria-label="Storage used"
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={percent}
        aria-valuetext={text}
        data-level={ratio > 0.9 ? 'high' : ratio > 0.75 ? 'warn' : 'ok'}
      >
        <div className="storage-fill" style={{ width: `${ratio * 100}%` }} />
      </div>
    </div>
  );
}
