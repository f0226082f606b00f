import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { renderResult } from '@/lib/actions';
import { parseFolderPath } from '@/lib/aws/keys';
import { getAccess, verifySession } from '@/lib/dal';
import { AppError } from '@/lib/errors';
import { listOwnFiles } from '@/lib/files/service';
import { FileManager } from '../_components/file-manager';
import { folderHref } from '../_components/folder-href';
import { INITIAL_VIEW } from '../_components/list-view';
import '../files.css';

type Params = Promise<{ path?: string[] }>;

/** The folder the URL names (`/files/Photos/2026` → `['Photos', '2026']`), or null when no folder can have that path. */
async function folderOf(params: Params): Promise<string[] | null> {
  const { path } = await params;
  try {
    // Next hands catch-all segments over still percent-encoded.
    return parseFolderPath(path?.map((segment) => decodeURIComponent(segment)));
  } catch {
    return null; // Malformed percent-encoding.
  }
}

export async function generateMetadata({ params }: { params: Params }): Promise<Metadata> {
  const path = await folderOf(params);
  return { title: path && path.length > 0 ? `${path.at(-1)} · Your files` : 'Your files' };
}

export default async function FilesPage({ params }: { params: Params }) {
  const path = await folderOf(params);
  if (!path) notFound();
  const session = await verifySession(folderHref(path));
  const initial = await renderResult('files.first_page', async () => {
    const access = await getAccess('render');
    if (!access) throw new AppError('unauthenticated', 'no session during render');
    return listOwnFiles(access, { sort: INITIAL_VIEW.sort, order: INITIAL_VIEW.order, path });
  });
  return (
    <section className="container page files-page" aria-labelledby="files-title">
      <div className="files-head">
        <h1 id="files-title">{path.length > 0 ? path.at(-1) : 'Your files'}</h1>
        <p className="muted" data-testid="files-owner">
          <span className="files-owner-name">Signed in as {session.email || session.username} · </span>
          <Link href="/shared-links" data-testid="shared-links-link">
            Shared links
          </Link>{' '}
          ·{' '}
          <Link href="/trash" data-testid="trash-link">
            Trash
          </Link>
        </p>
      </div>
      <FileManager initial={initial} path={path} />
    </section>
  );
}
