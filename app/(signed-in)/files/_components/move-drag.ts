'use client';

import type { DragEvent } from 'react';

/**
 * Dragging rows onto a folder (a folder row or a breadcrumb) to move them. The payload travels
 * under Cubby's own type, never as `Files`, so the upload drop zone ignores it and nothing from
 * another site or app is taken for a move.
 */

/** The drag data type of rows being moved. */
export const MOVE_DRAG_TYPE = 'application/x-cubby-move';

/** What is being dragged: file keys and folder paths. */
export interface MoveDragPayload {
  files: string[];
  folders: string[][];
}

/** Starts dragging `payload` (call from `onDragStart`). */
export function startMoveDrag(event: DragEvent, payload: MoveDragPayload): void {
  event.dataTransfer.setData(MOVE_DRAG_TYPE, JSON.stringify(payload));
  event.dataTransfer.effectAllowed = 'move';
}

/** Whether a drag carries rows to move: call from `onDragOver` and `preventDefault()` when true, to accept the drop. */
export function carriesMove(event: DragEvent): boolean {
  return event.dataTransfer.types.includes(MOVE_DRAG_TYPE);
}

/** The rows a drop carries, or null when it carries none (or something malformed). */
export function movePayloadOf(event: DragEvent): MoveDragPayload | null {
  try {
    const parsed: unknown = JSON.parse(event.dataTransfer.getData(MOVE_DRAG_TYPE));
    if (typeof parsed !== 'object' || parsed === null) return null;
    const { files, folders } = parsed as Record<string, unknown>;
    const strings = (value: unknown): value is string[] =>
      Array.isArray(value) && value.every((item) => typeof item === 'string');
    if (!strings(files) || !Array.isArray(folders) || !folders.every(strings)) return null;
    return { files, folders };
  } catch {
    return null;
  }
}

/** Props that make an element a drop target for rows (`onDrop` gets what was dropped). */
export function moveDropTarget(onDrop: (payload: MoveDragPayload) => void) {
  return {
    onDragOver: (event: DragEvent) => {
      if (!carriesMove(event)) return;
      event.preventDefault();
      event.dataTransfer.dropEffect = 'move';
      event.currentTarget.classList.add('is-drop-target');
    },
    onDragLeave: (event: DragEvent) => event.currentTarget.classList.remove('is-drop-target'),
    onDrop: (event: DragEvent) => {
      event.currentTarget.classList.remove('is-drop-target');
      const payload = carriesMove(event) ? movePayloadOf(event) : null;
      if (!payload) return;
      event.preventDefault();
      onDrop(payload);
    },
  };
}
