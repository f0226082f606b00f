import { z } from 'zod';
import { FileKeySchema } from './schemas';
import { SHARE_DURATIONS } from './share-rules';

/**
 * The share-link actions' inputs (app/(signed-in)/files/share-actions.ts), with their types
 * inferred. Client-safe: no server code.
 */

/** createShareLink: one of the person's files (its opaque key) and the link's lifetime. */
export const CreateShareSchema = FileKeySchema.extend({ duration: z.enum(SHARE_DURATIONS) });

/** revokeShareLink: the link's token (checked strictly on the server, lib/aws/keys.ts `parseShareToken`). */
export const RevokeShareSchema = z.object({ token: z.string().min(1).max(120) });

/** listShareLinks takes nothing. */
export const ListSharesSchema = z.object({}).strict();

export type CreateShareInput = z.infer<typeof CreateShareSchema>;
export type RevokeShareInput = z.infer<typeof RevokeShareSchema>;
