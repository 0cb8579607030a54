/** SQL access to the chains and chain_tokens tables. Config columns and watcher columns are written separately. */
import type { Address } from 'viem';
import type { Sqlite } from '../ledger/db';
import type { ChainInfo, ChainStatus, TokenConfig } from './types';

/** A chains row as the watcher reads it. */
export interface ChainRow {
  chainId: number; name: string; rpcUrl: string; treasury: Address; confirmations: number; enabled: boolean;
  cursorBlock: number | null; startBlock: number | null; headBlock: number | null; status: ChainStatus; lastError: string | null; updatedAt: number;
}

const COLS = `chain_id AS chainId, name, rpc_url AS rpcUrl, treasury, confirmations, enabled, cursor_block AS cursorBlock,
  start_block AS startBlock, head_block AS headBlock, status, last_error AS lastError, updated_at AS updatedAt`;

/** Chain configuration and watcher state. */
export class ChainStore {
  private readonly s;
  constructor(private readonly sqlite: Sqlite, private readonly now: () => number) {
    const p = (sql: string) => sqlite.prepare(sql);
    this.s = {
      all: p(`SELECT ${COLS} FROM chains ORDER BY chain_id`),
      one: p(`SELECT ${COLS} FROM chains WHERE chain_id = ?`),
      upsert: p(`INSERT INTO chains (chain_id, name, rpc_url, treasury, confirmations, enabled, start_block, cursor_block, updated_at)
        VALUES (@chainId, @name, @rpcUrl, @treasury, @confirmations, 1, @startBlock, @cursorBlock, @now)
        ON CONFLICT (chain_id) DO UPDATE SET name = excluded.name, rpc_url = excluded.rpc_url, treasury = excluded.treasury,
        confirmations = excluded.confirmations, updated_at = excluded.updated_at`),
      resetCursor: p('UPDATE chains SET start_block = ?, cursor_block = ?, updated_at = ? WHERE chain_id = ?'),
      setStart: p('UPDATE chains SET start_block = ? WHERE chain_id = ? AND start_block IS NULL'),
      progress: p(`UPDATE chains SET cursor_block = @cursor, head_block = @head, status = @status, last_error = NULL, updated_at = @now
        WHERE chain_id = @chainId AND cursor_block IS @expected`),
      head: p('UPDATE chains SET head_block = ?, updated_at = ? WHERE chain_id = ?'),
      error: p("UPDATE chains SET status = 'error', last_error = ?, updated_at = ? WHERE chain_id = ?"),
      enable: p('UPDATE chains SET enabled = ?, status = ?, updated_at = ? WHERE chain_id = ?'),
      remove: p('DELETE FROM chains WHERE chain_id = ?'),
      tokens: p('SELECT symbol, contract, decimals FROM chain_tokens WHERE chain_id = ? ORDER BY symbol'),
      clearTokens: p('DELETE FROM chain_tokens WHERE chain_id = ?'),
      addToken: p('INSERT INTO chain_tokens (chain_id, symbol, contract, decimals) VALUES (?, ?, ?, ?)'),
    };
  }

  all(): ChainRow[] { return (this.s.all.all() as ChainRow[]).map(fix); }
  get(chainId: number): ChainRow | undefined { const r = this.s.one.get(chainId) as ChainRow | undefined; return r && fix(r); }
  tokens(chainId: number): TokenConfig[] { return this.s.tokens.all(chainId) as TokenConfig[]; }

  /** Writes a chain's configuration and replaces its token list, in one transaction. */
  save(c: { chainId: number; name: string; rpcUrl: string; treasury: Address; confirmations: number; tokens: TokenConfig[]; startBlock: number | null; resetCursor: boolean }): void {
    this.sqlite.transaction(() => {
      this.s.upsert.run({ ...c, cursorBlock: c.startBlock == null ? null : c.startBlock - 1, now: this.now() });
      if (c.resetCursor) this.s.resetCursor.run(c.startBlock, c.startBlock == null ? null : c.startBlock - 1, this.now(), c.chainId);
      this.s.clearTokens.run(c.chainId);
      for (const t of c.tokens) this.s.addToken.run(c.chainId, t.symbol, t.contract, t.decimals);
    }).immediate();
  }

  setStart(chainId: number, block: number): void { this.s.setStart.run(block, chainId); }
  /**
   * Records a scanned range: the cursor only moves with a successful scan, so a restart resumes exactly there.
   * Compare-and-set on the cursor the pass started from: if `chain set --from-block` (another process)
   * moved it meanwhile, nothing is written and the pass stops (false).
   */
  setProgress(chainId: number, expected: number | null, cursor: number, head: number, status: ChainStatus): boolean {
    return this.s.progress.run({ chainId, expected, cursor, head, status, now: this.now() }).changes > 0;
  }
  setHead(chainId: number, head: number): void { this.s.head.run(head, this.now(), chainId); }
  setError(chainId: number, message: string): void { this.s.error.run(message, this.now(), chainId); }
  setEnabled(chainId: number, enabled: boolean): boolean { return this.s.enable.run(enabled ? 1 : 0, enabled ? 'idle' : 'disabled', this.now(), chainId).changes > 0; }
  /** Test and repair hook: moves the cursor (a restart from an older cursor must not double-credit). */
  setCursor(chainId: number, cursor: number | null): void { this.sqlite.prepare('UPDATE chains SET cursor_block = ? WHERE chain_id = ?').run(cursor, chainId); }
  remove(chainId: number): boolean {
    return this.sqlite.transaction(() => { this.s.clearTokens.run(chainId); return this.s.remove.run(chainId).changes > 0; }).immediate();
  }

  /** The row plus tokens and catch-up progress, as the window shows it. */
  info(r: ChainRow): ChainInfo { return chainInfo(r, this.tokens(r.chainId)); }
}

/** A chain row with its tokens and catch-up progress, as the window shows it. */
export function chainInfo(r: ChainRow, tokens: TokenConfig[]): ChainInfo {
  let progress: ChainInfo['progress'] = null;
  if (r.headBlock != null && r.startBlock != null) {
    const cursor = r.cursorBlock ?? r.startBlock - 1;
    const total = Math.max(0, r.headBlock - r.startBlock + 1);
    const scanned = Math.min(total, Math.max(0, cursor - r.startBlock + 1));
    progress = { scannedBlocks: scanned, totalBlocks: total, behindBlocks: Math.max(0, r.headBlock - cursor), percent: total === 0 ? 100 : Math.floor((scanned / total) * 100) };
  }
  return { ...r, tokens, progress };
}

function fix(r: ChainRow): ChainRow { return { ...r, enabled: Boolean(r.enabled) }; }
