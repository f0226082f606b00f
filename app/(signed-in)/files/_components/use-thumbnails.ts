'use client';

import { useEffect, useRef, useState } from 'react';
import { call } from '@/app/_components/call';
import { MAX_PREVIEW_KEYS, PRESIGNED_URL_TTL_SECONDS } from '@/lib/files/limits';
import type { FileItem } from '@/lib/files/types';
import { getPreviewUrls } from '../actions';
import { hasThumbnail } from './format';

/**
 * Preview URLs are asked for again this long before they expire: without it an image row
 * scrolled into view in its URL's last moments would load nothing (S3 refuses an expired URL).
 */
const PREVIEW_URL_RENEWAL_MARGIN_MS = 5 * 60 * 1000;
/** A row's preview URL is asked for again once it is this old. */
const REFRESH_AFTER_MS = PRESIGNED_URL_TTL_SECONDS * 1000 - PREVIEW_URL_RENEWAL_MARGIN_MS;

/**
 * Inline GET URLs for the image rows on screen (allow-listed raster types only), asked for in
 * batches as rows appear; the <img loading="lazy"> then fetches only those scrolled into view.
 */
export function useThumbnails(items: readonly FileItem[]): Readonly<Record<string, string>> {
  const [urls, setUrls] = useState<Record<string, string>>({});
  const askedAt = useRef(new Map<string, number>());

  useEffect(() => {
    const now = Date.now();
    const keys = items
      .filter((item) => hasThumbnail(item.type))
      .map((item) => item.key)
      .filter((key) => now - (askedAt.current.get(key) ?? Number.NEGATIVE_INFINITY) > REFRESH_AFTER_MS);
    for (const key of keys) askedAt.current.set(key, now);
    for (let start = 0; start < keys.length; start += MAX_PREVIEW_KEYS) {
      const batch = keys.slice(start, start + MAX_PREVIEW_KEYS);
      void call(() => getPreviewUrls({ keys: batch })).then((result) => {
        if (result.ok) setUrls((current) => ({ ...current, ...result.value }));
        else for (const key of batch) askedAt.current.delete(key);
      });
    }
  }, [items]);

  return urls;
}
