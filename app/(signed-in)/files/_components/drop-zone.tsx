'use client';

import { useEffect, useRef, useState } from 'react';
import { droppedFiles, pickedFiles } from './folder-tree';
import { ActionIcon } from './icons';
import type { FolderedFile } from './upload-queue-store';

/** `webkitdirectory` (every browser's folder picker) is not in React's input attributes. */
const FOLDER_PICKER = { webkitdirectory: '' } as Record<string, string>;

function carriesFiles(event: DragEvent): boolean {
  return event.dataTransfer?.types.includes('Files') ?? false;
}

/**
 * Upload affordances: files and folders dropped anywhere on the page (an overlay shows while
 * dragging; a dropped folder keeps its tree), and keyboard-reachable "Choose files" and "Choose a
 * folder" buttons for the system pickers. Everything goes into the folder `folder` (`[]`: the top
 * level) the person is in.
 */
export function DropZone({
  onFiles,
  hint,
  folder = [],
}: {
  onFiles: (files: FolderedFile[]) => void;
  hint?: string;
  folder?: readonly string[];
}) {
  const picker = useRef<HTMLInputElement>(null);
  const folderPicker = useRef<HTMLInputElement>(null);
  const latest = useRef(onFiles);
  const base = useRef(folder);
  const [dragging, setDragging] = useState(false);

  useEffect(() => {
    latest.current = onFiles;
    base.current = folder;
  }, [onFiles, folder]);

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
      if (!event.dataTransfer) return;
      void droppedFiles(event.dataTransfer, base.current).then((files) => {
        if (files.length > 0) latest.current(files);
      });
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
      <button type="button" className="button button-quiet" onClick={() => folderPicker.current?.click()}>
        Choose a folder
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
          if (files.length > 0) onFiles(files.map((file) => ({ file, folder: [...folder] })));
        }}
      />
      <input
        ref={folderPicker}
        type="file"
        multiple
        hidden
        data-testid="folder-input"
        {...FOLDER_PICKER}
        onChange={(event) => {
          const files = [...(event.target.files ?? [])];
          event.target.value = '';
          if (files.length > 0) onFiles(pickedFiles(files, folder));
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
