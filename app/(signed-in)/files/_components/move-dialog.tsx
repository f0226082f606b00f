'use client';

import { useCallback, useEffect, useId, useRef, useState } from 'react';
import { call } from '@/app/_components/call';
import type { MoveJob } from '@/lib/files/move-schemas';
import type { ActionResult } from '@/lib/files/types';
import { listMoveTargets } from '../move-actions';
import { Modal } from './modal';

/** What a "Move to…" moves: file keys (with names for the title) and folder paths. */
export interface MoveSelection {
  files: { key: string; name: string }[];
  folders: string[][];
}

function within(inner: readonly string[], outer: readonly string[]): boolean {
  return outer.length <= inner.length && outer.every((segment, index) => inner[index] === segment);
}

function describe(selection: MoveSelection): string {
  const count = selection.files.length + selection.folders.length;
  if (count !== 1) return `${count} items`;
  return `“${selection.files[0]?.name ?? selection.folders[0]?.at(-1) ?? ''}”`;
}

function FolderPicker({
  selection,
  onMove,
  onClose,
}: {
  selection: MoveSelection;
  onMove: (destination: string[]) => Promise<ActionResult<MoveJob>>;
  onClose: () => void;
}) {
  const [path, setPath] = useState<string[]>([]);
  const [folders, setFolders] = useState<string[] | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  const list = useRef<HTMLUListElement>(null);
  const moveButton = useRef<HTMLButtonElement>(null);
  const focusAfterLoad = useRef(false);
  const moved = useRef(false);
  const problemId = useId();
  const listId = useId();

  const open = useCallback(async (next: string[], focusList: boolean) => {
    setFolders(null);
    setProblem(null);
    const result = await call(() => listMoveTargets({ path: next }));
    if (!result.ok) return setProblem(result.message);
    setPath(result.value.path);
    setFolders(result.value.folders);
    focusAfterLoad.current = focusList;
  }, []);

  useEffect(() => {
    void open([], false);
  }, [open]);

  // The button pressed is gone with the old list: once the new one is on screen, focus its first folder, or Move here.
  useEffect(() => {
    if (folders === null || !focusAfterLoad.current) return;
    focusAfterLoad.current = false;
    (list.current?.querySelector<HTMLButtonElement>('button:not([disabled])') ?? moveButton.current)?.focus();
  }, [folders]);

  const intoItself = selection.folders.some((folder) => within(path, folder));
  const move = async () => {
    if (moved.current) return;
    setPending(true);
    const result = await onMove(path);
    setPending(false);
    if (result.ok) {
      moved.current = true;
      return onClose();
    }
    setProblem(result.message);
  };

  return (
    <div className="move-picker">
      <nav aria-label="Destination folder">
        <p className="move-location" data-testid="move-location">
          <span className="muted">Move to: </span>
          <strong>{path.length === 0 ? 'Your files' : path.join(' › ')}</strong>
        </p>
        {path.length > 0 ? (
          <button type="button" className="button button-quiet" onClick={() => void open(path.slice(0, -1), true)}>
            ↑ Up to {path.length === 1 ? 'Your files' : `“${path.at(-2)}”`}
          </button>
        ) : null}
      </nav>
      {folders === null && !problem ? <p className="muted">Loading folders…</p> : null}
      {folders?.length === 0 ? <p className="muted">No folders in here.</p> : null}
      {folders && folders.length > 0 ? (
        <ul ref={list} id={listId} className="move-folders" aria-label="Folders">
          {folders.map((name) => {
            const target = [...path, name];
            const blocked = selection.folders.some((folder) => within(target, folder));
            return (
              <li key={name}>
                <button
                  type="button"
                  className="move-folder"
                  disabled={blocked}
                  title={blocked ? 'A folder cannot go into itself' : undefined}
                  onClick={() => void open(target, true)}
                >
                  <span aria-hidden="true">📁 </span>
                  {name}
                  <span className="visually-hidden">, open</span>
                </button>
              </li>
            );
          })}
        </ul>
      ) : null}
      <p id={problemId} className="field-error" role="alert">
        {problem ?? (intoItself ? 'A folder cannot be moved into itself or into one of its own folders.' : null)}
      </p>
      <div className="dialog-actions">
        <button type="button" className="button button-quiet" onClick={onClose}>
          Cancel
        </button>
        <button
          ref={moveButton}
          type="button"
          className="button button-primary"
          data-autofocus
          disabled={pending || intoItself}
          aria-describedby={problem ? problemId : undefined}
          onClick={() => void move()}
        >
          {pending ? 'Moving…' : 'Move here'}
        </button>
      </div>
    </div>
  );
}

/**
 * "Move to…": a folder picker (open a folder with Enter or a click, "Up" to its parent; a moved
 * folder and everything in it cannot be chosen) and "Move here". Closed when `selection` is null.
 */
export function MoveDialog({
  selection,
  onClose,
  onMove,
}: {
  selection: MoveSelection | null;
  onClose: () => void;
  onMove: (selection: MoveSelection, destination: string[]) => Promise<ActionResult<MoveJob>>;
}) {
  return (
    <Modal
      open={selection !== null}
      title={selection ? `Move ${describe(selection)}` : 'Move'}
      onClose={onClose}
      testId="move-dialog"
    >
      {selection ? (
        <FolderPicker selection={selection} onClose={onClose} onMove={(destination) => onMove(selection, destination)} />
      ) : null}
    </Modal>
  );
}
