import { z } from 'zod';
import { FolderPathSchema, NameSchema } from './schemas';

/**
 * The folder actions' inputs (app/(signed-in)/files/folder-actions.ts), with their types inferred.
 * Client-safe: no server code.
 */

/** createFolder: the folder to create it in (`[]`: the top level) and the new folder's name. */
export const CreateFolderSchema = z.object({ parent: FolderPathSchema, name: NameSchema });

/** countFolder, deleteFolder: one of the person's folders (never the top level). */
export const FolderSchema = z.object({ path: FolderPathSchema.refine((path) => path.length > 0) });

export type CreateFolderInput = z.infer<typeof CreateFolderSchema>;
export type FolderInput = z.infer<typeof FolderSchema>;
