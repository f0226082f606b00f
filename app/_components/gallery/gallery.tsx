import { getGalleryViewer } from '@/lib/dal';
import { type GalleryItem, listGallery } from '@/lib/files/gallery';
import styles from './gallery.module.css';
import { RemoveFromGalleryButton } from './remove-button';
import { GalleryPreview } from './viewer';

const SIZE_UNITS = ['B', 'KB', 'MB', 'GB', 'TB'] as const;

function formatSize(bytes: number): string {
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < SIZE_UNITS.length - 1) {
    value /= 1000;
    unit += 1;
  }
  return `${unit === 0 ? value : value.toFixed(value < 10 ? 1 : 0)} ${SIZE_UNITS[unit]}`;
}

function extensionOf(name: string): string {
  return /\.([a-z0-9]{1,5})$/i.exec(name)?.[1]?.toUpperCase() ?? 'FILE';
}

function Tile({ item }: { item: GalleryItem }) {
  const detail = `${formatSize(item.size)}${item.mine ? ' · yours' : ''}`;
  return (
    <li className={styles.tile} data-testid="gallery-item">
      <GalleryPreview
        item={{
          name: item.name,
          imageUrl: item.isImage ? item.url : null,
          downloadUrl: item.downloadUrl,
          detail,
          badge: extensionOf(item.name),
        }}
      />
      <div className={styles.meta}>
        {item.avatarUrl ? (
          // biome-ignore lint/performance/noImgElement: presigned S3 URL (see above).
          <img src={item.avatarUrl} alt="" className={styles.avatar} width={24} height={24} />
        ) : null}
        <div className={styles.text}>
          <p className={styles.name}>{item.name}</p>
          <p className={styles.detail}>{detail}</p>
        </div>
        {item.canRemove ? <RemoveFromGalleryButton fileKey={item.key} name={item.name} moderated={!item.mine} /> : null}
      </div>
    </li>
  );
}

function Pager({ page, pageCount }: { page: number; pageCount: number }) {
  if (pageCount <= 1) return null;
  return (
    <nav className={styles.pager} aria-label="Gallery pages">
      {page > 1 ? (
        <a className="button button-quiet" href={`/?gallery=${page - 1}#gallery`}>
          Newer
        </a>
      ) : null}
      <span className="muted">
        Page {page} of {pageCount}
      </span>
      {page < pageCount ? (
        <a className="button button-quiet" href={`/?gallery=${page + 1}#gallery`}>
          Older
        </a>
      ) : null}
    </nav>
  );
}

async function GalleryBody({ page }: { page: number }) {
  const viewer = await getGalleryViewer();
  if (!viewer) {
    return (
      <p className={styles.note}>
        The gallery opens to visitors when guest access is on. <a href="/auth/login?returnTo=%2F%23gallery">Sign in</a> to see it.
      </p>
    );
  }
  let gallery: Awaited<ReturnType<typeof listGallery>>;
  try {
    gallery = await listGallery(viewer, page);
  } catch {
    return (
      <p className={styles.note} role="status">
        The gallery can’t be reached right now. Please try again in a moment.
      </p>
    );
  }
  if (gallery.total === 0) {
    return (
      <p className={styles.note}>
        Nothing has been published yet.{' '}
        {viewer.signedIn ? <a href="/files">Publish one of your files.</a> : 'Sign in to publish your own.'}
      </p>
    );
  }
  return (
    <>
      <ul className={styles.grid}>
        {gallery.items.map((item) => (
          <Tile key={item.key} item={item} />
        ))}
      </ul>
      <Pager page={gallery.page} pageCount={gallery.pageCount} />
    </>
  );
}

/**
 * The public gallery: files people published to public/, read with the viewer's own credentials
 * (a guest's unauthenticated role reads public/ and nothing else). Server Component.
 */
export function Gallery({ page }: { page: number }) {
  return (
    <section id="gallery" className="container features" aria-labelledby="gallery-title">
      <h2 id="gallery-title" className="section-title">
        Public gallery
      </h2>
      <GalleryBody page={page} />
    </section>
  );
}
