'use client';

import { type FormEvent, useCallback, useEffect, useId, useRef, useState } from 'react';
import { call } from '@/app/_components/call';
import type { MoveJob } from '@/lib/files/move-schemas';
import type { ActionResult } from '@/lib/files/types';
import { listMoveTargets } from '../move-actions';
import { Modal } from './modal';
import type { MoveState } from './use-move';

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
    // The button pressed is gone with the old list: focus the first folder here, or "Move here".
    if (focusList)
      requestAnimationFrame(() =>
        (list.current?.querySelector<HTMLButtonElement>('button:not([disabled])') ?? moveButton.current)?.focus(),
      );
  }, []);

  useEffect(() => {
    void open([], false);
  }, [open]);

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

function RenameFolderForm({
  path,
  onClose,
  onRename,
}: {
  path: string[];
  onClose: () => void;
  onRename: (name: string) => Promise<ActionResult<MoveJob>>;
}) {
  const current = path.at(-1) ?? '';
  const [name, setName] = useState(current);
  const [problem, setProblem] = useState<string | null>(null);
  const [suggestion, setSuggestion] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  const input = useRef<HTMLInputElement>(null);
  const inputId = useId();
  const problemId = useId();

  const rename = async (wanted: string) => {
    if (!wanted) {
      setProblem('Type a name for the folder.');
      return input.current?.focus();
    }
    if (wanted === current) return onClose();
    setPending(true);
    const result = await onRename(wanted);
    setPending(false);
    if (result.ok) return onClose();
    setProblem(result.code === 'invalid_input' ? 'That name cannot be a folder name. Try another one.' : result.message);
    setSuggestion(result.code === 'folder_taken' ? (result.details?.suggestion ?? null) : null);
    input.current?.focus();
  };

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    void rename(name.trim());
  };

  return (
    <form className="rename-form" noValidate onSubmit={submit}>
      <label htmlFor={inputId}>New name</label>
      <input
        ref={input}
        id={inputId}
        className="text-input"
        type="text"
        value={name}
        autoComplete="off"
        spellCheck={false}
        data-autofocus
        aria-invalid={problem ? true : undefined}
        aria-describedby={problem ? problemId : undefined}
        onChange={(event) => {
          setName(event.target.value);
          setProblem(null);
          setSuggestion(null);
        }}
      />
      <p id={problemId} className="field-error" role="alert">
        {problem}
      </p>
      {suggestion ? (
        <p className="rename-suggestion">
          <button
            type="button"
            className="button button-quiet"
            disabled={pending}
            onClick={() => {
              setName(suggestion);
              void rename(suggestion);
            }}
          >
            Rename to “{suggestion}”
          </button>
        </p>
      ) : null}
      <div className="dialog-actions">
        <button type="button" className="button button-quiet" onClick={onClose}>
          Cancel
        </button>
        <button type="submit" className="button button-primary" disabled={pending}>
          {pending ? 'Renaming…' : 'Rename'}
        </button>
      </div>
    </form>
  );
}

/**
 * Renames a folder (closed when `path` is null): a move of the folder to the new name in the same
 * parent, so a big folder shows the move's progress. A taken name is refused with the next free one
 * offered as a one-click choice.
 */
export function RenameFolderDialog({
  path,
  onClose,
  onRename,
}: {
  path: string[] | null;
  onClose: () => void;
  onRename: (path: string[], name: string) => Promise<ActionResult<MoveJob>>;
}) {
  return (
    <Modal open={path !== null} title="Rename folder" onClose={onClose} testId="rename-folder-dialog">
      {path ? (
        <RenameFolderForm key={path.join('/')} path={path} onClose={onClose} onRename={(name) => onRename(path, name)} />
      ) : null}
    </Modal>
  );
}

/**
 * A move's progress: moved of total while it runs; after a failure, how much moved and what did
 * not (an alert) with Resume and Dismiss. Nothing when idle.
 */
export function MovePanel({ state, onResume, onDismiss }: { state: MoveState; onResume: () => void; onDismiss: () => void }) {
  const titleId = useId();
  if (state.phase === 'idle') return null;
  const left = Math.max(0, state.total - state.moved);
  return (
    <section className="uploads" aria-labelledby={titleId} aria-busy={state.phase === 'running'} data-testid="move-panel">
      <div className="uploads-head">
        <h2 id={titleId} className="section-heading">
          {state.phase === 'running' ? state.label : `${state.label}: stopped`}
        </h2>
        {state.phase === 'failed' ? (
          <span className="uploads-head-actions">
            <button type="button" className="button button-primary" onClick={onResume}>
              Resume
            </button>
            <button type="button" className="button button-quiet" onClick={onDismiss}>
              Dismiss
            </button>
          </span>
        ) : null}
      </div>
      <progress className="upload-progress" aria-labelledby={titleId} max={Math.max(state.total, 1)} value={state.moved} />
      <p className="upload-stats" data-testid="move-progress">
        Moved {state.moved} of {state.total}
        {state.phase === 'failed' ? ` · ${left} not moved yet` : ''}
      </p>
      {state.phase === 'failed' ? (
        <p className="upload-error" role="alert" data-testid="move-error">
          {state.message}
          {state.notMoved.length > 0 ? ` Not moved: ${state.notMoved.join(', ')}${left > state.notMoved.length ? '…' : ''}.` : ''}{' '}
          Resume moves the rest; nothing already moved is moved twice.
        </p>
      ) : null}
    </section>
  );
}
