'use client';

import { useEffect, useRef, useState } from 'react';
import { ActionIcon } from './icons';

function carriesFiles(event: DragEvent): boolean {
  return event.dataTransfer?.types.includes('Files') ?? false;
}

/**
 * Upload affordances: files dropped anywhere on the page (an overlay shows while dragging), and a
 * keyboard-reachable "Choose files" button for the system picker. Many files at once.
 */
export function DropZone({ onFiles, hint }: { onFiles: (files: File[]) => void; hint?: string }) {
  const picker = useRef<HTMLInputElement>(null);
  const latest = useRef(onFiles);
  const [dragging, setDragging] = useState(false);

  useEffect(() => {
    latest.current = onFiles;
  }, [onFiles]);

  useEffect(() => {
    let depth = 0;
    const enter = (event: DragEvent) => {
      if (!carriesFiles(event)) return;
      depth += 1;
      setDragging(true);
    };
    const over = (event: DragEvent) => {
      if (!carriesFiles(event)) return;
      event.preventDefault();
      if (event.dataTransfer) event.dataTransfer.dropEffect = 'copy';
    };
    const leave = (event: DragEvent) => {
      if (!carriesFiles(event)) return;
      depth = Math.max(0, depth - 1);
      if (depth === 0) setDragging(false);
    };
    const drop = (event: DragEvent) => {
      if (!carriesFiles(event)) return;
      event.preventDefault();
      depth = 0;
      setDragging(false);
      const files = [...(event.dataTransfer?.files ?? [])];
      if (files.length > 0) latest.current(files);
    };
    window.addEventListener('dragenter', enter);
    window.addEventListener('dragover', over);
    window.addEventListener('dragleave', leave);
    window.addEventListener('drop', drop);
    return () => {
      window.removeEventListener('dragenter', enter);
      window.removeEventListener('dragover', over);
      window.removeEventListener('dragleave', leave);
      window.removeEventListener('drop', drop);
    };
  }, []);

  return (
    <div className={`drop-zone${dragging ? ' is-dragging' : ''}`} data-testid="drop-zone">
      <ActionIcon name="upload" />
      <p className="drop-zone-text">
        <strong>Drag files anywhere on this page</strong> <span className="muted">or</span>
      </p>
      <button type="button" className="button button-primary" onClick={() => picker.current?.click()}>
        Choose files
      </button>
      <input
        ref={picker}
        type="file"
        multiple
        hidden
        data-testid="file-input"
        onChange={(event) => {
          const files = [...(event.target.files ?? [])];
          event.target.value = '';
          if (files.length > 0) onFiles(files);
        }}
      />
      {hint ? <p className="drop-zone-hint muted">{hint}</p> : null}
      {dragging ? (
        <div className="drop-overlay" aria-hidden="true">
          <p>Drop to upload</p>
        </div>
      ) : null}
    </div>
  );
}
