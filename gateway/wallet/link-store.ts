/** SQL access to linked_wallets: a payer address belongs to at most one account. */
import type { Address } from 'viem';
import type { Sqlite } from '../ledger/db';
import type { LinkedWallet } from './types';

/** Payer wallet ↔ account links. Addresses are stored checksummed. */
export class LinkStore {
  private readonly s;
  constructor(sqlite: Sqlite, private readonly now: () => number) {
    const p = (sql: string) => sqlite.prepare(sql);
    this.s = {
      get: p('SELECT address, account_id AS accountId, verified FROM linked_wallets WHERE address = ?'),
      upsert: p(`INSERT INTO linked_wallets (address, account_id, verified, created_at) VALUES (?, ?, ?, ?)
        ON CONFLICT (address) DO UPDATE SET verified = MAX(verified, excluded.verified)`),
      remove: p('DELETE FROM linked_wallets WHERE address = ?'),
      list: p(`SELECT w.address, a.name AS account, w.verified, w.created_at AS createdAt FROM linked_wallets w JOIN accounts a ON a.id = w.account_id
        WHERE (@name IS NULL OR a.name = @name) ORDER BY a.name, w.address`),
    };
  }

  get(address: Address): { address: Address; accountId: number; verified: boolean } | undefined {
    const r = this.s.get.get(address) as { address: Address; accountId: number; verified: number } | undefined;
    return r && { ...r, verified: Boolean(r.verified) };
  }
  /** The account a payer address is linked to, if any. */
  accountFor(address: Address): number | null { return this.get(address)?.accountId ?? null; }
  upsert(address: Address, accountId: number, verified: boolean): void { this.s.upsert.run(address, accountId, verified ? 1 : 0, this.now()); }
  remove(address: Address): boolean { return this.s.remove.run(address).changes > 0; }
  list(accountName?: string): LinkedWallet[] {
    return (this.s.list.all({ name: accountName ?? null }) as Array<Omit<LinkedWallet, 'verified'> & { verified: number }>).map((w) => ({ ...w, verified: Boolean(w.verified) }));
  }
}
