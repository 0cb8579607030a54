/**
 * The ledger port: what the request path, the admin commands and the wallet need of the ledger, whatever database
 * holds it. Shaped like two-phase transfers (TigerBeetle's pending → post / void with a timeout): a request's
 * hold is pending credit, its settlement posts what it cost and voids the rest, and the hold of an instance whose
 * lease ran out is voided by any live instance.
 *
 * Two implementations: the SQLite Ledger (./ledger.ts, embedded, one machine) and PgLedger (./pg/pg-ledger.ts,
 * several instances on one PostgreSQL database). Every method may answer synchronously or with a promise
 * (`Sync<T>`): the SQLite ledger keeps its synchronous fast path, PostgreSQL answers after a round trip. Callers
 * write `const r = ledger.hold(h); const hold = r instanceof Promise ? await r : r;` on the hot path.
 */
import type { Account, HoldInput, HoldResult, PostingInput, PostingKind, RequestRow, SettleResult } from './ledger';

export type { Account, HoldInput, HoldResult, PostingInput, PostingKind, RequestRow, SettleResult };
/** A value now (SQLite) or later (PostgreSQL). */
export type Sync<T> = T | Promise<T>;

export interface PostResult { postingId: number; duplicate: boolean }
export interface CreditOptions { kind?: PostingKind; idempotencyKey?: string; note?: string | null }
/** A hold whose owner is gone, released by `releaseOrphanHolds`. */
export interface OrphanHold { requestId: string; accountId: number; keyId: string; amountMicroUsd: number; model: string; stream: boolean; createdAt: number }

/** Accounts, balances and postings: what admin commands, the window and the wallet read and write. */
export interface LedgerAccounts {
  systemAccountId(name: '@funding' | '@revenue'): number;
  createAccount(name: string): Sync<Account>;
  account(id: number): Sync<Account | undefined>;
  accountByName(name: string): Sync<Account | undefined>;
  /** The named customer account, or LedgerError not_found. */
  requireAccount(name: string): Sync<Account>;
  listAccounts(): Sync<Account[]>;
  /** Available credit for a quote: may lag by settlements still in flight (hold() itself is exact). */
  availableMicroUsd(accountId: number): Sync<number>;
  /** Sum of an account's journal lines: what its cached balance must equal. */
  journalSum(accountId: number): Sync<number>;
  /**
   * Posts one balanced entry, idempotent on its key. The only way journal rows are written besides settlement's
   * usage postings, and both pass one zero-sum check.
   */
  post(input: PostingInput): Sync<PostResult>;
  /** Credits (or debits, never below available zero) a customer account against @funding. */
  credit(accountId: number, amountMicroUsd: number, opts?: CreditOptions): Sync<PostResult>;
}

/** The request path: reserve, then settle once. */
export interface LedgerRequests {
  /** Reserves the quote if the key's limit and the account's available credit allow it; committed before it answers ok. */
  hold(h: HoldInput): Sync<HoldResult>;
  /** Settles a request exactly once (by request id): charge ≤ what the account covers, release the hold, write its row. */
  settle(requestId: string, costMicroUsd: number, row: RequestRow): Sync<SettleResult>;
  /** Settles with the next batch (group commit / the next round trip); errors are the implementation's to log. */
  settleSoon(requestId: string, costMicroUsd: number, row: RequestRow): void;
  /** Writes what is batched now (before a failure is reported, a backup, or closing). */
  flush(): Sync<void>;
  /** Releases holds whose owner is gone and marks their requests `interrupted` (charged nothing). Returns the count. */
  releaseOrphanHolds(): Sync<number>;
  /** Called after committed writes that change balances or usage (the window refreshes on it). */
  onChange: (() => void) | null;
}

/** The part both implementations have today: the SQLite Ledger satisfies it as it is (see port-check.ts). */
export interface LedgerPort extends LedgerAccounts, LedgerRequests {}

/** Topics of the change feed: what other instances must stop caching. */
export type ChangeTopic = 'keys' | 'prices' | 'models' | 'providers' | 'settings';

/** What several instances on one database need besides the port. */
export interface LedgerFleet {
  /** This instance's id while it holds a lease (a new id after it lost one). */
  readonly instanceId: string;
  /** Registers this instance and renews its lease every third of it; returns when the first lease is taken. */
  startLease(): Promise<void>;
  /** Instances whose lease is current: id, host, pid, started and renewed (database clock, ms). */
  liveInstances(): Promise<Array<{ id: string; host: string; pid: number; startedAt: number; renewedAt: number }>>;
  /** Subscribes to changes committed by any instance or admin command; returns the unsubscribe function. */
  onChanged(listener: (topic: ChangeTopic) => void): Promise<() => Promise<void>>;
  close(): Promise<void>;
}

/**
 * A unit of work for the wallet: its own rows and a credit commit together or not at all (deposit credited ⇔
 * topup posted). `tx` is the implementation's handle for the caller's own statements in the same transaction.
 */
export interface LedgerUnitOfWork<Tx> {
  unitOfWork<T>(fn: (tx: Tx, ledger: UnitOfWorkLedger) => Promise<T>): Promise<T>;
}
/** The ledger operations that may join a unit of work. */
export interface UnitOfWorkLedger {
  credit(accountId: number, amountMicroUsd: number, opts?: CreditOptions): Promise<PostResult>;
  account(id: number): Promise<Account | undefined>;
}
