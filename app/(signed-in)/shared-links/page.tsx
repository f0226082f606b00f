import type { Metadata } from 'next';
import Link from 'next/link';
import { renderResult } from '@/lib/actions';
import { getAccess, verifySession } from '@/lib/dal';
import { AppError } from '@/lib/errors';
import { listShareLinks } from '@/lib/files/share';
import styles from '../_components/entry-list.module.css';
import { SharedLinksList } from './shared-links-list';

export const metadata: Metadata = { title: 'Shared links' };

export default async function SharedLinksPage() {
  await verifySession('/shared-links');
  const links = await renderResult('files.shares_page', async () => {
    const access = await getAccess('render');
    if (!access) throw new AppError('unauthenticated', 'no session during render');
    return listShareLinks(access);
  });
  return (
    <section className={`container page ${styles.page}`} aria-labelledby="shared-links-title">
      <h1 id="shared-links-title">Shared links</h1>
      <p className="muted">
        Links you made with <strong>Share a link</strong> on <Link href="/files">Your files</Link>. Anyone who has one can
        download its file without an account until it ends. Each link holds a copy of its file, counted in your storage; revoking
        deletes the copy at once.
      </p>
      {links.ok ? (
        <SharedLinksList initial={links.value} />
      ) : (
        <p role="alert" className="card" data-testid="shared-links-error">
          {links.message}
        </p>
      )}
    </section>
  );
}
