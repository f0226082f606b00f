import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { renderResult } from '@/lib/actions';
import { getGalleryViewer } from '@/lib/dal';
import { AppError } from '@/lib/errors';
import { openShareLink } from '@/lib/files/share';
import styles from './share.module.css';
import { SharedFileView } from './shared-file';

export const metadata: Metadata = {
  title: 'Shared file',
  // The link is the secret: keep it out of search engines and out of the Referer sent to S3.
  robots: { index: false, follow: false },
  referrer: 'no-referrer',
};

/**
 * A share link, `/s/{token}`: the file's name, size, a preview for images and a Download button,
 * read with the visitor's own identity (a guest's when signed out). An unknown, revoked or ended
 * link is one and the same "gone" page (./not-found.tsx, HTTP 404).
 */
export default async function SharePage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const result = await renderResult('share.open', async () => {
    const viewer = await getGalleryViewer();
    if (!viewer) throw new AppError('storage_unavailable', 'no identity to read the link with');
    return openShareLink(viewer, token);
  });
  if (result.ok && result.value === null) notFound();
  return (
    <section className={`container page ${styles.page}`} aria-labelledby="share-title">
      {result.ok && result.value ? (
        <SharedFileView file={result.value} />
      ) : (
        <div className="card" role="alert" data-testid="share-error">
          <h1 id="share-title">This link cannot be opened right now</h1>
          <p className="muted">{result.ok ? '' : result.message}</p>
        </div>
      )}
    </section>
  );
}
