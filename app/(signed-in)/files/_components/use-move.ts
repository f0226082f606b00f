'use client';

import { useCallback, useEffect, useSyncExternalStore } from 'react';
import { call } from '@/app/_components/call';
import type { MoveJob, StartMoveInput } from '@/lib/files/move-schemas';
import type { ActionResult } from '@/lib/files/types';
import { beginMove, moveNext } from '../move-actions';
import type { Notify } from './toasts';

/** How many names of what did not move the panel lists. */
const LISTED_FAILURES = 5;

/** What a move is called while it runs (`Moving 3 items to “Docs”`) and once done (`Moved 3 items to “Docs”.`). */
export interface MoveLabels {
  running: string;
  done: string;
}

/** Where a move is: nothing, running (with its progress), or stopped by a failure (with the job to resume). */
export type MoveState =
  | { phase: 'idle' }
  | { phase: 'running'; label: string; moved: number; total: number }
  | {
      phase: 'failed';
      label: string;
      labels: MoveLabels;
      moved: number;
      total: number;
      message: string;
      /** Names (last segments) of objects a batch could not move; the first few. */
      notMoved: string[];
      job: MoveJob;
    };

const IDLE: MoveState = { phase: 'idle' };

function nameOf(key: string): string {
  const trimmed = key.endsWith('/') ? key.slice(0, -1) : key;
  return trimmed.slice(trimmed.lastIndexOf('/') + 1);
}

/**
 * The one move of this tab, outside React: opening another folder mounts a new file manager, and
 * a move must neither stop nor be forgotten then. The mounted manager's `notify`/`onChanged` are
 * whoever registered last.
 */
const store = {
  state: IDLE as MoveState,
  running: false,
  listeners: new Set<() => void>(),
  notify: (() => {}) as Notify,
  onChanged: () => {},
  set(next: MoveState) {
    store.state = next;
    for (const listener of store.listeners) listener();
  },
};

function subscribe(listener: () => void): () => void {
  store.listeners.add(listener);
  return () => store.listeners.delete(listener);
}

/** Asks before the tab closes or reloads while a move runs (what is left would stay where it is). */
function guardUnload(event: BeforeUnloadEvent): void {
  event.preventDefault();
}

async function run(labels: MoveLabels, first: MoveJob): Promise<void> {
  const label = labels.running;
  store.running = true;
  window.addEventListener('beforeunload', guardUnload);
  let job = first;
  store.set({ phase: 'running', label, moved: job.moved, total: job.total });
  try {
    for (;;) {
      const result = await call(() => moveNext(job));
      if (!result.ok) {
        store.set({
          phase: 'failed',
          label,
          labels,
          moved: job.moved,
          total: job.total,
          message: result.message,
          notMoved: [],
          job,
        });
        return;
      }
      const batch = result.value;
      job = batch.job;
      if (batch.moved.length > 0 || batch.gone.length > 0) store.onChanged();
      if (batch.failed.length > 0) {
        store.set({
          phase: 'failed',
          label,
          labels,
          moved: job.moved,
          total: job.total,
          message: 'Some items could not be moved. They are still where they were.',
          notMoved: batch.failed.slice(0, LISTED_FAILURES).map((failure) => nameOf(failure.from)),
          job,
        });
        return;
      }
      if (batch.done) {
        store.set({ phase: 'idle' });
        store.notify('success', labels.done);
        store.onChanged();
        return;
      }
      store.set({ phase: 'running', label, moved: job.moved, total: job.total });
    }
  } finally {
    store.running = false;
    window.removeEventListener('beforeunload', guardUnload);
  }
}

/**
 * One move at a time per tab, driven from the browser: `start(input, labels)` plans it (its answer
 * is returned, so a dialog can show a refusal such as a taken name) and then runs its batches,
 * calling the server again with each answer's job until done, with progress. A failure stops it and
 * says how much moved and what did not; `resume()` sends the same job again (what moved stays
 * moved; the rest is tried again). `onChanged` runs after every batch that changed something. The
 * move goes on while the person opens other folders.
 */
export function useMove(notify: Notify, onChanged: () => void) {
  const state = useSyncExternalStore(
    subscribe,
    () => store.state,
    () => IDLE,
  );

  useEffect(() => {
    store.notify = notify;
    store.onChanged = onChanged;
  }, [notify, onChanged]);

  const start = useCallback(
    async (input: StartMoveInput, labels: MoveLabels): Promise<ActionResult<MoveJob>> => {
      if (store.running) return { ok: false, code: 'busy', message: 'Another move is still running. Wait for it to finish.' };
      const planned = await call(() => beginMove(input));
      if (planned.ok) {
        if (planned.value.total === 0) notify('success', 'Nothing to move: everything is already there.');
        else void run(labels, planned.value);
      }
      return planned;
    },
    [notify],
  );

  const resume = useCallback(() => {
    const current = store.state;
    if (current.phase === 'failed' && !store.running) void run(current.labels, current.job);
  }, []);

  const dismiss = useCallback(() => {
    if (store.state.phase === 'failed') store.set({ phase: 'idle' });
  }, []);

  return { state, start, resume, dismiss };
}
