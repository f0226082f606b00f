'use client';

import { useId } from 'react';
import type { SortField, SortOrder } from '@/lib/files/types';

const SORTS: { value: `${SortField}:${SortOrder}`; label: string }[] = [
  { value: 'lastModified:desc', label: 'Newest first' },
  { value: 'lastModified:asc', label: 'Oldest first' },
  { value: 'name:asc', label: 'Name A–Z' },
  { value: 'name:desc', label: 'Name Z–A' },
  { value: 'size:desc', label: 'Largest first' },
  { value: 'size:asc', label: 'Smallest first' },
];

function isSortValue(value: string): value is (typeof SORTS)[number]['value'] {
  return SORTS.some((sort) => sort.value === value);
}

/**
 * Search (debounced by the list hook), the count of files, "Download as zip" and "Delete selected"
 * for the selected files, and on narrow screens (where the column headers are hidden) a sort menu.
 */
export function ListToolbar({
  search,
  onSearch,
  sort,
  order,
  onSort,
  summary,
  selectedCount,
  onDeleteSelected,
  onDownloadZip,
  zipBusy,
  onMoveSelected,
}: {
  search: string;
  onSearch: (value: string) => void;
  sort: SortField;
  order: SortOrder;
  onSort: (sort: SortField, order: SortOrder) => void;
  summary: string;
  selectedCount: number;
  onDeleteSelected: () => void;
  /** Zips the selected files in the browser (lib/files/zip.ts); `zipBusy` while one is being made. */
  onDownloadZip: () => void;
  zipBusy: boolean;
  /** Opens "Move to…" for the selected files. */
  onMoveSelected?: () => void;
}) {
  const searchId = useId();
  const sortId = useId();
  return (
    <div className="list-toolbar">
      <div className="field search-field">
        <label htmlFor={searchId} className="visually-hidden">
          Search files by name
        </label>
        <input
          id={searchId}
          className="text-input"
          type="search"
          placeholder="Search files"
          value={search}
          autoComplete="off"
          onChange={(event) => onSearch(event.target.value)}
        />
      </div>
      <div className="field sort-field">
        <label htmlFor={sortId}>Sort</label>
        <select
          id={sortId}
          className="text-input"
          value={`${sort}:${order}`}
          onChange={(event) => {
            const { value } = event.target;
            if (!isSortValue(value)) return;
            const [field, direction] = value.split(':') as [SortField, SortOrder];
            onSort(field, direction);
          }}
        >
          {SORTS.map((option) => (
            <option key={option.value} value={option.value}>
              {option.label}
            </option>
          ))}
        </select>
      </div>
      <p className="list-summary muted" aria-live="polite" data-testid="file-count">
        {summary}
      </p>
      {selectedCount > 0 ? (
        <button type="button" className="button button-quiet" onClick={onDownloadZip} disabled={zipBusy}>
          Download as zip ({selectedCount})
        </button>
      ) : null}
      {selectedCount > 0 && onMoveSelected ? (
        <button type="button" className="button button-quiet" onClick={onMoveSelected}>
          Move to… ({selectedCount})
        </button>
      ) : null}
      {selectedCount > 0 ? (
        <button type="button" className="button button-danger" onClick={onDeleteSelected}>
          Delete selected ({selectedCount})
        </button>
      ) : null}
    </div>
  );
}
