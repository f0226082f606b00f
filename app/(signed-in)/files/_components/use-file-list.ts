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

function listInput(view: ListView, extra: Partial<ListFilesInput> = {}): ListFilesInput {
  return { sort: view.sort, order: view.order, ...(view.query ? { query: view.query } : {}), ...extra };
}

/**
 * The file list's state: the loaded page(s), sort, debounced search, "Load more" and refresh.
 * Only the newest request's answer is applied. A failure with nothing on screen becomes
 * `failure` (the error state); with a list on screen it is a toast.
 */
export function useFileList(initial: ActionResult<FilePage>, notify: Notify) {
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

  useEffect(() => {
    pageRef.current = page;
  }, [page]);

  const load = useCallback(
    async (next: ListView, keepLoaded: boolean) => {
      const id = ++generation.current;
      setLoading(true);
      const loaded = keepLoaded ? (pageRef.current?.items.length ?? 0) : 0;
      const pageSize = Math.min(MAX_PAGE_SIZE, Math.max(DEFAULT_PAGE_SIZE, loaded));
      const result = await call(() => listFiles(listInput(next, { pageSize })));
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
    const result = await call(() => listFiles(listInput(viewRef.current, { cursor, pageSize: DEFAULT_PAGE_SIZE })));
    setLoadingMore(false);
    if (id !== generation.current) return;
    if (!result.ok) return notify('error', result.message);
    setPage((previous) => {
      if (!previous) return result.value;
      const seen = new Set(previous.items.map((item) => item.key));
      return { ...result.value, items: [...previous.items, ...result.value.items.filter((item) => !seen.has(item.key))] };
    });
  }, [notify]);

  useEffect(() => {
    const query = search.trim();
    if (query === viewRef.current.query) return;
    const timer = setTimeout(() => changeView({ query }), SEARCH_DELAY_MS);
    return () => clearTimeout(timer);
  }, [search, changeView]);

  // The server render could not list (e.g. the session needed a cookie write): try once from here.
  const retriedInitial = useRef(initial.ok);
  useEffect(() => {
    if (retriedInitial.current) return;
    retriedInitial.current = true;
    void load(INITIAL_VIEW, false);
  }, [load]);

  return { view, search, setSearch, page, failure, loading, loadingMore, sortBy, setSort, refresh, loadMore };
}
