/** The wallet's storage on the embedded SQLite ledger: synchronous stores, and `sqlite.transaction` for what commits together. */
import type { Address } from 'viem';
import type { Sqlite } from '../ledger/db';
import type { Ledger } from '../ledger/ledger';
import { ChainStore } from './chain-store';
import { ChallengeStore } from './challenge-store';
import { depositKey, depositNote } from './deposit-key';
import { DepositStore, type DepositRow, type SeenTransfer } from './deposit-store';
import { WalletError } from './errors';
import { LinkStore } from './link-store';
import type { WalletStore } from './store';
import type { ChainStatus } from './types';

export class SqliteWalletStore implements WalletStore {
  readonly chains: ChainStore;
  readonly deposits: DepositStore;
  readonly links: LinkStore;
  readonly challenges: ChallengeStore;

  constructor(private readonly sqlite: Sqlite, private readonly ledger: Ledger, now: () => number) {
    this.chains = new ChainStore(sqlite, now);
    this.deposits = new DepositStore(sqlite, now);
    this.links = new LinkStore(sqlite, now);
    this.challenges = new ChallengeStore(sqlite);
  }

  creditDeposit(depositId: number): { row: DepositRow; duplicate: boolean } | null {
    return this.sqlite.transaction(() => {
      const row = this.deposits.byId(depositId);
      if (!row || row.accountId == null) return null;
      if (row.status === 'credited') return { row, duplicate: true };
      if (row.status !== 'pending') return null;
      // Exactly once: the posting is idempotent on chain id + tx hash + log index, and the row flips to
      // 'credited' in the same transaction (a savepoint inside ledger.credit's), so watcher, claim and a
      // second process can all race here and only one posting exists.
      const posted = this.ledger.credit(row.accountId, row.amountMicroUsd, {
        kind: 'topup', idempotencyKey: depositKey(row.chainId, row.txHash, row.logIndex),
        note: depositNote(row),
      });
      this.deposits.markCredited(row.id, posted.postingId);
      return { row, duplicate: posted.duplicate };
    }).immediate();
  }

  recordRange(chainId: number, expected: number | null, head: number, status: ChainStatus, seen: SeenTransfer[], from: number, to: number): boolean | null {
    return this.sqlite.transaction(() => {
      if (!this.chains.setProgress(chainId, expected, to, head, status)) return null;
      const keys = new Set<string>();
      let dirty = false;
      for (const t of seen) {
        keys.add(`${t.txHash}:${t.logIndex}`);
        dirty = this.deposits.record(t, this.links.accountFor(t.fromAddress)) || dirty;
      }
      for (const row of this.deposits.openInRange(chainId, from, to)) {
        // Seen before in this range, absent now: its block was re-orged away before reaching depth.
        if (!keys.has(`${row.txHash}:${row.logIndex}`)) dirty = this.deposits.drop(row.id) || dirty;
      }
      return dirty;
    }).immediate();
  }

  recordClaim(chainId: number, seen: SeenTransfer[], accountId: number): number[] {
    return this.sqlite.transaction(() => seen.map((t) => {
      const row = this.deposits.byKey(chainId, t.txHash, t.logIndex);
      if (row?.accountId != null && row.accountId !== accountId && row.status !== 'unassigned' && row.status !== 'dropped') {
        throw claimConflict(t, row.status, this.ledger.account(row.accountId)?.name ?? `#${row.accountId}`);
      }
      this.deposits.record(t, accountId);
      const id = this.deposits.byKey(chainId, t.txHash, t.logIndex)!.id;
      this.deposits.assign(id, accountId);
      return id;
    })).immediate();
  }

  link(address: Address, accountId: number, verified: boolean, nonce: string | null): number {
    return this.sqlite.transaction(() => {
      const current = this.links.get(address);
      if (current && current.accountId !== accountId) throw linkConflict(address, this.ledger.account(current.accountId)?.name);
      // Single use: of two links racing with one signature, only the one that deletes the nonce links.
      if (nonce && !this.challenges.consume(nonce)) throw nonceUsed();
      this.links.upsert(address, accountId, verified);
      return this.deposits.adoptFrom(address, accountId);
    }).immediate();
  }

  // One machine: SQLite's write lock and the idempotent credit are the coordination; every serve process may watch.
  watchable(chainIds: number[]): Set<number> { return new Set(chainIds); }
  unwatch(): void {}
}

export function claimConflict(t: { txHash: string; logIndex: number }, status: string, owner: string): WalletError {
  return new WalletError('conflict', `transfer ${t.txHash} log ${t.logIndex} is already ${status === 'credited' ? 'credited' : 'attributed'} to account ${owner}`);
}
export function linkConflict(address: string, owner: string | undefined): WalletError {
  return new WalletError('conflict', `${address} is already linked to account ${owner}; unlink it first`);
}
export function nonceUsed(): WalletError {
  return new WalletError('invalid_proof', 'that signed message was already used; get a new one to sign');
}
