'use client';

import { useCallback, useEffect, useState, useSyncExternalStore } from 'react';
import { isSignedOut, useSignedOut } from '@/app/_components/session-state';
import { abortUpload, completeUpload, createUpload, presignParts } from '../actions';
import type { Notify } from './toasts';
import { type FolderedFile, UploadQueue, type UploadRow } from './upload-queue-store';

const NO_ROWS: readonly UploadRow[] = [];
/** Uploads finishing close together cause one list refresh. */
const REFRESH_DELAY_MS = 300;

/** The one message for a batch of uploads that has settled, or null when there is nothing to say (all cancelled). */
export function batchMessage(rows: readonly UploadRow[]): { kind: 'success' | 'error'; text: string } | null {
  const done = rows.filter((row) => row.status === 'done');
  const failed = rows.filter((row) => row.status === 'failed');
  const [first] = failed.length > 0 ? failed : done;
  if (!first) return null;
  if (failed.length === 0) {
    return { kind: 'success', text: done.length === 1 ? `Uploaded “${first.name}”.` : `Uploaded ${done.length} files.` };
  }
  if (done.length > 0) {
    return { kind: 'error', text: `Uploaded ${done.length} of ${done.length + failed.length} files; ${failed.length} failed.` };
  }
  return {
    kind: 'error',
    text:
      failed.length === 1 ? `“${first.name}” was not uploaded: ${first.message}` : `${failed.length} files were not uploaded.`,
  };
}

/**
 * The page's upload queue: rows for rendering, the queue's commands, one toast per batch (the files
 * added together) once all of it has settled, a list refresh as files arrive, and a leave-page
 * warning while uploads run.
 */
export function useUploads(onUploaded: () => void, notify: Notify) {
  const [queue] = useState(() => new UploadQueue({ createUpload, presignParts, completeUpload, abortUpload }));
  const rows = useSyncExternalStore(queue.subscribe, queue.getSnapshot, () => NO_ROWS);

  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    queue.onSettled = (_row, outcome) => {
      if (outcome.status !== 'done') return;
      clearTimeout(timer);
      timer = setTimeout(onUploaded, REFRESH_DELAY_MS);
    };
    queue.onBatchSettled = (rows) => {
      // Signed out: the page-wide notice says what happened, not a toast per batch.
      const message = isSignedOut() ? null : batchMessage(rows);
      if (message) notify(message.kind, message.text);
    };
    return () => {
      clearTimeout(timer);
      queue.onSettled = () => {};
      queue.onBatchSettled = () => {};
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
    add: useCallback((files: readonly (File | FolderedFile)[]) => queue.add(files), [queue]),
    cancel: useCallback((id: string) => queue.cancel(id), [queue]),
    retry: useCallback((id: string) => queue.retry(id), [queue]),
    dismiss: useCallback((id: string) => queue.dismiss(id), [queue]),
    clearFinished: useCallback(() => queue.clearFinished(), [queue]),
  };
}
