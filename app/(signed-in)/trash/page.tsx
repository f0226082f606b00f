import type { Metadata } from 'next';
import Link from 'next/link';
import { renderResult } from '@/lib/actions';
import { TRASH_RETENTION_DAYS } from '@/lib/aws/policies';
import { getAccess, verifySession } from '@/lib/dal';
import { AppError } from '@/lib/errors';
import { listTrash } from '@/lib/files/trash';
import '../files/files.css';
import styles from '../_components/entry-list.module.css';
import { TrashList } from './trash-list';

export const metadata: Metadata = { title: 'Trash' };

export default async function TrashPage() {
  await verifySession('/trash');
  const trash = await renderResult('files.trash_page', async () => {
    const access = await getAccess('render');
    if (!access) throw new AppError('unauthenticated', 'no session during render');
    return listTrash(access);
  });
  return (
    <section className={`container page ${styles.page}`} aria-labelledby="trash-title">
      <h1 id="trash-title">Trash</h1>
      <p className="muted">
        Files you delete on <Link href="/files">Your files</Link> wait here for {TRASH_RETENTION_DAYS} days, then they are deleted
        for good. Restore puts a file back where it was (with a new name if that name is taken now). Files in the trash count
        toward your storage.
      </p>
      {trash.ok ? (
        <TrashList initial={trash.value.entries} />
      ) : (
        <p role="alert" className="card" data-testid="trash-error">
          {trash.message}
        </p>
      )}
    </section>
  );
}
