/**
 * What each person of bench/load.ts must have: every file a tab stored, by its content's SHA-256,
 * with its current name. Changed only on answers that confirm a change (a PUT S3 accepted, a
 * rename or delete the app confirmed); an answer that never came (a timeout) makes the entry
 * uncertain: it may be under any of the names it was on the way between, or gone, and is never
 * counted as lost. One seen gone or wrong during the run is flagged, and judged at the end. Each file belongs to the tab that uploaded it and only that tab touches it, so
 * two tabs never change one entry at once; they meet only on names.
 */

/**
 * `present`: confirmed where `name` says. `uncertain`: an answer never came. `flagged`: an answer
 * said it is gone or holds other bytes; the tab leaves it alone and the final check judges it as a
 * present one.
 */
export type EntryState = 'present' | 'uncertain' | 'flagged';

export interface LedgerEntry {
  /** Hex SHA-256 of the bytes; random bytes, so it identifies the file among all people's. */
  readonly sha: string;
  readonly size: number;
  readonly person: number;
  readonly tab: number;
  name: string;
  key: string;
  state: EntryState;
  /** For an uncertain entry: every name it may be under (its last confirmed one first). */
  maybe: string[];
}

/** One person's files, plus a shared index from content to entry (to name whose bytes a wrong file holds). */
export class Ledger {
  readonly person: number;
  readonly #entries = new Set<LedgerEntry>();
  readonly #bySha: Map<string, LedgerEntry>;

  constructor(person: number, bySha: Map<string, LedgerEntry>) {
    this.person = person;
    this.#bySha = bySha;
  }

  /** Every entry (present or uncertain). */
  entries(): LedgerEntry[] {
    return [...this.#entries];
  }

  /** The present entries of `tab` (the only files that tab works on). */
  ownedBy(tab: number): LedgerEntry[] {
    return this.entries().filter((entry) => entry.tab === tab && entry.state === 'present');
  }

  /** S3 accepted `sha`'s bytes under `name`/`key`: a new present entry. */
  stored(input: { sha: string; size: number; tab: number; name: string; key: string }): LedgerEntry {
    const entry: LedgerEntry = { ...input, person: this.person, state: 'present', maybe: [input.name] };
    this.#entries.add(entry);
    this.#bySha.set(entry.sha, entry);
    return entry;
  }

  /** A write whose answer never came: its bytes may be under `name`, or nowhere. */
  maybeStored(input: { sha: string; size: number; tab: number; name: string; key: string }): void {
    const entry = this.stored(input);
    entry.state = 'uncertain';
  }

  /** The app confirmed the rename. */
  renamed(entry: LedgerEntry, name: string, key: string): void {
    entry.name = name;
    entry.key = key;
    entry.maybe = [name];
  }

  /** The app confirmed the delete. */
  deleted(entry: LedgerEntry): void {
    this.#entries.delete(entry);
  }

  /** A rename or delete whose answer never came: the file may be under `names`, or gone. */
  unsure(entry: LedgerEntry, ...names: string[]): void {
    entry.state = 'uncertain';
    entry.maybe = [...new Set([...entry.maybe, ...names])];
  }

  /** An answer said the file is gone or holds other bytes. */
  flag(entry: LedgerEntry): void {
    entry.state = 'flagged';
  }

  /** The entry whose bytes hash to `sha`, among every person's. */
  ownerOf(sha: string): LedgerEntry | undefined {
    return this.#bySha.get(sha);
  }
}

/** How one entry stood at the end. */
export type Verdict =
  | { kind: 'ok' }
  | { kind: 'lost'; detail: string }
  | { kind: 'corrupted'; detail: string }
  | { kind: 'stale_listing'; detail: string };

/**
 * The verdict for a present entry (an uncertain one is looked for under each of its names instead) from the final listing (`listed`: name → size) and a download
 * of its name (`downloaded`: the SHA-256 of the bytes, or the HTTP status when there were none).
 */
export function verdictFor(
  ledger: Ledger,
  entry: LedgerEntry,
  listed: ReadonlyMap<string, number>,
  downloaded: { sha: string } | { status: number },
): Verdict {
  if ('status' in downloaded) {
    return {
      kind: 'lost',
      detail: `${entry.name}: GET answered ${downloaded.status}${listed.has(entry.name) ? ' (yet listed)' : ''}`,
    };
  }
  if (downloaded.sha !== entry.sha) {
    const owner = ledger.ownerOf(downloaded.sha);
    const whose = owner
      ? `the bytes of ${owner.person === entry.person ? '' : `person ${owner.person}'s `}tab ${owner.tab}'s file now named "${owner.name}"`
      : 'bytes no tab uploaded';
    return { kind: 'corrupted', detail: `${entry.name} (tab ${entry.tab}) holds ${whose}` };
  }
  if (!listed.has(entry.name)) return { kind: 'stale_listing', detail: `${entry.name} is stored but not listed` };
  return { kind: 'ok' };
}
