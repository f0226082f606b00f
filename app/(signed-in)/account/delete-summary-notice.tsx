'use client';

import { useEffect, useState } from 'react';
import type { DeletionSummary } from '@/lib/account/delete-account';
import { formatBytes } from '../files/_components/format';

/** Where the delete form leaves the summary for the page the person lands on after signing out (this tab only). */
export const DELETION_SUMMARY_KEY = 'cubby-account-deleted';

function plural(count: number, one: string, many: string): string {
  return `${count.toLocaleString('en')} ${count === 1 ? one : many}`;
}

/** The summary in words: "1,203 files, 2 published copies, your picture and 1 unfinished upload (14 KB)". Pure. */
export function describeDeletion(summary: DeletionSummary): string {
  const parts = [plural(summary.files, 'file', 'files')];
  if (summary.published > 0) parts.push(plural(summary.published, 'published copy', 'published copies'));
  if (summary.avatar > 0) parts.push('your picture');
  if (summary.uploads > 0) parts.push(plural(summary.uploads, 'unfinished upload', 'unfinished uploads'));
  if (summary.shares > 0) parts.push(plural(summary.shares, 'shared link', 'shared links'));
  if (summary.trash > 0) parts.push(plural(summary.trash, 'file in the trash', 'files in the trash'));
  const list = parts.length > 1 ? `${parts.slice(0, -1).join(', ')} and ${parts.at(-1)}` : parts[0];
  return `${list} (${formatBytes(summary.bytes)})`;
}

function isSummary(value: unknown): value is DeletionSummary {
  if (typeof value !== 'object' || value === null) return false;
  const record = value as Record<string, unknown>;
  return ['files', 'published', 'avatar', 'uploads', 'shares', 'bytes'].every(
    (field) => typeof record[field] === 'number' && Number.isSafeInteger(record[field]) && (record[field] as number) >= 0,
  );
}

/** Takes the summary the delete form left in this tab (once: it is removed as it is read). */
function takeSummary(): DeletionSummary | null {
  try {
    const saved = sessionStorage.getItem(DELETION_SUMMARY_KEY);
    sessionStorage.removeItem(DELETION_SUMMARY_KEY);
    const parsed: unknown = saved ? JSON.parse(saved) : null;
    return isSummary(parsed) ? parsed : null;
  } catch {
    return null;
  }
}

/**
 * "Your account was deleted", with what was removed, on the page a person lands on after deleting
 * their account (the landing page, after Cognito's sign-out). Shows nothing otherwise.
 */
export function AccountDeletedNotice() {
  const [summary, setSummary] = useState<DeletionSummary | null>(null);
  useEffect(() => setSummary(takeSummary()), []);
  if (!summary) return null;
  return (
    <section className="container" aria-labelledby="account-deleted-title">
      <div className="card" role="status" data-testid="account-deleted">
        <h2 id="account-deleted-title" className="section-heading">
          Your account was deleted
        </h2>
        <p>
          We removed {describeDeletion(summary)} and signed you out everywhere. You can sign up again with the same email address
          whenever you like.
        </p>
      </div>
    </section>
  );
}
