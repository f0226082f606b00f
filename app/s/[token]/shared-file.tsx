import { formatBytes } from '@/app/(signed-in)/files/_components/format';
import type { SharedFile } from '@/lib/files/share';
import styles from './share.module.css';

/** The shared file: preview (images only), name, size, when the link ends (UTC) and Download. Server-rendered, no script. */
export function SharedFileView({ file }: { file: SharedFile }) {
  const ends = new Date(file.expiresAt).toUTCString().replace(' GMT', ' UTC');
  return (
    <article className={`card ${styles.file}`} data-testid="shared-file">
      <p className="eyebrow">Shared with you on Cubby</p>
      {file.previewUrl ? (
        <div className={styles.preview}>
          {/* biome-ignore lint/performance/noImgElement: a presigned S3 URL; next/image would pull the bytes through the server. */}
          <img className={styles.image} src={file.previewUrl} alt={file.name} referrerPolicy="no-referrer" />
        </div>
      ) : null}
      <h1 id="share-title" className={styles.name} data-testid="shared-file-name">
        {file.name}
      </h1>
      <p className="muted">
        {formatBytes(file.size)} · the link works until <time dateTime={file.expiresAt}>{ends}</time>
      </p>
      <a
        className="button button-primary button-large"
        href={file.downloadUrl}
        download={file.name}
        referrerPolicy="no-referrer"
        data-testid="shared-file-download"
      >
        Download
      </a>
    </article>
  );
}
