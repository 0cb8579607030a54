/**
 * The wallet's storage port: chains, deposits, payer links and ownership challenges, plus the few operations that
 * must commit together (deposit credited ⇔ topup posted; a scanned range ⇔ its cursor; a link ⇔ its nonce). Two
 * implementations: SQLite (./sqlite-store.ts, synchronous answers, `sqlite.transaction`) and PostgreSQL
 * (./pg-store.ts, promises, `PgLedger.unitOfWork`, one deposit watcher per chain across instances by advisory lock).
 * Answers are `Sync<T>` like the ledger port's: callers `await` them.
 */
import type { Address } from 'viem';
import type { Sync } from '../ledger/port';
import type { ChainRow } from './chain-store';
import type { DepositRow, SeenTransfer } from './deposit-store';
import type { ChainStatus, DepositFilter, DepositView, LinkedWallet, TokenConfig } from './types';
import type { OwnershipChallenge } from './ownership';

export type { Sync };

/** What `chain set` writes: the configuration and the token list, replaced together. */
export interface ChainConfig { chainId: number; name: string; rpcUrl: string; treasury: Address; confirmations: number; tokens: TokenConfig[]; startBlock: number | null; resetCursor: boolean }

export interface ChainsPort {
  all(): Sync<ChainRow[]>;
  get(chainId: number): Sync<ChainRow | undefined>;
  tokens(chainId: number): Sync<TokenConfig[]>;
  save(c: ChainConfig): Sync<void>;
  setStart(chainId: number, block: number): Sync<void>;
  /** Compare-and-set of the cursor the pass started from; false when another process moved it. */
  setProgress(chainId: number, expected: number | null, cursor: number, head: number, status: ChainStatus): Sync<boolean>;
  setError(chainId: number, message: string): Sync<void>;
  setEnabled(chainId: number, enabled: boolean): Sync<boolean>;
  setCursor(chainId: number, cursor: number | null): Sync<void>;
  remove(chainId: number): Sync<boolean>;
}

export interface DepositsPort {
  byKey(chainId: number, txHash: string, logIndex: number): Sync<DepositRow | undefined>;
  byId(id: number): Sync<DepositRow | undefined>;
  due(chainId: number, maxBlock: number): Sync<DepositRow[]>;
  drop(id: number): Sync<boolean>;
  assign(id: number, accountId: number): Sync<boolean>;
  list(f?: DepositFilter): Sync<DepositView[]>;
}

export interface LinksPort {
  get(address: Address): Sync<{ address: Address; accountId: number; verified: boolean } | undefined>;
  remove(address: Address): Sync<boolean>;
  list(accountName?: string): Sync<LinkedWallet[]>;
}

export interface ChallengesPort {
  issue(c: OwnershipChallenge, now: number): Sync<void>;
  get(nonce: string): Sync<OwnershipChallenge | undefined>;
}

export interface WalletStore {
  readonly chains: ChainsPort;
  readonly deposits: DepositsPort;
  readonly links: LinksPort;
  readonly challenges: ChallengesPort;
  /**
   * Posts the topup of a pending, assigned deposit (idempotent on chain id + tx hash + log index) and marks the row
   * credited, in one transaction. null: not creditable (unassigned, dropped). Throws the ledger's error (overflow).
   */
  creditDeposit(depositId: number): Sync<{ row: DepositRow; duplicate: boolean } | null>;
  /**
   * One scanned range, atomically: the cursor's compare-and-set, the transfers seen (linked payers' to their
   * account), and uncredited rows of [from, to] the chain no longer has marked dropped. null: the cursor moved
   * meanwhile (nothing written); else whether any deposit changed.
   */
  recordRange(chainId: number, expected: number | null, head: number, status: ChainStatus, seen: SeenTransfer[], from: number, to: number): Sync<boolean | null>;
  /** Records a claim's transfers for `accountId` in one transaction and answers their ids; WalletError conflict if another account has one. */
  recordClaim(chainId: number, seen: SeenTransfer[], accountId: number): Sync<number[]>;
  /** Links a payer, consuming the proof's nonce (single use) if any, and adopts its unassigned deposits; answers how many. */
  link(address: Address, accountId: number, verified: boolean, nonce: string | null): Sync<number>;
  /**
   * The chains this process may watch now, of `chainIds`. SQLite: all (one machine). PostgreSQL: those whose
   * advisory lock this instance holds or just took — one watcher per chain across instances.
   */
  watchable(chainIds: number[]): Sync<Set<number>>;
  /** Gives up every chain this process watches (the watcher stopped). */
  unwatch(): Sync<void>;
}

/** Applies `f` to a value now or later, keeping it synchronous when it is. */
export function andThen<T, U>(v: Sync<T>, f: (t: T) => Sync<U>): Sync<U> {
  return v instanceof Promise ? v.then(f) : f(v);
}
