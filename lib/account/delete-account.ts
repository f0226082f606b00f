import 'server-only';
import { DeleteUserCommand } from '@aws-sdk/client-cognito-identity-provider';
import { z } from 'zod';
import { revokePersonSessions } from '@/lib/auth/revocation';
import type { Session } from '@/lib/auth/session';
import { sessionConfig } from '@/lib/auth/session-config';
import { forgetSignedInAccess } from '@/lib/aws/credentials';
import { prefixesOwnedBy, sharePrefixes } from '@/lib/aws/keys';
import { deleteFiles, listFiles } from '@/lib/aws/s3';
import { accountErrorOf, userPoolClient } from '@/lib/aws/user-pool';
import type { PersonAccess } from '@/lib/dal';
import { AppError, type ErrorCode } from '@/lib/errors';
import type { Owner } from '@/lib/files/service';
import { describeError, log } from '@/lib/log';
import { type SharedStore, sharedStore } from '@/lib/store';
import { confirmsDeletion } from './delete-confirmation';

/**
 * Deleting a person's account: every object they own in S3, with their own credentials, then
 * their user (DeleteUser with their access token). Resumable: each run lists what is left and
 * deletes it in batches of up to 1,000 (DeleteObjects), so a run that stopped part-way (storage
 * down, the tab closed, the server restarted) is simply run again; the user is deleted only once
 * every folder of theirs lists empty, and a failure before that leaves the account in place with
 * `account_delete_incomplete` ("try again"). What earlier runs removed is kept in the shared store
 * (a day at most), so the final summary counts everything. Server only.
 */

/** What deleting an account removed, over every run it took. */
export interface DeletionSummary {
  /** The person's own files (`private/`). */
  files: number;
  /** Copies they had published to the gallery (`public/{identityId}/`). */
  published: number;
  /** Their avatar and anything else under `protected/{identityId}/`. */
  avatar: number;
  /** Unfinished uploads waiting under `incoming/{identityId}/`. */
  uploads: number;
  /** Share-link copies (`shared/{days}d/{identityId}/`): their links stop working. */
  shares: number;
  /** Deleted files waiting in their trash (`trash/{identityId}/`). */
  trash: number;
  /** Bytes of all of the above. */
  bytes: number;
}

type Area = keyof ReturnType<typeof prefixesOwnedBy> | 'shares';

const count = z.number().int().nonnegative();
const DeletionSummarySchema = z.object({
  files: count,
  published: count,
  avatar: count,
  uploads: count,
  shares: count.default(0),
  trash: count.default(0),
  bytes: count,
});

/** After the share copies (anyone with a link may read them): the gallery (public), the unfinished uploads, the avatar, the trash, then the files. */
const AREAS = ['published', 'uploads', 'avatar', 'trash', 'files'] as const;

/** DeleteObjects' limit, and the listing page that feeds it. */
const BATCH = 1000;
/** A run gives up (`account_delete_incomplete`) after this many batches: a million objects, or uploads racing the delete. */
const MAX_BATCHES = 1000;
/** How long the running totals of an unfinished deletion are kept. */
const PROGRESS_TTL_MS = 24 * 60 * 60 * 1000;

/** Failures that mean "the storage or Cognito did not do it this time": the person may simply try again. */
const RETRYABLE: ReadonlySet<ErrorCode> = new Set([
  'storage_unavailable',
  'idp_unavailable',
  'forbidden',
  'not_found',
  'internal',
]);

function emptySummary(): DeletionSummary {
  return { files: 0, published: 0, avatar: 0, uploads: 0, shares: 0, trash: 0, bytes: 0 };
}

/** The store key of an unfinished deletion's running totals. */
export function deletionProgressKey(sub: string): string {
  return `account-deletion:${sub}`;
}

/** Running totals in the shared store: a store that does not answer only makes the summary count this run. */
class Progress {
  readonly totals: DeletionSummary;
  readonly #key: string;
  readonly #store: SharedStore;

  private constructor(store: SharedStore, key: string, totals: DeletionSummary) {
    this.#store = store;
    this.#key = key;
    this.totals = totals;
  }

  static async load(store: SharedStore, sub: string): Promise<Progress> {
    const key = deletionProgressKey(sub);
    let totals = emptySummary();
    try {
      const saved = await store.get(key);
      const parsed = saved === null ? null : DeletionSummarySchema.safeParse(JSON.parse(saved));
      if (parsed?.success) totals = parsed.data;
    } catch (error) {
      log('warn', 'account.delete_progress_unreadable', { reason: describeError(error) });
    }
    return new Progress(store, key, totals);
  }

  async add(area: Area, objects: number, bytes: number): Promise<void> {
    this.totals[area] += objects;
    this.totals.bytes += bytes;
    await this.#store.set(this.#key, JSON.stringify(this.totals), PROGRESS_TTL_MS).catch((error: unknown) => {
      log('warn', 'account.delete_progress_unsaved', { reason: describeError(error) });
    });
  }
}

function incomplete(reason: string, cause?: unknown): AppError {
  return new AppError('account_delete_incomplete', reason, cause === undefined ? undefined : { cause });
}

/** A failure that only asks for another run becomes `account_delete_incomplete`; anything else (session ended...) stays itself. */
function asIncomplete(error: unknown, step: string): unknown {
  return error instanceof AppError && RETRYABLE.has(error.code) ? incomplete(`${step}: ${error.code}`, error) : error;
}

/**
 * Deletes everything under `prefix` (nested keys too), a listing page and one DeleteObjects per
 * batch, until the folder lists empty. Each batch's objects and bytes go to `progress` as soon as
 * S3 confirms them.
 * @throws {AppError} `account_delete_incomplete` when S3 refuses a key or a call fails; `session_ended`.
 */
async function emptyFolder(owner: Owner, area: Area, prefix: string, progress: Progress): Promise<void> {
  for (let batch = 0; batch < MAX_BATCHES; batch += 1) {
    const page = await listFiles(owner.credentials, prefix, { recursive: true, maxKeys: BATCH });
    if (page.files.length === 0) return;
    const result = await deleteFiles(
      owner.credentials,
      page.files.map((file) => file.key),
    );
    const gone = new Set(result.deleted);
    const removed = page.files.filter((file) => gone.has(file.key));
    await progress.add(
      area,
      removed.length,
      removed.reduce((sum, file) => sum + file.size, 0),
    );
    const refused = result.errors[0];
    if (refused) throw incomplete(`S3 refused ${result.errors.length} deletes in ${area}: ${refused.s3Code}`);
  }
  throw incomplete(`${area} still not empty after ${MAX_BATCHES} batches`);
}

/**
 * Deletes every object the person owns (their share-link copies, files, trash, published copies,
 * avatar and unfinished uploads: lib/aws/keys.ts `sharePrefixes` and `prefixesOwnedBy`) with their own credentials, resuming whatever an
 * earlier run left. Returns the totals of this and earlier unfinished runs; the totals stay in
 * the store until {@link deleteAccount} finishes. Exported for tests.
 * @throws {AppError} `account_delete_incomplete` (try again), `session_ended`.
 */
export async function deleteOwnedObjects(
  owner: Owner,
  sub: string,
  store: SharedStore = sharedStore(),
): Promise<DeletionSummary> {
  const prefixes = prefixesOwnedBy(owner.identityId);
  const progress = await Progress.load(store, sub);
  for (const prefix of sharePrefixes(owner.identityId)) {
    try {
      await emptyFolder(owner, 'shares', prefix, progress);
    } catch (error) {
      throw asIncomplete(error, 'emptying shares');
    }
  }
  for (const area of AREAS) {
    try {
      await emptyFolder(owner, area, prefixes[area], progress);
    } catch (error) {
      throw asIncomplete(error, `emptying ${area}`);
    }
  }
  return { ...progress.totals };
}

/** Who is leaving: their identity and credentials (the gate's), their user pool subject and access token. */
export interface LeavingPerson extends Owner {
  sub: string;
  accessToken: string;
}

/**
 * Deletes the person's account: every object they own ({@link deleteOwnedObjects}), then, only
 * once all of it is gone, their user at Cognito (DeleteUser with their own access token, which
 * also ends every token of theirs there). Ending Cubby's sessions is the caller's next step.
 * @throws {AppError} `account_delete_incomplete` when storage or Cognito failed part-way (the
 * account is still there, run it again); `session_ended` when the token or credentials were refused.
 */
export async function deleteAccount(person: LeavingPerson, store: SharedStore = sharedStore()): Promise<DeletionSummary> {
  const summary = await deleteOwnedObjects(person, person.sub, store);
  try {
    await userPoolClient().send(new DeleteUserCommand({ AccessToken: person.accessToken }));
  } catch (error) {
    throw asIncomplete(accountErrorOf(error, 'DeleteUser'), 'deleting the user');
  }
  await store.delete(deletionProgressKey(person.sub)).catch(() => undefined);
  log('info', 'account.deleted', { sub: person.sub, ...summary });
  return summary;
}

/** The delete form's input: what the person typed to confirm. */
export const DeleteAccountSchema = z.object({ confirmation: z.string().max(320) });

export type DeleteAccountInput = z.infer<typeof DeleteAccountSchema>;

/**
 * After DeleteUser: every Cubby session of the person, this browser's included, ends on every
 * instance sharing the store (lib/auth/revocation.ts `revokePersonSessions`), and this process
 * forgets their AWS access. A store that does not answer is logged and the rest goes on: the user
 * is gone at Cognito, so their sessions end at their next refresh anyway. The browser then signs
 * out as usual (POST /auth/logout clears the cookies and ends the managed-login session); the
 * action itself writes no cookie, so the page is not rendered again for a person who is gone.
 */
async function endSessionsOf(session: Session): Promise<void> {
  try {
    await revokePersonSessions(session.sub, Date.now() + sessionConfig().absoluteTimeoutMs);
  } catch (error) {
    log('error', 'auth.revocation_failed', { sub: session.sub, reason: describeError(error) });
  }
  forgetSignedInAccess(session.sub, session.identityId);
}

/**
 * The whole "delete my account" for a server action: checks the typed confirmation
 * ({@link confirmsDeletion}), deletes every object and then the user ({@link deleteAccount}, with
 * the gate's credentials and the session's access token), then ends every session of theirs.
 * @throws {AppError} `confirmation_mismatch`, `account_delete_incomplete` (nothing is signed out;
 * run it again), `session_ended`.
 */
export async function leaveCubby(access: PersonAccess, input: DeleteAccountInput): Promise<DeletionSummary> {
  const { session } = access;
  if (!confirmsDeletion(input.confirmation, session.email))
    throw new AppError('confirmation_mismatch', 'typed confirmation differs');
  const summary = await deleteAccount({
    identityId: access.identityId,
    credentials: access.credentials,
    sub: session.sub,
    accessToken: session.tokens().accessToken,
  });
  await endSessionsOf(session);
  return summary;
}
