import type { Metadata } from 'next';
import { verifySession } from '@/lib/dal';

export const metadata: Metadata = { title: 'Your files' };

export default async function FilesPage() {
  const session = await verifySession('/files');
  return (
    <section className="container page" aria-labelledby="files-title">
      <h1 id="files-title">Your files</h1>
      <p className="muted" data-testid="files-owner">
        Signed in as {session.email || session.username}. Uploads arrive with the file manager.
      </p>
    </section>
  );
}
