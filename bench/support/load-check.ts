/**
 * bench/load.ts's final check: every page of each person's listing, every ledger file downloaded
 * and its bytes compared with what the person uploaded.
 */
import { type Ledger, verdictFor } from './ledger.ts';
import type { TabContext } from './load-requests.ts';
import { downloadSha, listAll } from './load-tab.ts';

export interface CheckTally {
  lost: number;
  corrupted: number;
  staleListing: number;
  uncertainFound: number;
  uncertainAbsent: number;
  stray: number;
  listed: number;
  ledger: number;
  /** People whose check could not run (their listing or a download URL failed). */
  unchecked: number;
}

export const emptyTally = (): CheckTally => ({
  lost: 0,
  corrupted: 0,
  staleListing: 0,
  uncertainFound: 0,
  uncertainAbsent: 0,
  stray: 0,
  listed: 0,
  ledger: 0,
  unchecked: 0,
});

/**
 * Checks one person's files against their ledger, adding to `tally` and to `details` (one line
 * per loss, corruption, stale listing or stray file).
 * @throws {Error} when the listing or a download URL cannot be had (the check cannot judge).
 */
export async function checkPerson(context: TabContext, ledger: Ledger, tally: CheckTally, details: string[]): Promise<void> {
  const personIndex = context.personIndex;
  const listing = await listAll(context);
  if (!listing) throw new Error(`person ${personIndex}: the final listing failed`);
  tally.listed += listing.size;
  const sizes = new Map([...listing].map(([name, item]) => [name, item.size]));
  const claimed = new Set<string>();
  for (const entry of ledger.entries()) {
    tally.ledger += 1;
    if (entry.state === 'uncertain') {
      let found = false;
      for (const name of entry.maybe) {
        const item = listing.get(name);
        const got = item ? await downloadSha(context, item.key) : null;
        if (got && 'sha' in got && got.sha === entry.sha) {
          found = true;
          claimed.add(name);
          break;
        }
      }
      if (found) tally.uncertainFound += 1;
      else tally.uncertainAbsent += 1;
      continue;
    }
    claimed.add(entry.name);
    const got = await downloadSha(context, entry.key);
    if ('code' in got) throw new Error(`person ${personIndex}: getDownloadUrl for "${entry.name}" answered ${got.code}`);
    const verdict = verdictFor(ledger, entry, sizes, got);
    if (verdict.kind === 'ok') continue;
    if (verdict.kind === 'lost') tally.lost += 1;
    else if (verdict.kind === 'corrupted') tally.corrupted += 1;
    else tally.staleListing += 1;
    details.push(`person ${personIndex} ${verdict.kind}: ${verdict.detail}`);
  }
  for (const name of listing.keys()) {
    if (claimed.has(name)) continue;
    tally.stray += 1;
    details.push(`person ${personIndex} stray file: "${name}" is listed but in no ledger entry`);
  }
}
