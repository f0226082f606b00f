'use client';

import { useRouter } from 'next/navigation';
import { type ChangeEvent, useRef, useState, useTransition } from 'react';
import { call } from '@/app/_components/call';
import { removeAvatar, setAvatar } from './actions';
import styles from './profile.module.css';

/** Avatars are re-encoded in the browser as a centred square PNG of this many pixels. */
const AVATAR_PIXELS = 256;

/** The picked image, centre-cropped to a square and scaled to {@link AVATAR_PIXELS}, as PNG bytes. */
async function squarePng(file: File): Promise<Blob> {
  const bitmap = await createImageBitmap(file);
  const side = Math.min(bitmap.width, bitmap.height);
  const canvas = document.createElement('canvas');
  canvas.width = AVATAR_PIXELS;
  canvas.height = AVATAR_PIXELS;
  const context = canvas.getContext('2d');
  if (!context) throw new Error('no 2d canvas');
  context.drawImage(
    bitmap,
    (bitmap.width - side) / 2,
    (bitmap.height - side) / 2,
    side,
    side,
    0,
    0,
    AVATAR_PIXELS,
    AVATAR_PIXELS,
  );
  bitmap.close();
  return new Promise((resolve, reject) => {
    canvas.toBlob((blob) => (blob ? resolve(blob) : reject(new Error('PNG encoding failed'))), 'image/png');
  });
}

/**
 * The profile picture: shows the current avatar (else the sign-in provider's picture, else
 * initials), lets the person pick an image (scaled in the browser, uploaded straight to S3
 * through a presigned PUT) or remove it.
 */
export function AvatarEditor({
  avatarUrl,
  providerPicture = null,
  initials,
}: {
  avatarUrl: string | null;
  /** The identity provider's `picture`, from an origin the CSP allows (lib/auth/sign-in-method.ts). */
  providerPicture?: { url: string; provider: string } | null;
  initials: string;
}) {
  const router = useRouter();
  const input = useRef<HTMLInputElement>(null);
  const [message, setMessage] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();

  function upload(event: ChangeEvent<HTMLInputElement>) {
    const file = event.target.files?.[0];
    event.target.value = '';
    if (!file) return;
    startTransition(async () => {
      setMessage(null);
      let png: Blob;
      try {
        png = await squarePng(file);
      } catch {
        setMessage('That file could not be read as an image. Try a PNG, JPEG or WebP picture.');
        return;
      }
      const plan = await call(() => setAvatar({ size: png.size }));
      if (!plan.ok) {
        setMessage(plan.message);
        return;
      }
      try {
        const response = await fetch(plan.value.url, { method: 'PUT', headers: plan.value.headers, body: png });
        if (!response.ok) throw new Error(String(response.status));
      } catch {
        setMessage('The picture could not be uploaded. Check your connection and try again.');
        return;
      }
      setMessage('Your picture was updated.');
      router.refresh();
    });
  }

  function remove() {
    startTransition(async () => {
      const result = await call(() => removeAvatar());
      setMessage(result.ok ? 'Your picture was removed.' : result.message);
      if (result.ok) router.refresh();
    });
  }

  return (
    <div className={styles.avatarRow}>
      {avatarUrl ? (
        // biome-ignore lint/performance/noImgElement: presigned S3 URLs are short-lived and can't go through next/image.
        <img src={avatarUrl} alt="You" className={styles.avatar} width={96} height={96} data-testid="avatar-image" />
      ) : providerPicture ? (
        // biome-ignore lint/performance/noImgElement: an identity provider's picture, shown as is (no referrer sent).
        <img
          src={providerPicture.url}
          alt={`You, as on ${providerPicture.provider}`}
          className={styles.avatar}
          width={96}
          height={96}
          referrerPolicy="no-referrer"
          data-testid="provider-picture"
        />
      ) : (
        <span className={styles.initials} aria-hidden="true">
          {initials}
        </span>
      )}
      <div className={styles.avatarActions}>
        <label className="button button-quiet">
          {pending ? 'Working…' : avatarUrl ? 'Change picture' : 'Add a picture'}
          <input
            ref={input}
            type="file"
            accept="image/png,image/jpeg,image/webp,image/gif"
            className={styles.fileInput}
            onChange={upload}
            disabled={pending}
            data-testid="avatar-input"
          />
        </label>
        {avatarUrl ? (
          <button type="button" className="button button-quiet" onClick={remove} disabled={pending}>
            Remove picture
          </button>
        ) : null}
        <p className="muted" role="status">
          {message ?? 'Signed-in people see your picture next to the files you publish.'}
        </p>
      </div>
    </div>
  );
}
