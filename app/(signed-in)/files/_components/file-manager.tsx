'use client';

import { useCallback, useMemo, useState } from 'react';
import { call } from '@/app/_components/call';
import type { ActionResult, FileItem, FilePage, ListedFolder } from '@/lib/files/types';
import { getDownloadUrl, publishFile, unpublishFile } from '../actions';
import { Breadcrumbs } from './breadcrumbs';
import { DeleteDialog } from './delete-dialog';
import { DeleteFolderDialog } from './delete-folder-dialog';
import { DropZone } from './drop-zone';
import { FileTable } from './file-table';
import { formatBytes } from './format';
import { ListToolbar } from './list-toolbar';
import { useMoveControls } from './move-controls';
import { NewFolderDialog } from './new-folder-dialog';
import { PreviewDialog } from './preview-dialog';
import { RenameDialog } from './rename-dialog';
import { ShareDialog } from './share-dialog';
import { StorageBar } from './storage-bar';
import { ToastProvider, useToast } from './toasts';
import { UploadQueue } from './upload-queue';
import { useFileList } from './use-file-list';
import { useThumbnails } from './use-thumbnails';
import { useUploads } from './use-uploads';
import { useZipFolder } from './use-zip-folder';
import { useZipDownload, ZipPanel } from './zip-panel';

function summaryOf(page: FilePage, query: string): string {
  const shown = page.items.length;
  const noun = page.totalCount === 1 ? 'file' : 'files';
  if (query) return `${page.totalCount} ${noun} match “${query}”`;
  const files = shown < page.totalCount ? `Showing ${shown} of ${page.totalCount} ${noun}` : `${page.totalCount} ${noun}`;
  const folders = page.folders.length;
  return folders > 0 ? `${folders} ${folders === 1 ? 'folder' : 'folders'}, ${files}` : files;
}

/** Sends the browser to a presigned attachment URL: S3 answers with a download, the page stays. */
function startDownload(url: string): void {
  window.location.assign(url);
}

function Manager({ initial, path }: { initial: ActionResult<FilePage>; path: readonly string[] }) {
  const notify = useToast();
  const list = useFileList(initial, notify, path);
  const [creatingFolder, setCreatingFolder] = useState(false);
  const [deletingFolder, setDeletingFolder] = useState<ListedFolder | null>(null);
  const uploads = useUploads(list.refresh, notify);
  const items = useMemo(() => list.page?.items ?? [], [list.page]);
  const thumbnails = useThumbnails(items);
  const zip = useZipDownload(notify);
  const zipFolder = useZipFolder(zip.start, notify);
  const moves = useMoveControls(notify, list.refresh);
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const [previewing, setPreviewing] = useState<FileItem | null>(null);
  const [renaming, setRenaming] = useState<FileItem | null>(null);
  const [deleting, setDeleting] = useState<readonly FileItem[] | null>(null);
  const [sharing, setSharing] = useState<FileItem | null>(null);

  const select = useCallback((keys: readonly string[], on: boolean) => {
    setSelected((current) => {
      const next = new Set(current);
      for (const key of keys) {
        if (on) next.add(key);
        else next.delete(key);
      }
      return next;
    });
  }, []);

  const download = useCallback(
    async (file: FileItem) => {
      const result = await call(() => getDownloadUrl({ key: file.key, disposition: 'attachment' }));
      if (result.ok) startDownload(result.value.url);
      else notify('error', result.message);
    },
    [notify],
  );

  const publish = useCallback(
    async (file: FileItem) => {
      const result = await call(() => publishFile({ key: file.key }));
      if (!result.ok) return notify('error', result.message);
      notify(
        'success',
        result.value.alreadyPublic ? `“${file.name}” is already in the gallery.` : `Published “${file.name}” to the gallery.`,
      );
      void list.refresh();
    },
    [notify, list.refresh],
  );

  const unpublish = useCallback(
    async (file: FileItem) => {
      const result = await call(() => unpublishFile({ key: file.key }));
      if (!result.ok) return notify('error', result.message);
      notify('success', `Removed “${file.name}” from the gallery.`);
      void list.refresh();
    },
    [notify, list.refresh],
  );

  const chosen = items.filter((item) => selected.has(item.key));
  const { page, failure } = list;

  return (
    <div className="file-manager" data-testid="file-manager">
      <div className="files-location">
        <Breadcrumbs path={path} onDropRows={(destination, payload) => void moves.drop(destination, payload)} />
        <button type="button" className="button button-quiet" onClick={() => setCreatingFolder(true)}>
          New folder
        </button>
        {path.length > 0 ? (
          <button
            type="button"
            className="button button-quiet"
            onClick={() => void zipFolder.zipFolder(path)}
            disabled={zipFolder.listing || zip.state.phase === 'running'}
          >
            Download folder as zip
          </button>
        ) : null}
      </div>
      <div className="files-top">
        <DropZone
          folder={path}
          onFiles={uploads.add}
          hint={page ? `Up to ${formatBytes(page.quotaBytes)} in all. Files over 100 MB upload in parts.` : undefined}
        />
        {page ? <StorageBar usedBytes={page.usedBytes} trashBytes={page.trashBytes} quotaBytes={page.quotaBytes} /> : null}
      </div>
      <UploadQueue
        rows={uploads.rows}
        onCancel={uploads.cancel}
        onRetry={uploads.retry}
        onDismiss={uploads.dismiss}
        onClearFinished={uploads.clearFinished}
      />
      <ZipPanel state={zip.state} onCancel={zip.cancel} onRetry={zip.retry} onDismiss={zip.dismiss} />
      {moves.panel}
      {failure && !page ? (
        <div className="files-state card" role="alert" data-testid="files-error">
          <h2 className="section-heading">Your files could not be loaded</h2>
          <p className="muted">{failure.message}</p>
          <button type="button" className="button button-primary" onClick={() => void list.refresh()} disabled={list.loading}>
            {list.loading ? 'Trying…' : 'Try again'}
          </button>
        </div>
      ) : null}
      {page ? (
        <section className="file-list" aria-labelledby="file-list-title" aria-busy={list.loading}>
          <h2 id="file-list-title" className="visually-hidden">
            File list
          </h2>
          <ListToolbar
            search={list.search}
            onSearch={list.setSearch}
            sort={list.view.sort}
            order={list.view.order}
            onSort={list.setSort}
            summary={summaryOf(page, list.view.query)}
            selectedCount={chosen.length}
            onDeleteSelected={() => setDeleting(chosen)}
            onDownloadZip={() => zip.start(chosen)}
            zipBusy={zip.state.phase === 'running'}
            onMoveSelected={() => moves.moveFiles(chosen)}
          />
          <label className="search-scope">
            <input
              type="checkbox"
              checked={list.view.scope === 'all'}
              onChange={(event) => list.setScope(event.target.checked ? 'all' : 'folder')}
            />{' '}
            Search all folders
          </label>
          {page.items.length > 0 || page.folders.length > 0 ? (
            <FileTable
              folders={page.folders}
              onDeleteFolder={setDeletingFolder}
              onRenameFolder={(folder) => moves.renameFolder(folder.path)}
              onMoveFolder={(folder) => moves.moveFolder(folder.path)}
              onZipFolder={(folder) => void zipFolder.zipFolder(folder.path)}
              onDropOnFolder={(folder, payload) => void moves.drop(folder.path, payload)}
              onDragFolder={(event, folder) => moves.dragRows(event, [], [folder.path])}
              items={page.items}
              sort={list.view.sort}
              order={list.view.order}
              onSort={list.sortBy}
              selected={selected}
              onSelect={select}
              thumbnails={thumbnails}
              onPreview={setPreviewing}
              onDownload={download}
              onRename={setRenaming}
              onDelete={(file) => setDeleting([file])}
              onPublish={publish}
              onUnpublish={unpublish}
              onShare={setSharing}
              onMove={(file) => moves.moveFiles([file])}
              onDragFile={(event, file) =>
                moves.dragRows(event, selected.has(file.key) ? chosen.map((item) => item.key) : [file.key])
              }
            />
          ) : (
            <div className="files-state" data-testid="files-empty">
              {list.view.query ? (
                <p>
                  No file names contain “{list.view.query}”.{' '}
                  <button type="button" className="link-button" onClick={() => list.setSearch('')}>
                    Clear the search
                  </button>
                </p>
              ) : (
                <>
                  <h3 className="section-heading">{path.length > 0 ? 'This folder is empty' : 'No files yet'}</h3>
                  <p className="muted">Drop files anywhere on this page, or choose them with the button above.</p>
                </>
              )}
            </div>
          )}
          {page.nextCursor ? (
            <div className="load-more">
              <button
                type="button"
                className="button button-quiet"
                onClick={() => void list.loadMore()}
                disabled={list.loadingMore}
              >
                {list.loadingMore ? 'Loading…' : 'Load more'}
              </button>
            </div>
          ) : null}
        </section>
      ) : null}
      {moves.dialogs}
      <NewFolderDialog
        open={creatingFolder}
        parent={path}
        onClose={() => setCreatingFolder(false)}
        onCreated={(created) => {
          setCreatingFolder(false);
          notify('success', `Created the folder “${created.at(-1)}”.`);
          void list.refresh();
        }}
      />
      <DeleteFolderDialog
        folder={deletingFolder}
        onClose={() => setDeletingFolder(null)}
        notify={notify}
        onDeleted={() => {
          setDeletingFolder(null);
          void list.refresh();
        }}
        onRestored={() => void list.refresh()}
      />
      <PreviewDialog file={previewing} onClose={() => setPreviewing(null)} onDownload={download} />
      <RenameDialog
        file={renaming}
        onClose={() => setRenaming(null)}
        onRenamed={(file) => {
          setRenaming(null);
          notify('success', `Renamed to “${file.name}”.`);
          void list.refresh();
        }}
      />
      <ShareDialog
        file={sharing}
        onClose={() => {
          setSharing(null);
          void list.refresh(); // A link is a copy: the storage bar counts it.
        }}
      />
      <DeleteDialog
        files={deleting}
        onClose={() => setDeleting(null)}
        notify={notify}
        onDeleted={(keys) => {
          setDeleting(null);
          select(keys, false);
          void list.refresh();
        }}
        onRestored={() => void list.refresh()}
      />
    </div>
  );
}

/**
 * The file manager on /files/{folder…}: uploads straight to S3 into the folder shown (drop or pick
 * files or a folder tree, progress, cancel, retry), breadcrumbs and folders (open, create, delete),
 * the list (sort, search in the folder or everywhere, pages, thumbnails), preview, download,
 * rename, delete and publish. Every operation is a server action that re-checks the session;
 * `initial` is the server-rendered first page of the folder `path`.
 */
export function FileManager({ initial, path = [] }: { initial: ActionResult<FilePage>; path?: readonly string[] }) {
  return (
    <ToastProvider>
      <Manager initial={initial} path={path} />
    </ToastProvider>
  );
}
