'use client';

import { useCallback, useEffect, useState, useSyncExternalStore } from 'react';
import { abortUpload, completeUpload, createUpload, presignParts } from '../actions';
import { isSignedOut, useSignedOut } from '@/app/_components/session-state';
import type { Notify } from './toasts';
import { UploadQueue, type UploadRow } from './upload-queue-store';

const NO_ROWS: readonly UploadRow[] = [];
/** Uploads finishing close together cause one list refresh and one toast. */
const REFRESH_DELAY_MS = 300;

/**
 * The page's upload queue: rows for rendering, the queue's commands, a toast per batch of finished files,
 * a list refresh after files arrive, and a leave-page warning while uploads run.
 */
export function useUploads(onUploaded: () => void, notify: Notify) {
  const [queue] = useState(() => new UploadQueue({ createUpload, presignParts, completeUpload, abortUpload }));
  const rows = useSyncExternalStore(queue.subscribe, queue.getSnapshot, () => NO_ROWS);

  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    let arrived: string[] = [];
    queue.onSettled = (row, outcome) => {
      if (outcome.status === 'done') {
        arrived.push(row.name);
        clearTimeout(timer);
        timer = setTimeout(() => {
          notify('success', arrived.length === 1 ? `Uploaded “${arrived[0]}”.` : `Uploaded ${arrived.length} files.`);
          arrived = [];
          onUploaded();
        }, REFRESH_DELAY_MS);
      } else if (outcome.status === 'failed' && !isSignedOut()) {
        notify('error', `“${row.name}” was not uploaded: ${outcome.message}`);
      }
    };
    return () => {
      clearTimeout(timer);
      queue.onSettled = () => {};
    };
  }, [queue, notify, onUploaded]);

  const signedOut = useSignedOut();
  useEffect(() => {
    // Once the session has ended nothing more is sent in the person's name. Nothing is left
    // half-written: a single PUT lands whole or not at all, and the parts of a multipart upload that
    // is never completed are not an object (the bucket's lifecycle rule removes them).
    if (!signedOut) return;
    for (const row of queue.getSnapshot()) if (row.status === 'queued' || row.status === 'uploading') queue.cancel(row.id);
  }, [queue, signedOut]);

  useEffect(() => {
    const warn = (event: BeforeUnloadEvent) => {
      if (queue.busy) event.preventDefault();
    };
    window.addEventListener('beforeunload', warn);
    return () => window.removeEventListener('beforeunload', warn);
  }, [queue]);

  return {
    rows,
    add: useCallback((files: File[]) => queue.add(files), [queue]),
    cancel: useCallback((id: string) => queue.cancel(id), [queue]),
    retry: useCallback((id: string) => queue.retry(id), [queue]),
    dismiss: useCallback((id: string) => queue.dismiss(id), [queue]),
    clearFinished: useCallback(() => queue.clearFinished(), [queue]),
  };
}
