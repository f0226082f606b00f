import type { SortField, SortOrder } from '@/lib/files/types';

/** How the file list is sorted and filtered. Plain data: shared by the page (server) and the list (browser). */
export interface ListView {
  sort: SortField;
  order: SortOrder;
  /** The applied (debounced, trimmed) search. */
  query: string;
}

/** Newest first, no search: what the page renders first. */
export const INITIAL_VIEW: ListView = { sort: 'lastModified', order: 'desc', query: '' };
