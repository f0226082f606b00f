'use client';

import Link from 'next/link';
import { type DragEvent, useEffect, useRef, useSyncExternalStore } from 'react';
import type { FileItem, ListedFile, ListedFolder, SortField, SortOrder } from '@/lib/files/types';
import { folderHref } from './folder-href';
import { FolderRow, type FolderRowActions } from './folder-row';
import { FAMILY_LABELS, formatBytes, formatDate, mimeFamily } from './format';
import { ActionIcon, FileIcon } from './icons';

const noSubscription = () => () => {};

/** False while hydrating, true after: locale dates are formatted in the browser only (no mismatch). */
function useHydrated(): boolean {
  return useSyncExternalStore(
    noSubscription,
    () => true,
    () => false,
  );
}

export interface FileTableProps extends FolderRowActions {
  /** The folders in the folder shown: rows above the files. */
  folders?: readonly ListedFolder[];
  items: readonly ListedFile[];
  sort: SortField;
  order: SortOrder;
  onSort: (field: SortField) => void;
  selected: ReadonlySet<string>;
  onSelect: (keys: readonly string[], selected: boolean) => void;
  thumbnails: Readonly<Record<string, string>>;
  onPreview: (file: FileItem) => void;
  onDownload: (file: FileItem) => void;
  onRename: (file: FileItem) => void;
  onDelete: (file: FileItem) => void;
  onPublish: (file: FileItem) => void;
  onUnpublish: (file: FileItem) => void;
  /** Opens the share-link dialog for the file. */
  onShare: (file: FileItem) => void;
  /** Opens "Move to…" for the file. */
  onMove?: (file: FileItem) => void;
  /** Starts dragging the file's row (and the other selected rows with it) onto a folder. */
  onDragFile?: (event: DragEvent, file: FileItem) => void;
}

function SortHeader({
  field,
  label,
  className,
  sort,
  order,
  onSort,
}: { field: SortField; label: string; className: string } & Pick<FileTableProps, 'sort' | 'order' | 'onSort'>) {
  const active = sort === field;
  return (
    <th scope="col" className={className} aria-sort={active ? (order === 'asc' ? 'ascending' : 'descending') : undefined}>
      <button type="button" className="sort-button" onClick={() => onSort(field)}>
        {label}
        {active ? (
          <span className="sort-arrow" aria-hidden="true">
            {order === 'asc' ? '↑' : '↓'}
          </span>
        ) : null}
      </button>
    </th>
  );
}

/**
 * The list of files: a real table (sortable column headers with aria-sort, a checkbox per row,
 * row actions as labelled buttons). Only the active sort column shows an arrow. A file in the gallery
 * carries a "Public" marker and offers Unpublish instead of Publish. On narrow screens CSS hides
 * the size, type and date columns and shows them as a line under the name, which wraps whole.
 */
export function FileTable(props: FileTableProps) {
  const { items, selected, onSelect, thumbnails } = props;
  const hydrated = useHydrated();
  const selectAll = useRef<HTMLInputElement>(null);
  const chosen = items.filter((item) => selected.has(item.key)).length;
  const all = items.length > 0 && chosen === items.length;

  useEffect(() => {
    if (selectAll.current) selectAll.current.indeterminate = chosen > 0 && !all;
  }, [chosen, all]);

  return (
    <table className="file-table" data-testid="file-table">
      <caption className="visually-hidden">Your files</caption>
      <thead>
        <tr>
          <th scope="col" className="col-select">
            <input
              ref={selectAll}
              type="checkbox"
              aria-label="Select all files shown"
              checked={all}
              onChange={(event) =>
                onSelect(
                  items.map((item) => item.key),
                  event.target.checked,
                )
              }
            />
          </th>
          <SortHeader field="name" label="Name" className="col-name" {...props} />
          <SortHeader field="size" label="Size" className="col-size" {...props} />
          <th scope="col" className="col-type">
            Type
          </th>
          <SortHeader field="lastModified" label="Modified" className="col-date" {...props} />
          <th scope="col" className="col-actions">
            <span className="visually-hidden">Actions</span>
          </th>
        </tr>
      </thead>
      <tbody>
        {(props.folders ?? []).map((folder) => (
          <FolderRow
            key={`folder:${folder.path.join('/')}`}
            folder={folder}
            onDeleteFolder={props.onDeleteFolder}
            onRenameFolder={props.onRenameFolder}
            onMoveFolder={props.onMoveFolder}
            onZipFolder={props.onZipFolder}
            onDropOnFolder={props.onDropOnFolder}
            onDragFolder={props.onDragFolder}
          />
        ))}
        {items.map((item) => {
          const family = mimeFamily(item.type);
          const thumbnail = thumbnails[item.key];
          const date = hydrated ? formatDate(item.lastModified) : '';
          return (
            <tr
              key={item.key}
              data-testid="file-row"
              className={selected.has(item.key) ? 'is-selected' : undefined}
              draggable={props.onDragFile !== undefined}
              onDragStart={props.onDragFile ? (event) => props.onDragFile?.(event, item) : undefined}
            >
              <td className="col-select">
                <input
                  type="checkbox"
                  aria-label={`Select ${item.name}`}
                  checked={selected.has(item.key)}
                  onChange={(event) => onSelect([item.key], event.target.checked)}
                />
              </td>
              <th scope="row" className="col-name">
                <div className="file-cell">
                  {thumbnail ? (
                    // biome-ignore lint/performance/noImgElement: a presigned S3 URL; next/image would pull the bytes through the server.
                    <img className="thumbnail" src={thumbnail} alt={item.name} loading="lazy" width={36} height={36} />
                  ) : (
                    <FileIcon family={family} />
                  )}
                  <div className="file-cell-text">
                    <span className="file-name-line">
                      <button type="button" className="file-name" title="Preview" onClick={() => props.onPreview(item)}>
                        {item.name}
                      </button>
                      {item.isPublic ? (
                        <span className="public-marker" data-testid="public-marker" title="In the public gallery">
                          Public
                        </span>
                      ) : null}
                      {item.folder ? (
                        <Link className="file-folder" href={folderHref(item.folder)} data-testid="file-folder">
                          in {item.folder.length > 0 ? item.folder.join(' / ') : 'Your files'}
                        </Link>
                      ) : null}
                    </span>
                    <span className="file-meta">
                      {formatBytes(item.size)} · {FAMILY_LABELS[family]}
                      {date ? ` · ${date}` : ''}
                    </span>
                  </div>
                </div>
              </th>
              <td className="col-size">{formatBytes(item.size)}</td>
              <td className="col-type" title={item.type}>
                {FAMILY_LABELS[family]}
              </td>
              <td className="col-date">
                <time dateTime={item.lastModified}>{date}</time>
              </td>
              <td className="col-actions">
                <div className="row-actions">
                  <button
                    type="button"
                    className="icon-button"
                    aria-label={`Download ${item.name}`}
                    title="Download"
                    onClick={() => props.onDownload(item)}
                  >
                    <ActionIcon name="download" />
                  </button>
                  <button
                    type="button"
                    className="icon-button"
                    aria-label={`Rename ${item.name}`}
                    title="Rename"
                    onClick={() => props.onRename(item)}
                  >
                    <ActionIcon name="rename" />
                  </button>
                  {props.onMove ? (
                    <button
                      type="button"
                      className="icon-button"
                      aria-label={`Move ${item.name} to a folder`}
                      title="Move to…"
                      onClick={() => props.onMove?.(item)}
                    >
                      <ActionIcon name="move" />
                    </button>
                  ) : null}
                  <button
                    type="button"
                    className="icon-button"
                    aria-label={`Share a link to ${item.name}`}
                    title="Share a link"
                    onClick={() => props.onShare(item)}
                  >
                    <ActionIcon name="share" />
                  </button>
                  {item.isPublic ? (
                    <button
                      type="button"
                      className="icon-button"
                      aria-label={`Unpublish ${item.name} from the gallery`}
                      title="Unpublish (remove from the gallery)"
                      onClick={() => props.onUnpublish(item)}
                    >
                      <ActionIcon name="unpublish" />
                    </button>
                  ) : (
                    <button
                      type="button"
                      className="icon-button"
                      aria-label={`Publish ${item.name} to the gallery`}
                      title="Publish to the gallery"
                      onClick={() => props.onPublish(item)}
                    >
                      <ActionIcon name="publish" />
                    </button>
                  )}
                  <button
                    type="button"
                    className="icon-button icon-button-danger"
                    aria-label={`Delete ${item.name}`}
                    title="Delete"
                    onClick={() => props.onDelete(item)}
                  >
                    <ActionIcon name="delete" />
                  </button>
                </div>
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
