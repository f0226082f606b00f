'use client';

import Link from 'next/link';
import type { DragEvent } from 'react';
import type { ListedFolder } from '@/lib/files/types';
import { folderHref } from './folder-href';
import { ActionIcon } from './icons';
import { type MoveDragPayload, moveDropTarget } from './move-drag';

/** A folder glyph (24×24, stroked like the file icons). Decorative. */
export function FolderIcon() {
  return (
    <svg className="file-icon file-icon-folder" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
      <path className="file-icon-page" d="M3 6.5h6.5l2 2H21V19H3z" />
    </svg>
  );
}

/** What a folder row can do (each optional: a row without the handler has no button for it). */
export interface FolderRowActions {
  onDeleteFolder?: (folder: ListedFolder) => void;
  onRenameFolder?: (folder: ListedFolder) => void;
  onMoveFolder?: (folder: ListedFolder) => void;
  /** Downloads the folder, everything in it, as one zip built in the browser. */
  onZipFolder?: (folder: ListedFolder) => void;
  /** Something dragged (rows) was dropped on the folder. */
  onDropOnFolder?: (folder: ListedFolder, payload: MoveDragPayload) => void;
  onDragFolder?: (event: DragEvent, folder: ListedFolder) => void;
}

/**
 * One folder in the file table, above the files: its name is a link that opens it (click or
 * Enter), the URL being its path; on narrow screens it reads "Folder" under the name. No checkbox:
 * selections are of files.
 */
export function FolderRow({ folder, ...actions }: { folder: ListedFolder } & FolderRowActions) {
  const drop = actions.onDropOnFolder ? moveDropTarget((payload) => actions.onDropOnFolder?.(folder, payload)) : undefined;
  return (
    <tr
      data-testid="folder-row"
      className="folder-row"
      draggable={actions.onDragFolder !== undefined}
      onDragStart={actions.onDragFolder ? (event) => actions.onDragFolder?.(event, folder) : undefined}
      {...drop}
    >
      <td className="col-select" />
      <th scope="row" className="col-name">
        <div className="file-cell">
          <FolderIcon />
          <div className="file-cell-text">
            <span className="file-name-line">
              <Link className="file-name" href={folderHref(folder.path)} data-testid="folder-link">
                {folder.name}
              </Link>
            </span>
            <span className="file-meta">Folder</span>
          </div>
        </div>
      </th>
      <td className="col-size" />
      <td className="col-type">Folder</td>
      <td className="col-date" />
      <td className="col-actions">
        <div className="row-actions">
          {actions.onZipFolder ? (
            <button
              type="button"
              className="icon-button"
              aria-label={`Download the folder ${folder.name} as zip`}
              title="Download as zip"
              onClick={() => actions.onZipFolder?.(folder)}
            >
              <ActionIcon name="download" />
            </button>
          ) : null}
          {actions.onRenameFolder ? (
            <button
              type="button"
              className="icon-button"
              aria-label={`Rename the folder ${folder.name}`}
              title="Rename"
              onClick={() => actions.onRenameFolder?.(folder)}
            >
              <ActionIcon name="rename" />
            </button>
          ) : null}
          {actions.onMoveFolder ? (
            <button
              type="button"
              className="icon-button"
              aria-label={`Move the folder ${folder.name}`}
              title="Move to…"
              onClick={() => actions.onMoveFolder?.(folder)}
            >
              <ActionIcon name="move" />
            </button>
          ) : null}
          {actions.onDeleteFolder ? (
            <button
              type="button"
              className="icon-button icon-button-danger"
              aria-label={`Delete the folder ${folder.name}`}
              title="Delete"
              onClick={() => actions.onDeleteFolder?.(folder)}
            >
              <ActionIcon name="delete" />
            </button>
          ) : null}
        </div>
      </td>
    </tr>
  );
}
