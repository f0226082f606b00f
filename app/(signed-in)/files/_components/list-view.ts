import type { SortField, SortOrder } from '@/lib/files/types';

/** How the file list is sorted and filtered. Plain data: shared by the page (server) and the list (browser). */
export interface ListView {
  sort: SortField;
  order: SortOrder;
  /** The applied (debounced, trimmed) search. */
  query: string;
  /** Where a search looks: the folder shown (default) or every file in every folder. */
  scope?: 'folder' | 'all';
}

/** Newest first, no search: what the page renders first. */
export const INITIAL_VIEW: ListView = { sort: 'lastModified', order: 'desc', query: '' };
