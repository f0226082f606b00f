'use client';

import { useEffect, useState } from 'react';
import { call } from '@/app/_components/call';
import type { FileItem } from '@/lib/files/types';
import { getDownloadUrl, getFileDetails } from '../actions';
import { formatBytes, formatDate, previewKind } from './format';
import { Modal } from './modal';

/** Plain text is shown up to this many bytes. */
export const TEXT_PREVIEW_BYTES = 200 * 1024;
/** PDFs larger than this are not fetched for preview. */
const PDF_PREVIEW_BYTES = 50 * 1024 ** 2;
const FAILED = 'The preview could not be loaded. Try downloading the file instead.';

type Preview =
  | { state: 'loading' }
  | { state: 'image'; url: string }
  | { state: 'pdf'; url: string }
  | { state: 'text'; text: string; truncated: boolean }
  | { state: 'none'; reason: string }
  | { state: 'error'; message: string };

/** Reads at most `limit` bytes of a response body as UTF-8, then stops the download. */
async function readText(response: Response, limit: number): Promise<string> {
  const reader = response.body?.getReader();
  if (!reader) return (await response.text()).slice(0, limit);
  const bytes = new Uint8Array(limit);
  let size = 0;
  while (size < limit) {
    const { done, value } = await reader.read();
    if (done) break;
    const take = Math.min(value.length, limit - size);
    bytes.set(value.subarray(0, take), size);
    size += take;
  }
  await reader.cancel().catch(() => {});
  return new TextDecoder().decode(bytes.subarray(0, size));
}

/**
 * Loads what the preview shows. Images use an inline presigned URL (S3 serves allow-listed raster
 * types inline). Everything else is served as an attachment, so text and PDF are fetched (CORS)
 * and shown from memory: text in a <pre>, PDF from a blob: URL typed application/pdf.
 */
function usePreview(file: FileItem): Preview {
  const kind = previewKind(file.type);
  const [preview, setPreview] = useState<Preview>(
    kind === 'none' ? { state: 'none', reason: 'There is no preview for this type of file.' } : { state: 'loading' },
  );

  useEffect(() => {
    if (kind === 'none') return;
    if (kind === 'pdf' && file.size > PDF_PREVIEW_BYTES) {
      setPreview({ state: 'none', reason: `This PDF is too large to preview (${formatBytes(file.size)}).` });
      return;
    }
    const abort = new AbortController();
    let objectUrl: string | null = null;
    const load = async () => {
      const link = await call(() => getDownloadUrl({ key: file.key, disposition: kind === 'image' ? 'inline' : 'attachment' }));
      if (abort.signal.aborted) return;
      if (!link.ok) return setPreview({ state: 'error', message: link.message });
      if (kind === 'image') return setPreview({ state: 'image', url: link.value.url });
      const response = await fetch(link.value.url, { signal: abort.signal, credentials: 'omit' });
      if (!response.ok) throw new Error(`preview ${response.status}`);
      if (kind === 'text') {
        const text = await readText(response, TEXT_PREVIEW_BYTES);
        if (!abort.signal.aborted) setPreview({ state: 'text', text, truncated: file.size > TEXT_PREVIEW_BYTES });
        return;
      }
      const blob = new Blob([await response.arrayBuffer()], { type: 'application/pdf' });
      if (abort.signal.aborted) return;
      objectUrl = URL.createObjectURL(blob);
      setPreview({ state: 'pdf', url: objectUrl });
    };
    load().catch(() => {
      if (!abort.signal.aborted) setPreview({ state: 'error', message: FAILED });
    });
    return () => {
      abort.abort();
      if (objectUrl) URL.revokeObjectURL(objectUrl);
    };
  }, [file, kind]);

  return preview;
}

/**
 * A PDF in a frame (the CSP's frame-src allows blob: for this); should a policy still refuse the
 * frame, a note instead of a blank box, and the link to open it in a new tab either way.
 */
function PdfFrame({ url, name }: { url: string; name: string }) {
  const [blocked, setBlocked] = useState(false);
  useEffect(() => {
    const onViolation = (event: SecurityPolicyViolationEvent) => {
      if (event.effectiveDirective === 'frame-src' && event.blockedURI.startsWith('blob')) setBlocked(true);
    };
    document.addEventListener('securitypolicyviolation', onViolation);
    return () => document.removeEventListener('securitypolicyviolation', onViolation);
  }, []);
  return (
    <>
      {blocked ? (
        <p className="preview-note">The PDF cannot be shown here.</p>
      ) : (
        <iframe className="preview-pdf" src={url} title={`Preview of ${name}`} />
      )}
      <p className="preview-note">
        <a href={url} target="_blank" rel="noopener">
          Open the PDF in a new tab
        </a>
      </p>
    </>
  );
}

/**
 * When the file's content last changed, from S3 (HeadObject): kept across renames, unlike the
 * list's Modified column (S3's time of the last write, which a rename is). Just the size while
 * loading or if it cannot be read: the preview itself says what went wrong.
 */
function ModifiedAt({ file }: { file: FileItem }) {
  const [modifiedAt, setModifiedAt] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    void call(() => getFileDetails({ key: file.key })).then((result) => {
      if (live && result.ok) setModifiedAt(result.value.modifiedAt);
    });
    return () => {
      live = false;
    };
  }, [file.key]);
  return (
    <p className="preview-meta muted" data-testid="preview-modified">
      {formatBytes(file.size)}
      {modifiedAt ? (
        <>
          {' · Modified '}
          <time dateTime={modifiedAt}>{formatDate(modifiedAt)}</time>
        </>
      ) : null}
    </p>
  );
}

function PreviewBody({
  file,
  onClose,
  onDownload,
}: {
  file: FileItem;
  onClose: () => void;
  onDownload: (file: FileItem) => void;
}) {
  const preview = usePreview(file);
  return (
    <>
      <ModifiedAt file={file} />
      <div className="preview-area" data-testid="preview" aria-busy={preview.state === 'loading'}>
        {preview.state === 'loading' ? <p className="preview-note">Loading preview…</p> : null}
        {preview.state === 'image' ? (
          // biome-ignore lint/performance/noImgElement: a presigned S3 URL; next/image would pull the bytes through the server.
          <img className="preview-image" src={preview.url} alt={file.name} />
        ) : null}
        {preview.state === 'pdf' ? <PdfFrame url={preview.url} name={file.name} /> : null}
        {preview.state === 'text' ? (
          <>
            <section className="preview-text-region" aria-label={`Contents of ${file.name}`}>
              {/* biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be keyboard-scrollable. */}
              <pre className="preview-text" tabIndex={0}>
                {preview.text}
              </pre>
            </section>
            {preview.truncated ? (
              <p className="preview-note">Showing the first 200 KB. Download the file to see all of it.</p>
            ) : null}
          </>
        ) : null}
        {preview.state === 'none' ? <p className="preview-note">{preview.reason}</p> : null}
        {preview.state === 'error' ? (
          <p className="preview-note preview-error" role="alert">
            {preview.message}
          </p>
        ) : null}
      </div>
      <div className="dialog-actions">
        <button type="button" className="button button-quiet" onClick={() => onDownload(file)}>
          Download
        </button>
        <button type="button" className="button button-primary" data-autofocus onClick={onClose}>
          Close
        </button>
      </div>
    </>
  );
}

/** The preview dialog for `file` (closed when null): images, PDF and plain text; "no preview" otherwise. */
export function PreviewDialog({
  file,
  onClose,
  onDownload,
}: {
  file: FileItem | null;
  onClose: () => void;
  onDownload: (file: FileItem) => void;
}) {
  return (
    <Modal open={file !== null} title={file?.name ?? 'Preview'} onClose={onClose} wide testId="preview-dialog">
      {file ? <PreviewBody key={file.key} file={file} onClose={onClose} onDownload={onDownload} /> : null}
    </Modal>
  );
}
