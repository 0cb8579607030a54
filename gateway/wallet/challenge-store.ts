/** Ownership challenges: single-use nonces the window, the admin API or the CLI issues, kept until used or expired. */
import type { Sqlite } from '../ledger/db';
import type { OwnershipChallenge } from './ownership';

// Kept in the settings table (key `wallet.challenge.<nonce>`), so a nonce issued by the CLI or a window can be
// redeemed by any process on the same database, exactly once.
const PREFIX = 'wallet.challenge.';

export class ChallengeStore {
  private readonly s;
  constructor(sqlite: Sqlite) {
    const p = (sql: string) => sqlite.prepare(sql);
    this.s = {
      insert: p('INSERT INTO settings (key, value) VALUES (?, ?)'),
      get: p('SELECT value FROM settings WHERE key = ?').pluck(),
      consume: p('DELETE FROM settings WHERE key = ?'),
      purge: p(`DELETE FROM settings WHERE key >= '${PREFIX}' AND key < '${PREFIX}~' AND json_extract(value, '$.expiresAt') < ?`),
    };
  }

  /** Stores a new challenge (and drops expired ones, so unused nonces never pile up). */
  issue(c: OwnershipChallenge, now: number): void {
    this.s.purge.run(now);
    this.s.insert.run(PREFIX + c.nonce, JSON.stringify(c));
  }
  get(nonce: string): OwnershipChallenge | undefined {
    const v = this.s.get.get(PREFIX + nonce) as string | undefined;
    return v === undefined ? undefined : (JSON.parse(v) as OwnershipChallenge);
  }
  /** Deletes the nonce; true only for the one caller that removed it (single use, across processes). */
  consume(nonce: string): boolean { return this.s.consume.run(PREFIX + nonce).changes === 1; }
}
