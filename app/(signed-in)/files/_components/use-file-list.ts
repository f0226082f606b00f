'use client';

import { useCallback, useEffect, useRef, useState } from 'react';
import { call } from '@/app/_components/call';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from '@/lib/files/limits';
import type { ActionResult, FilePage, ListFilesInput, SortField, SortOrder } from '@/lib/files/types';
import { listFiles } from '../actions';
import { announceFilesChanged, onFilesChanged } from './files-channel';
import { INITIAL_VIEW, type ListView } from './list-view';
import type { Notify } from './toasts';

const SEARCH_DELAY_MS = 250;

function listInput(view: ListView, path: readonly string[], extra: Partial<ListFilesInput> = {}): ListFilesInput {
  return {
    sort: view.sort,
    order: view.order,
    path: [...path],
    ...(view.query ? { query: view.query, scope: view.scope ?? 'folder' } : {}),
    ...extra,
  };
}

function isInitialView(view: ListView): boolean {
  return view.sort === INITIAL_VIEW.sort && view.order === INITIAL_VIEW.order && !view.query;
}

/**
 * The file list's state for the folder `path`: the loaded page(s), sort, debounced search, "Load
 * more" and refresh. Only the newest request's answer is applied. A failure with nothing on screen
 * becomes `failure` (the error state); with a list on screen it is a toast. Opening another folder
 * (a new `path`, with its server-rendered `initial`) clears the search and shows that folder.
 */
export function useFileList(initial: ActionResult<FilePage>, notify: Notify, path: readonly string[] = []) {
  const [view, setView] = useState<ListView>(INITIAL_VIEW);
  const [search, setSearch] = useState('');
  const [page, setPage] = useState<FilePage | null>(initial.ok ? initial.value : null);
  const [failure, setFailure] = useState<{ code: string; message: string } | null>(
    initial.ok ? null : { code: initial.code, message: initial.message },
  );
  const [loading, setLoading] = useState(false);
  const [loadingMore, setLoadingMore] = useState(false);
  const generation = useRef(0);
  const viewRef = useRef(view);
  const pageRef = useRef(page);
  const pathRef = useRef(path);
  const pathKey = path.join('/');
  const shownPath = useRef(pathKey);

  useEffect(() => {
    pageRef.current = page;
  }, [page]);

  const load = useCallback(
    async (next: ListView, keepLoaded: boolean) => {
      const id = ++generation.current;
      setLoading(true);
      const loaded = keepLoaded ? (pageRef.current?.items.length ?? 0) : 0;
      const pageSize = Math.min(MAX_PAGE_SIZE, Math.max(DEFAULT_PAGE_SIZE, loaded));
      const result = await call(() => listFiles(listInput(next, pathRef.current, { pageSize })));
      if (id !== generation.current) return;
      setLoading(false);
      if (result.ok) {
        setPage(result.value);
        setFailure(null);
      } else if (pageRef.current) {
        notify('error', result.message);
      } else {
        setFailure({ code: result.code, message: result.message });
      }
    },
    [notify],
  );

  const changeView = useCallback(
    (patch: Partial<ListView>) => {
      const next = { ...viewRef.current, ...patch };
      viewRef.current = next;
      setView(next);
      void load(next, false);
    },
    [load],
  );

  /** Same field: flip the order; a new field starts A→Z for names, biggest/newest first otherwise. */
  const sortBy = useCallback(
    (field: SortField) => {
      const current = viewRef.current;
      const order: SortOrder =
        current.sort === field ? (current.order === 'asc' ? 'desc' : 'asc') : field === 'name' ? 'asc' : 'desc';
      changeView({ sort: field, order });
    },
    [changeView],
  );

  /** An explicit sort (the narrow-screen sort menu). */
  const setSort = useCallback((sort: SortField, order: SortOrder) => changeView({ sort, order }), [changeView]);

  /**
   * Reloads with the current view, keeping as many rows as are loaded (up to 200), and tells the
   * browser's other tabs to reload theirs: every caller refreshes after changing the files.
   */
  const refresh = useCallback(() => {
    announceFilesChanged();
    return load(viewRef.current, true);
  }, [load]);

  // Another tab changed the files: show it here too, at once.
  useEffect(() => onFilesChanged(() => void load(viewRef.current, true)), [load]);

  const loadMore = useCallback(async () => {
    const cursor = pageRef.current?.nextCursor;
    if (!cursor) return;
    const id = generation.current;
    setLoadingMore(true);
    const result = await call(() =>
      listFiles(listInput(viewRef.current, pathRef.current, { cursor, pageSize: DEFAULT_PAGE_SIZE })),
    );
    setLoadingMore(false);
    if (id !== generation.current) return;
    if (!result.ok) return notify('error', result.message);
    setPage((previous) => {
      if (!previous) return result.value;
      const seen = new Set(previous.items.map((item) => item.key));
      return {
        ...result.value,
        folders: previous.folders, // Folders come with the first page only.
        items: [...previous.items, ...result.value.items.filter((item) => !seen.has(item.key))],
      };
    });
  }, [notify]);

  useEffect(() => {
    const query = search.trim();
    if (query === viewRef.current.query) return;
    const timer = setTimeout(() => changeView({ query }), SEARCH_DELAY_MS);
    return () => clearTimeout(timer);
  }, [search, changeView]);

  // Another folder was opened: show the page the server rendered for it (or list it in the sort chosen here).
  useEffect(() => {
    pathRef.current = path;
    if (shownPath.current === pathKey) return;
    shownPath.current = pathKey;
    generation.current += 1; // Answers for the folder left behind are dropped.
    const next = { ...viewRef.current, query: '' };
    viewRef.current = next;
    setView(next);
    setSearch('');
    if (initial.ok && isInitialView(next)) {
      setLoading(false);
      setPage(initial.value);
      setFailure(null);
    } else void load(next, false);
  }, [path, pathKey, initial, load]);

  /** Where a search looks: this folder or every file. */
  const setScope = useCallback((scope: 'folder' | 'all') => changeView({ scope }), [changeView]);

  // The server render could not list (e.g. the session needed a cookie write): try once from here.
  const retriedInitial = useRef(initial.ok);
  useEffect(() => {
    if (retriedInitial.current) return;
    retriedInitial.current = true;
    void load(INITIAL_VIEW, false);
  }, [load]);

  return { view, search, setSearch, setScope, page, failure, loading, loadingMore, sortBy, setSort, refresh, loadMore };
}
