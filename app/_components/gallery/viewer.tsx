'use client';

import { useEffect, useId, useRef, useState } from 'react';
import styles from './gallery.module.css';

/** What the viewer needs of a gallery item (plain data from the server render). */
export interface ViewableItem {
  name: string;
  /** Inline URL for images (shown), else null. */
  imageUrl: string | null;
  /** An attachment URL: following it downloads the file. */
  downloadUrl: string;
  /** "12 KB · yours" and the like. */
  detail: string;
  /** A short type label for files without a picture ("PDF", "ZIP"...). */
  badge: string;
}

/**
 * A gallery tile's picture box and the in-app viewer it opens: a fixed 4:3 box whose background is
 * the placeholder while the image loads (the image is laid over it, so nothing moves when it
 * arrives), and a modal `<dialog>` with the file's name, the picture and Download. Escape (the
 * native `cancel`) and Close shut it; focus returns to the tile.
 */
export function GalleryPreview({ item }: { item: ViewableItem }) {
  const [open, setOpen] = useState(false);
  const dialog = useRef<HTMLDialogElement>(null);
  const trigger = useRef<HTMLButtonElement>(null);
  const titleId = useId();

  useEffect(() => {
    const element = dialog.current;
    if (!element || !open) return;
    if (!element.open) element.showModal();
    return () => {
      if (element.open) element.close();
      trigger.current?.focus();
    };
  }, [open]);

  return (
    <>
      <div className={styles.preview} data-testid="gallery-preview">
        {item.imageUrl ? (
          // biome-ignore lint/performance/noImgElement: presigned S3 URLs are short-lived and can't go through next/image.
          <img src={item.imageUrl} alt={item.name} loading="lazy" decoding="async" className={styles.image} />
        ) : (
          <span className={styles.badge} aria-hidden="true">
            {item.badge}
          </span>
        )}
        <button
          ref={trigger}
          type="button"
          className={styles.open}
          aria-haspopup="dialog"
          aria-label={`View ${item.name}`}
          onClick={() => setOpen(true)}
        />
      </div>
      {/* biome-ignore lint/a11y/useKeyWithClickEvents: the backdrop click is a mouse shortcut; Escape (the native cancel) closes it from the keyboard. */}
      <dialog
        ref={dialog}
        className={styles.viewer}
        aria-labelledby={titleId}
        data-testid="gallery-viewer"
        onClose={() => setOpen(false)}
        onClick={(event) => {
          if (event.target === event.currentTarget) setOpen(false);
        }}
      >
        {open ? (
          <div className={styles.viewerBody}>
            <h2 id={titleId} className={styles.viewerTitle}>
              {item.name}
            </h2>
            <div className={styles.viewerStage}>
              {item.imageUrl ? (
                // biome-ignore lint/performance/noImgElement: presigned S3 URL (see above).
                <img src={item.imageUrl} alt={item.name} className={styles.viewerImage} />
              ) : (
                <span className={styles.badge}>{item.badge}</span>
              )}
            </div>
            <p className={styles.detail}>{item.detail}</p>
            <div className={styles.viewerActions}>
              <a href={item.downloadUrl} className="button button-primary">
                Download
              </a>
              <button type="button" className="button button-quiet" onClick={() => setOpen(false)}>
                Close
              </button>
            </div>
          </div>
        ) : null}
      </dialog>
    </>
  );
}
