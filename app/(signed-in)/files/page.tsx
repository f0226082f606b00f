import type { Metadata } from 'next';
import Link from 'next/link';
import { renderResult } from '@/lib/actions';
import { getAccess, verifySession } from '@/lib/dal';
import { AppError } from '@/lib/errors';
import { listOwnFiles } from '@/lib/files/service';
import { FileManager } from './_components/file-manager';
import { INITIAL_VIEW } from './_components/list-view';
import './files.css';

export const metadata: Metadata = { title: 'Your files' };

export default async function FilesPage() {
  const session = await verifySession('/files');
  const initial = await renderResult('files.first_page', async () => {
    const access = await getAccess('render');
    if (!access) throw new AppError('unauthenticated', 'no session during render');
    return listOwnFiles(access, { sort: INITIAL_VIEW.sort, order: INITIAL_VIEW.order });
  });
  return (
    <section className="container page files-page" aria-labelledby="files-title">
      <div className="files-head">
        <h1 id="files-title">Your files</h1>
        <p className="muted" data-testid="files-owner">
          Signed in as {session.email || session.username} ·{' '}
          <Link href="/shared-links" data-testid="shared-links-link">
            Shared links
          </Link>{' '}
          ·{' '}
          <Link href="/trash" data-testid="trash-link">
            Trash
          </Link>
        </p>
      </div>
      <FileManager initial={initial} />
    </section>
  );
}
