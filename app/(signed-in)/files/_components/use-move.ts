'use client';

import { useCallback, useEffect, useRef, useState } from 'react';
import { call } from '@/app/_components/call';
import type { MoveJob, StartMoveInput } from '@/lib/files/move-schemas';
import type { ActionResult } from '@/lib/files/types';
import { beginMove, moveNext } from '../move-actions';
import type { Notify } from './toasts';

/** How many names of what did not move the panel lists. */
const LISTED_FAILURES = 5;

/** Where a move is: nothing, running (with its progress), or stopped by a failure (with the job to resume). */
/** What a move is called while it runs (`Moving 3 items to “Docs”`) and once done (`Moved 3 items to “Docs”.`). */
export interface MoveLabels {
  running: string;
  done: string;
}

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

function nameOf(key: string): string {
  const trimmed = key.endsWith('/') ? key.slice(0, -1) : key;
  return trimmed.slice(trimmed.lastIndexOf('/') + 1);
}

/**
 * One move at a time, driven from the browser: `start(input, labels)` plans it (its answer is
 * returned, so a dialog can show a refusal such as a taken name) and then runs its batches,
 * calling the server again with each answer's job until done, with progress. A failure stops it and
 * says how much moved and what did not; `resume()` sends the same job again (what moved stays
 * moved; the rest is tried again). `onChanged` runs after every batch that changed something.
 */
export function useMove(notify: Notify, onChanged: () => void) {
  const [state, setState] = useState<MoveState>({ phase: 'idle' });
  const running = useRef(false);
  const alive = useRef(true);

  useEffect(() => {
    alive.current = true;
    return () => {
      alive.current = false;
    };
  }, []);

  const run = useCallback(
    async (labels: MoveLabels, first: MoveJob) => {
      const label = labels.running;
      running.current = true;
      let job = first;
      setState({ phase: 'running', label, moved: job.moved, total: job.total });
      try {
        while (alive.current) {
          const result = await call(() => moveNext(job));
          if (!result.ok) {
            setState({
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
          if (batch.moved.length > 0 || batch.gone.length > 0) onChanged();
          if (batch.failed.length > 0) {
            setState({
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
            setState({ phase: 'idle' });
            notify('success', labels.done);
            onChanged();
            return;
          }
          setState({ phase: 'running', label, moved: job.moved, total: job.total });
        }
      } finally {
        running.current = false;
      }
    },
    [notify, onChanged],
  );

  const start = useCallback(
    async (input: StartMoveInput, labels: MoveLabels): Promise<ActionResult<MoveJob>> => {
      if (running.current) return { ok: false, code: 'busy', message: 'Another move is still running. Wait for it to finish.' };
      const planned = await call(() => beginMove(input));
      if (planned.ok) {
        if (planned.value.total === 0) notify('success', 'Nothing to move: everything is already there.');
        else void run(labels, planned.value);
      }
      return planned;
    },
    [run, notify],
  );

  const resume = useCallback(() => {
    if (state.phase === 'failed' && !running.current) void run(state.labels, state.job);
  }, [state, run]);

  const dismiss = useCallback(() => setState((current) => (current.phase === 'failed' ? { phase: 'idle' } : current)), []);

  return { state, start, resume, dismiss };
}
