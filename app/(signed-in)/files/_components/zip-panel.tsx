'use client';

import { useCallback, useEffect, useId, useRef, useState } from 'react';
import { call } from '@/app/_components/call';
import { zipFileName } from '@/lib/files/zip';
import { getZipLinks } from '../zip-actions';
import { formatBytes } from './format';
import type { Notify } from './toasts';
import { downloadFilesAsZip, ZipDownloadError, type ZipProgress, type ZipSink, type ZipSource, zipSink } from './zip-stream';

/** Where a zip download is: nothing, running (with its progress), or failed (with what to retry). */
export type ZipState =
  | { phase: 'idle' }
  | { phase: 'running'; progress: ZipProgress; sink: ZipSink }
  | { phase: 'failed'; message: string; files: readonly ZipSource[]; fileName: string };

const UNEXPECTED = 'The zip could not be made, so nothing was saved. Try again.';

/**
 * One zip download at a time: `start(files, fileName?)` (call it from the click: the save picker
 * needs the gesture; the name defaults to `Cubby files {date}.zip`), `cancel()` (stops the fetches and the write; the partial file is discarded), `retry()`
 * after a failure, `dismiss()`. Progress reaches React at most once a frame. Leaving the page cancels.
 */
export function useZipDownload(notify: Notify) {
  const [state, setState] = useState<ZipState>({ phase: 'idle' });
  const running = useRef<AbortController | null>(null);

  useEffect(() => () => running.current?.abort(), []);

  const start = useCallback(
    (files: readonly ZipSource[], fileName = zipFileName(new Date())) => {
      if (running.current || files.length === 0) return;
      const controller = new AbortController();
      running.current = controller;
      let latest: ZipProgress = {
        bytes: 0,
        totalBytes: files.reduce((sum, file) => sum + file.size, 0),
        files: 0,
        totalFiles: files.length,
      };
      let frame = 0;
      setState({ phase: 'running', progress: latest, sink: zipSink() });
      const onProgress = (progress: ZipProgress) => {
        latest = progress;
        frame ||= requestAnimationFrame(() => {
          frame = 0;
          setState((current) => (current.phase === 'running' ? { ...current, progress: latest } : current));
        });
      };
      const noun = files.length === 1 ? 'file' : 'files';
      downloadFilesAsZip({
        files,
        fileName,
        fetchLinks: (keys) => call(() => getZipLinks({ keys })),
        signal: controller.signal,
        onProgress,
      })
        .then((outcome) => {
          setState({ phase: 'idle' });
          if (outcome === 'saved') notify('success', `Zipped ${files.length} ${noun} into “${fileName}”.`);
          else notify('success', 'Zip download cancelled. Nothing was saved.');
        })
        .catch((error: unknown) => {
          setState({ phase: 'failed', message: error instanceof ZipDownloadError ? error.message : UNEXPECTED, files, fileName });
        })
        .finally(() => {
          cancelAnimationFrame(frame);
          running.current = null;
        });
    },
    [notify],
  );

  const cancel = useCallback(() => running.current?.abort(), []);
  const dismiss = useCallback(() => setState((current) => (current.phase === 'failed' ? { phase: 'idle' } : current)), []);
  const retry = useCallback(() => {
    if (state.phase === 'failed') start(state.files, state.fileName);
  }, [state, start]);

  return { state, start, cancel, retry, dismiss };
}

/**
 * The zip download's panel: a bar with files and bytes and Cancel while it runs; after a failure,
 * what failed (an alert) with Try again and Dismiss. Nothing when idle.
 */
export function ZipPanel({
  state,
  onCancel,
  onRetry,
  onDismiss,
}: {
  state: ZipState;
  onCancel: () => void;
  onRetry: () => void;
  onDismiss: () => void;
}) {
  const titleId = useId();
  if (state.phase === 'idle') return null;
  if (state.phase === 'failed') {
    return (
      <section className="uploads" aria-labelledby={titleId} data-testid="zip-panel">
        <div className="uploads-head">
          <h2 id={titleId} className="section-heading">
            Zip download failed
          </h2>
          <span className="uploads-head-actions">
            <button type="button" className="button button-primary" onClick={onRetry}>
              Try again
            </button>
            <button type="button" className="button button-quiet" onClick={onDismiss}>
              Dismiss
            </button>
          </span>
        </div>
        <p className="upload-error" role="alert" data-testid="zip-error">
          {state.message}
        </p>
      </section>
    );
  }
  const { progress, sink } = state;
  const noun = progress.totalFiles === 1 ? 'file' : 'files';
  return (
    <section className="uploads" aria-labelledby={titleId} aria-busy="true" data-testid="zip-panel">
      <div className="uploads-head">
        <h2 id={titleId} className="section-heading">
          Zipping {progress.totalFiles} {noun}
        </h2>
        <span className="uploads-head-actions">
          <button type="button" className="button button-quiet" onClick={onCancel}>
            Cancel zip
          </button>
        </span>
      </div>
      <progress
        className="upload-progress"
        aria-labelledby={titleId}
        max={Math.max(progress.totalBytes, 1)}
        value={progress.totalBytes === 0 ? (progress.files === progress.totalFiles ? 1 : 0) : progress.bytes}
      />
      <p className="upload-stats" data-testid="zip-progress">
        File {Math.max(progress.files, 1)} of {progress.totalFiles} · {formatBytes(progress.bytes)} of{' '}
        {formatBytes(progress.totalBytes)}
        {sink === 'blob' ? ' · your browser saves it when it is complete' : ''}
      </p>
    </section>
  );
}
