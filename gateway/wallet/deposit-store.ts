/** SQL access to the deposits table: one row per Transfer log to a treasury (unique chain id + tx hash + log index). */
import type { Address, Hex } from 'viem';
import type { Sqlite } from '../ledger/db';
import type { DepositFilter, DepositStatus, DepositView } from './types';

/** A deposits row. */
export interface DepositRow {
  id: number; chainId: number; txHash: Hex; logIndex: number; blockNumber: number; blockHash: Hex; fromAddress: Address;
  tokenSymbol: string; tokenContract: Address; amountRaw: string; amountMicroUsd: number; status: DepositStatus;
  accountId: number | null; postingId: number | null; seenAt: number; creditedAt: number | null;
}
/** What a scan or a receipt tells us about one transfer. */
export type SeenTransfer = Omit<DepositRow, 'id' | 'status' | 'accountId' | 'postingId' | 'seenAt' | 'creditedAt'>;

const COLS = `d.id, d.chain_id AS chainId, d.tx_hash AS txHash, d.log_index AS logIndex, d.block_number AS blockNumber, d.block_hash AS blockHash,
  d.from_address AS fromAddress, d.token_symbol AS tokenSymbol, d.token_contract AS tokenContract, d.amount_raw AS amountRaw,
  d.amount_micro_usd AS amountMicroUsd, d.status, d.account_id AS accountId, d.posting_id AS postingId, d.seen_at AS seenAt, d.credited_at AS creditedAt`;

/** Deposit rows and their state transitions. */
export class DepositStore {
  private readonly s;
  constructor(private readonly sqlite: Sqlite, private readonly now: () => number) {
    const p = (sql: string) => sqlite.prepare(sql);
    this.s = {
      byKey: p(`SELECT ${COLS} FROM deposits d WHERE chain_id = ? AND tx_hash = ? AND log_index = ?`),
      byTx: p(`SELECT ${COLS} FROM deposits d WHERE chain_id = ? AND tx_hash = ? ORDER BY log_index`),
      byId: p(`SELECT ${COLS} FROM deposits d WHERE id = ?`),
      insert: p(`INSERT INTO deposits (chain_id, tx_hash, log_index, block_number, block_hash, from_address, token_symbol, token_contract,
        amount_raw, amount_micro_usd, status, account_id, seen_at) VALUES (@chainId, @txHash, @logIndex, @blockNumber, @blockHash, @fromAddress,
        @tokenSymbol, @tokenContract, @amountRaw, @amountMicroUsd, @status, @accountId, @seenAt)`),
      refresh: p(`UPDATE deposits SET block_number = @blockNumber, block_hash = @blockHash, from_address = @fromAddress, token_symbol = @tokenSymbol,
        token_contract = @tokenContract, amount_raw = @amountRaw, amount_micro_usd = @amountMicroUsd, status = @status, account_id = @accountId
        WHERE id = @id AND status != 'credited'`),
      open: p(`SELECT ${COLS} FROM deposits d WHERE chain_id = ? AND status IN ('pending', 'unassigned') AND block_number BETWEEN ? AND ?`),
      due: p(`SELECT ${COLS} FROM deposits d WHERE chain_id = ? AND status = 'pending' AND account_id IS NOT NULL AND block_number <= ? ORDER BY block_number, log_index`),
      drop: p("UPDATE deposits SET status = 'dropped' WHERE id = ? AND status IN ('pending', 'unassigned')"),
      assign: p("UPDATE deposits SET account_id = ?, status = 'pending' WHERE id = ? AND status IN ('pending', 'unassigned')"),
      credited: p("UPDATE deposits SET status = 'credited', posting_id = ?, credited_at = ? WHERE id = ? AND status = 'pending'"),
      adoptFrom: p("UPDATE deposits SET account_id = ?, status = 'pending' WHERE status = 'unassigned' AND from_address = ?"),
    };
  }

  byKey(chainId: number, txHash: string, logIndex: number): DepositRow | undefined { return this.s.byKey.get(chainId, txHash.toLowerCase(), logIndex) as DepositRow | undefined; }
  byTx(chainId: number, txHash: string): DepositRow[] { return this.s.byTx.all(chainId, txHash.toLowerCase()) as DepositRow[]; }
  byId(id: number): DepositRow | undefined { return this.s.byId.get(id) as DepositRow | undefined; }

  /**
   * Records a transfer seen on chain; returns true if anything changed. A credited row is never touched; a
   * dropped row that reappears (re-mined after a re-org) is revived; a moved row takes its new block.
   */
  record(t: SeenTransfer, accountForNew: number | null): boolean {
    const row = this.byKey(t.chainId, t.txHash, t.logIndex);
    if (!row) {
      this.s.insert.run({ ...t, txHash: t.txHash.toLowerCase(), status: accountForNew == null ? 'unassigned' : 'pending', accountId: accountForNew, seenAt: this.now() });
      return true;
    }
    if (row.status === 'credited') return false;
    const accountId = row.accountId ?? accountForNew;
    const status: DepositStatus = accountId == null ? 'unassigned' : 'pending';
    if (row.blockHash === t.blockHash && row.status === status && row.accountId === accountId) return false;
    this.s.refresh.run({ ...t, id: row.id, status, accountId });
    return true;
  }

  /** Uncredited rows whose block lies in [from, to] (to reconcile against a fresh scan of that range). */
  openInRange(chainId: number, from: number, to: number): DepositRow[] { return this.s.open.all(chainId, from, to) as DepositRow[]; }
  /** Assigned rows mined at or below `maxBlock`, i.e. deep enough to credit once verified. */
  due(chainId: number, maxBlock: number): DepositRow[] { return this.s.due.all(chainId, maxBlock) as DepositRow[]; }
  drop(id: number): boolean { return this.s.drop.run(id).changes > 0; }
  assign(id: number, accountId: number): boolean { return this.s.assign.run(accountId, id).changes > 0; }
  markCredited(id: number, postingId: number): boolean { return this.s.credited.run(postingId, this.now(), id).changes > 0; }
  /** Gives a newly linked payer's unassigned deposits to its account; returns how many. */
  adoptFrom(address: Address, accountId: number): number { return this.s.adoptFrom.run(accountId, address).changes; }

  /** Deposits newest first, as the CLI and the window show them. */
  list(f: DepositFilter = {}): DepositView[] {
    const where: string[] = [];
    const args: unknown[] = [];
    const statuses = f.status == null ? ['pending', 'credited', 'unassigned'] : Array.isArray(f.status) ? f.status : [f.status];
    where.push(`d.status IN (${statuses.map(() => '?').join(', ')})`);
    args.push(...statuses);
    if (f.chainId != null) { where.push('d.chain_id = ?'); args.push(f.chainId); }
    if (f.account != null) { where.push('a.name = ?'); args.push(f.account); }
    args.push(Math.min(Math.max(1, f.limit ?? 1000), 10_000));
    const rows = this.sqlite.prepare(`SELECT ${COLS}, a.name AS account, c.head_block AS head, c.confirmations AS required
      FROM deposits d LEFT JOIN accounts a ON a.id = d.account_id LEFT JOIN chains c ON c.chain_id = d.chain_id
      WHERE ${where.join(' AND ')} ORDER BY d.seen_at DESC, d.id DESC LIMIT ?`).all(...args) as Array<DepositRow & { account: string | null; head: number | null; required: number | null }>;
    return rows.map((r) => toView(r, r.head, r.required ?? 0, r.account));
  }
}

/** The public view of a row; confirmations count the transfer's own block as the first. */
export function toView(r: DepositRow, head: number | null, required: number, account: string | null): DepositView {
  return {
    chainId: r.chainId, txHash: r.txHash, logIndex: r.logIndex, from: r.fromAddress, token: r.tokenSymbol, tokenContract: r.tokenContract,
    amountRaw: r.amountRaw, amountMicroUsd: r.amountMicroUsd, confirmations: head == null ? 0 : Math.max(0, head - r.blockNumber + 1),
    requiredConfirmations: required, status: r.status, account: r.accountId == null ? null : account,
    blockNumber: r.blockNumber, seenAt: r.seenAt, creditedAt: r.creditedAt,
  };
}
