/**
 * The wallet's storage on PostgreSQL, for several gateway instances on one database. Deposit credited ⇔ topup posted
 * in one `PgLedger.unitOfWork` (the deposit row locked FOR UPDATE first, so two instances crediting it serialise and
 * the second sees it credited); a scanned range commits with its cursor's compare-and-set.
 *
 * One deposit watcher per chain across instances: a session-level advisory lock per chain, taken with
 * `pg_try_advisory_lock` on one reserved connection and kept while that connection lives. When the holder dies its
 * connection goes, PostgreSQL releases the lock, and the next instance to try takes the chain over; a stopped watcher
 * unlocks at once. Crediting stays exactly-once whatever the locks do (idempotency key + the row's status).
 */
import type { Address } from 'viem';
import type postgres from 'postgres';
import type { Pg, PgTx } from '../ledger/pg/connect';
import type { PgLedger } from '../ledger/pg/pg-ledger';
import type { ChainRow } from './chain-store';
import { depositKey, depositNote } from './deposit-key';
import { toView, type DepositRow, type SeenTransfer } from './deposit-store';
import type { OwnershipChallenge } from './ownership';
import { claimConflict, linkConflict, nonceUsed } from './sqlite-store';
import type { ChainConfig, ChainsPort, ChallengesPort, DepositsPort, LinksPort, WalletStore } from './store';
import type { ChainStatus, DepositFilter, DepositStatus, DepositView, LinkedWallet, TokenConfig } from './types';

type Q = Pg | PgTx;
/** The advisory lock namespace of deposit watchers ("gogw"); the second key is the chain id (mod 2^31). */
const WATCH_LOCK = 0x676f6777;
const CHALLENGE = 'wallet.challenge.';

const CHAIN_COLS = `chain_id AS "chainId", name, rpc_url AS "rpcUrl", treasury, confirmations, enabled, cursor_block AS "cursorBlock",
  start_block AS "startBlock", head_block AS "headBlock", status, last_error AS "lastError", updated_at AS "updatedAt"`;
const DEPOSIT_COLS = `d.id, d.chain_id AS "chainId", d.tx_hash AS "txHash", d.log_index AS "logIndex", d.block_number AS "blockNumber", d.block_hash AS "blockHash",
  d.from_address AS "fromAddress", d.token_symbol AS "tokenSymbol", d.token_contract AS "tokenContract", d.amount_raw AS "amountRaw",
  d.amount_micro_usd AS "amountMicroUsd", d.status, d.account_id AS "accountId", d.posting_id AS "postingId", d.seen_at AS "seenAt", d.credited_at AS "creditedAt"`;

const rows = async <T>(q: Q, sql: string, params: unknown[] = []): Promise<T[]> => (await q.unsafe(sql, params as never[], { prepare: true })) as unknown as T[];
const one = async <T>(q: Q, sql: string, params: unknown[] = []): Promise<T | undefined> => (await rows<T>(q, sql, params))[0];
const changed = async (q: Q, sql: string, params: unknown[] = []): Promise<number> => (await q.unsafe(sql, params as never[], { prepare: true })).count;

class PgChains implements ChainsPort {
  constructor(private readonly sql: Pg, private readonly now: () => number) {}
  all(): Promise<ChainRow[]> { return rows(this.sql, `SELECT ${CHAIN_COLS} FROM chains ORDER BY chain_id`); }
  get(chainId: number): Promise<ChainRow | undefined> { return one(this.sql, `SELECT ${CHAIN_COLS} FROM chains WHERE chain_id = $1`, [chainId]); }
  // Byte order, as SQLite sorts.
  tokens(chainId: number): Promise<TokenConfig[]> { return rows(this.sql, 'SELECT symbol, contract, decimals FROM chain_tokens WHERE chain_id = $1 ORDER BY symbol COLLATE "C"', [chainId]); }
  async save(c: ChainConfig): Promise<void> {
    const now = this.now();
    await this.sql.begin(async (tx) => {
      await changed(tx, `INSERT INTO chains (chain_id, name, rpc_url, treasury, confirmations, enabled, start_block, cursor_block, updated_at)
        VALUES ($1, $2, $3, $4, $5, true, $6, $7, $8) ON CONFLICT (chain_id) DO UPDATE SET name = excluded.name, rpc_url = excluded.rpc_url,
        treasury = excluded.treasury, confirmations = excluded.confirmations, updated_at = excluded.updated_at`,
      [c.chainId, c.name, c.rpcUrl, c.treasury, c.confirmations, c.startBlock, c.startBlock == null ? null : c.startBlock - 1, now]);
      if (c.resetCursor) {
        await changed(tx, 'UPDATE chains SET start_block = $1, cursor_block = $2, updated_at = $3 WHERE chain_id = $4',
          [c.startBlock, c.startBlock == null ? null : c.startBlock - 1, now, c.chainId]);
      }
      await changed(tx, 'DELETE FROM chain_tokens WHERE chain_id = $1', [c.chainId]);
      for (const t of c.tokens) await changed(tx, 'INSERT INTO chain_tokens (chain_id, symbol, contract, decimals) VALUES ($1, $2, $3, $4)', [c.chainId, t.symbol, t.contract, t.decimals]);
    });
  }
  async setStart(chainId: number, block: number): Promise<void> { await changed(this.sql, 'UPDATE chains SET start_block = $1 WHERE chain_id = $2 AND start_block IS NULL', [block, chainId]); }
  setProgress(chainId: number, expected: number | null, cursor: number, head: number, status: ChainStatus, q: Q = this.sql): Promise<boolean> {
    return changed(q, `UPDATE chains SET cursor_block = $1, head_block = $2, status = $3, last_error = NULL, updated_at = $4
      WHERE chain_id = $5 AND cursor_block IS NOT DISTINCT FROM $6::bigint`, [cursor, head, status, this.now(), chainId, expected]).then((n) => n > 0);
  }
  async setError(chainId: number, message: string): Promise<void> {
    await changed(this.sql, "UPDATE chains SET status = 'error', last_error = $1, updated_at = $2 WHERE chain_id = $3", [message, this.now(), chainId]);
  }
  async setEnabled(chainId: number, enabled: boolean): Promise<boolean> {
    return (await changed(this.sql, 'UPDATE chains SET enabled = $1, status = $2, updated_at = $3 WHERE chain_id = $4', [enabled, enabled ? 'idle' : 'disabled', this.now(), chainId])) > 0;
  }
  async setCursor(chainId: number, cursor: number | null): Promise<void> { await changed(this.sql, 'UPDATE chains SET cursor_block = $1 WHERE chain_id = $2', [cursor, chainId]); }
  remove(chainId: number): Promise<boolean> {
    return this.sql.begin(async (tx) => {
      await changed(tx, 'DELETE FROM chain_tokens WHERE chain_id = $1', [chainId]);
      return (await changed(tx, 'DELETE FROM chains WHERE chain_id = $1', [chainId])) > 0;
    });
  }
}

class PgDeposits implements DepositsPort {
  constructor(private readonly sql: Pg, private readonly now: () => number) {}
  byKey(chainId: number, txHash: string, logIndex: number, q: Q = this.sql): Promise<DepositRow | undefined> {
    return one(q, `SELECT ${DEPOSIT_COLS} FROM deposits d WHERE chain_id = $1 AND tx_hash = $2 AND log_index = $3`, [chainId, txHash.toLowerCase(), logIndex]);
  }
  byId(id: number, q: Q = this.sql, lock = false): Promise<DepositRow | undefined> {
    return one(q, `SELECT ${DEPOSIT_COLS} FROM deposits d WHERE id = $1${lock ? ' FOR UPDATE' : ''}`, [id]);
  }
  due(chainId: number, maxBlock: number): Promise<DepositRow[]> {
    return rows(this.sql, `SELECT ${DEPOSIT_COLS} FROM deposits d WHERE chain_id = $1 AND status = 'pending' AND account_id IS NOT NULL AND block_number <= $2
      ORDER BY block_number, log_index`, [chainId, maxBlock]);
  }
  openInRange(q: Q, chainId: number, from: number, to: number): Promise<DepositRow[]> {
    return rows(q, `SELECT ${DEPOSIT_COLS} FROM deposits d WHERE chain_id = $1 AND status IN ('pending', 'unassigned') AND block_number BETWEEN $2 AND $3`, [chainId, from, to]);
  }
  async drop(id: number, q: Q = this.sql): Promise<boolean> {
    return (await changed(q, "UPDATE deposits SET status = 'dropped' WHERE id = $1 AND status IN ('pending', 'unassigned')", [id])) > 0;
  }
  async assign(id: number, accountId: number, q: Q = this.sql): Promise<boolean> {
    return (await changed(q, "UPDATE deposits SET account_id = $1, status = 'pending' WHERE id = $2 AND status IN ('pending', 'unassigned')", [accountId, id])) > 0;
  }

  /** As the SQLite store's `record`: a credited row is never touched, a dropped one that reappears is revived, a moved one takes its new block. */
  async record(q: Q, t: SeenTransfer, accountForNew: number | null): Promise<boolean> {
    const row = await this.byKey(t.chainId, t.txHash, t.logIndex, q);
    if (!row) {
      // Another instance may record the same log meanwhile: the unique index keeps one row.
      return (await changed(q, `INSERT INTO deposits (chain_id, tx_hash, log_index, block_number, block_hash, from_address, token_symbol, token_contract,
        amount_raw, amount_micro_usd, status, account_id, seen_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) ON CONFLICT DO NOTHING`,
      [t.chainId, t.txHash.toLowerCase(), t.logIndex, t.blockNumber, t.blockHash, t.fromAddress, t.tokenSymbol, t.tokenContract, t.amountRaw, t.amountMicroUsd,
        accountForNew == null ? 'unassigned' : 'pending', accountForNew, this.now()])) > 0;
    }
    if (row.status === 'credited') return false;
    const accountId = row.accountId ?? accountForNew;
    const status: DepositStatus = accountId == null ? 'unassigned' : 'pending';
    if (row.blockHash === t.blockHash && row.status === status && row.accountId === accountId) return false;
    await changed(q, `UPDATE deposits SET block_number = $1, block_hash = $2, from_address = $3, token_symbol = $4, token_contract = $5, amount_raw = $6,
      amount_micro_usd = $7, status = $8, account_id = $9 WHERE id = $10 AND status <> 'credited'`,
    [t.blockNumber, t.blockHash, t.fromAddress, t.tokenSymbol, t.tokenContract, t.amountRaw, t.amountMicroUsd, status, accountId, row.id]);
    return true;
  }

  async list(f: DepositFilter = {}): Promise<DepositView[]> {
    const where: string[] = [];
    const args: unknown[] = [];
    const arg = (v: unknown) => { args.push(v); return `$${args.length}`; };
    const statuses = f.status == null ? ['pending', 'credited', 'unassigned'] : Array.isArray(f.status) ? f.status : [f.status];
    where.push(`d.status IN (${statuses.map(arg).join(', ')})`);
    if (f.chainId != null) where.push(`d.chain_id = ${arg(f.chainId)}`);
    if (f.account != null) where.push(`a.name = ${arg(f.account)}`);
    const limit = arg(Math.min(Math.max(1, f.limit ?? 1000), 10_000));
    const found = await rows<DepositRow & { account: string | null; head: number | null; required: number | null }>(this.sql, `SELECT ${DEPOSIT_COLS}, a.name AS account,
      c.head_block AS head, c.confirmations AS required FROM deposits d LEFT JOIN accounts a ON a.id = d.account_id LEFT JOIN chains c ON c.chain_id = d.chain_id
      WHERE ${where.join(' AND ')} ORDER BY d.seen_at DESC, d.id DESC LIMIT ${limit}`, args);
    return found.map((r) => toView(r, r.head, r.required ?? 0, r.account));
  }
}

class PgLinks implements LinksPort {
  constructor(private readonly sql: Pg) {}
  get(address: Address, q: Q = this.sql, lock = false) {
    return one<{ address: Address; accountId: number; verified: boolean }>(q, `SELECT address, account_id AS "accountId", verified FROM linked_wallets WHERE address = $1${lock ? ' FOR UPDATE' : ''}`, [address]);
  }
  async remove(address: Address): Promise<boolean> { return (await changed(this.sql, 'DELETE FROM linked_wallets WHERE address = $1', [address])) > 0; }
  list(accountName?: string): Promise<LinkedWallet[]> {
    return rows(this.sql, `SELECT w.address, a.name AS account, w.verified, w.created_at AS "createdAt" FROM linked_wallets w JOIN accounts a ON a.id = w.account_id
      WHERE ($1::text IS NULL OR a.name = $1) ORDER BY a.name COLLATE "C", w.address COLLATE "C"`, [accountName ?? null]);
  }
}

class PgChallenges implements ChallengesPort {
  constructor(private readonly sql: Pg) {}
  async issue(c: OwnershipChallenge, now: number): Promise<void> {
    // Expired nonces go as new ones come, so unused ones never pile up.
    await changed(this.sql, `DELETE FROM settings WHERE starts_with(key, $1) AND (value::jsonb ->> 'expiresAt')::bigint < $2`, [CHALLENGE, now]);
    await changed(this.sql, 'INSERT INTO settings (key, value) VALUES ($1, $2)', [CHALLENGE + c.nonce, JSON.stringify(c)]);
  }
  async get(nonce: string): Promise<OwnershipChallenge | undefined> {
    const r = await one<{ value: string }>(this.sql, 'SELECT value FROM settings WHERE key = $1', [CHALLENGE + nonce]);
    return r && (JSON.parse(r.value) as OwnershipChallenge);
  }
}

/** The wallet's store on a PostgreSQL ledger (PgLedger on the same pool). */
export class PgWalletStore implements WalletStore {
  readonly chains: PgChains;
  readonly deposits: PgDeposits;
  readonly links: PgLinks;
  readonly challenges: PgChallenges;
  private watchConn: postgres.ReservedSql<{ int8: number }> | null = null;
  private readonly watching = new Set<number>();

  constructor(private readonly sql: Pg, private readonly ledger: PgLedger, private readonly now: () => number = Date.now) {
    this.chains = new PgChains(sql, now);
    this.deposits = new PgDeposits(sql, now);
    this.links = new PgLinks(sql);
    this.challenges = new PgChallenges(sql);
  }

  creditDeposit(depositId: number): Promise<{ row: DepositRow; duplicate: boolean } | null> {
    return this.ledger.unitOfWork(async (tx, ledger) => {
      // Locked first: a second instance crediting the same deposit waits here, then finds it credited.
      const row = await this.deposits.byId(depositId, tx, true);
      if (!row || row.accountId == null) return null;
      if (row.status === 'credited') return { row, duplicate: true };
      if (row.status !== 'pending') return null;
      const posted = await ledger.credit(row.accountId, row.amountMicroUsd, { kind: 'topup', idempotencyKey: depositKey(row.chainId, row.txHash, row.logIndex), note: depositNote(row) });
      await changed(tx, "UPDATE deposits SET status = 'credited', posting_id = $1, credited_at = $2 WHERE id = $3 AND status = 'pending'", [posted.postingId, this.now(), row.id]);
      return { row, duplicate: posted.duplicate };
    });
  }

  recordRange(chainId: number, expected: number | null, head: number, status: ChainStatus, seen: SeenTransfer[], from: number, to: number): Promise<boolean | null> {
    return this.sql.begin(async (tx) => {
      if (!(await this.chains.setProgress(chainId, expected, to, head, status, tx))) return null;
      const keys = new Set<string>();
      let dirty = false;
      for (const t of seen) {
        keys.add(`${t.txHash}:${t.logIndex}`);
        dirty = (await this.deposits.record(tx, t, (await this.links.get(t.fromAddress, tx))?.accountId ?? null)) || dirty;
      }
      for (const row of await this.deposits.openInRange(tx, chainId, from, to)) {
        // Seen before in this range, absent now: its block was re-orged away before reaching depth.
        if (!keys.has(`${row.txHash}:${row.logIndex}`)) dirty = (await this.deposits.drop(row.id, tx)) || dirty;
      }
      return dirty;
    });
  }

  recordClaim(chainId: number, seen: SeenTransfer[], accountId: number): Promise<number[]> {
    return this.sql.begin(async (tx) => {
      const ids: number[] = [];
      for (const t of seen) {
        const row = await this.deposits.byKey(chainId, t.txHash, t.logIndex, tx);
        if (row?.accountId != null && row.accountId !== accountId && row.status !== 'unassigned' && row.status !== 'dropped') {
          const owner = await one<{ name: string }>(tx, 'SELECT name FROM accounts WHERE id = $1', [row.accountId]);
          throw claimConflict(t, row.status, owner?.name ?? `#${row.accountId}`);
        }
        await this.deposits.record(tx, t, accountId);
        const id = (await this.deposits.byKey(chainId, t.txHash, t.logIndex, tx))!.id;
        await this.deposits.assign(id, accountId, tx);
        ids.push(id);
      }
      return ids;
    });
  }

  link(address: Address, accountId: number, verified: boolean, nonce: string | null): Promise<number> {
    return this.sql.begin(async (tx) => {
      const current = await this.links.get(address, tx, true);
      if (current && current.accountId !== accountId) {
        throw linkConflict(address, (await one<{ name: string }>(tx, 'SELECT name FROM accounts WHERE id = $1', [current.accountId]))?.name);
      }
      // Single use: of two links racing with one signature, only the one that deletes the nonce links.
      if (nonce && (await changed(tx, 'DELETE FROM settings WHERE key = $1', [CHALLENGE + nonce])) !== 1) throw nonceUsed();
      // A link of the same new address committed meanwhile by another instance wins; this one then conflicts (and rolls back).
      const [linked] = await rows<{ accountId: number }>(tx, `INSERT INTO linked_wallets (address, account_id, verified, created_at) VALUES ($1, $2, $3, $4)
        ON CONFLICT (address) DO UPDATE SET verified = linked_wallets.verified OR excluded.verified RETURNING account_id AS "accountId"`,
      [address, accountId, verified, this.now()]);
      if (linked.accountId !== accountId) {
        throw linkConflict(address, (await one<{ name: string }>(tx, 'SELECT name FROM accounts WHERE id = $1', [linked.accountId]))?.name);
      }
      return changed(tx, "UPDATE deposits SET account_id = $1, status = 'pending' WHERE status = 'unassigned' AND from_address = $2", [accountId, address]);
    });
  }

  async watchable(chainIds: number[]): Promise<Set<number>> {
    try {
      this.watchConn ??= await this.sql.reserve();
      const conn = this.watchConn;
      // A lock held by this session stays held while the session lives; one query proves it does.
      await conn`SELECT 1`;
      for (const id of chainIds) {
        if (this.watching.has(id)) continue;
        const [r] = await conn<Array<{ ok: boolean }>>`SELECT pg_try_advisory_lock(${WATCH_LOCK}::int4, ${id % 2 ** 31}::int4) AS ok`;
        if (r.ok) this.watching.add(id);
      }
      return new Set(chainIds.filter((id) => this.watching.has(id)));
    } catch {
      // Usually the session is gone, and with it every lock it held; if not, it gives them up before going back to
      // the pool. Either way this instance watches nothing until a new session takes the locks again next pass.
      await this.unwatch();
      return new Set();
    }
  }

  async unwatch(): Promise<void> {
    const conn = this.watchConn;
    this.watchConn = null;
    this.watching.clear();
    if (!conn) return;
    try { await conn`SELECT pg_advisory_unlock_all()`; } catch { /* the session is gone: so are its locks */ }
    try { conn.release(); } catch { /* already closed */ }
  }
}
