/** The Wallet API: chain configuration, payer links, deposits (list, assign, claim), deposit requests, the watcher. */
import type { Address, Hex, PublicClient } from 'viem';
import type { Sqlite } from '../ledger/db';
import type { Ledger } from '../ledger/ledger';
import type { LedgerAccounts } from '../ledger/port';
import { chainInfo, type ChainRow } from './chain-store';
import { parseAddress, prepareChain } from './chain-config';
import { claimTx } from './claim';
import type { WalletContext } from './context';
import { verifyAndCredit } from './credit';
import { buildDepositRequest } from './deposit-request';
import { toView, type DepositRow } from './deposit-store';
import { WalletError } from './errors';
import { SqliteWalletStore } from './sqlite-store';
import { andThen, type Sync, type WalletStore } from './store';
import { messageNonce, newChallenge, ownershipMessage, verifyOwnership, type OwnershipChallenge } from './ownership';
import { makeClient } from './rpc';
import type { ChainInfo, ClaimResult, DepositFilter, DepositRequest, DepositView, LinkedWallet, SetChainInput } from './types';
import { Watcher } from './watcher';

/** The wallet on the embedded SQLite ledger: its answers are synchronous. */
export interface SqliteWalletDeps extends WalletOptions { sqlite: Sqlite; ledger: Ledger; store?: undefined }
/** The wallet on another store (PostgreSQL: ./pg-store.ts): its answers are promises. */
export interface StoreWalletDeps extends WalletOptions { store: WalletStore; ledger: Pick<LedgerAccounts, 'account' | 'accountByName'>; sqlite?: undefined }
export type WalletDeps = SqliteWalletDeps | StoreWalletDeps;
/** 'sync': SQLite answers reads at once; 'async': PostgreSQL answers them with promises. */
export type WalletMode = 'sync' | 'async';
/** A read's answer in a wallet mode. */
export type Read<M extends WalletMode, T> = M extends 'sync' ? T : Promise<T>;

export interface WalletOptions {
  now?: () => number;
  /** Operator alerts ('deposit_credited'); the core records them and pushes them to the window. */
  alert?: (kind: string, message: string) => void;
  /** Watcher poll interval (default: env GOGOGO_WALLET_POLL_MS, else 4000 ms). */
  pollIntervalMs?: number;
  /** Backoff ceiling after RPC errors (default 60 s). */
  maxBackoffMs?: number;
  /** Per-request RPC timeout (default 10 s). */
  rpcTimeoutMs?: number;
  /** Largest getLogs block range (default 2000; halves on "range too large" answers). */
  maxBlockRange?: number;
  /** getLogs ranges per chain per watcher pass (default 50). */
  rangesPerPass?: number;
}

const TX_HASH = /^0x[0-9a-fA-F]{64}$/;

/** Stablecoin top-ups. Every method is safe to call while another process (serve or a CLI command) uses the same database. */
export class Wallet<M extends WalletMode = 'sync'> {
  private readonly ctx: WalletContext;
  private readonly watcher: Watcher;
  private readonly listeners = new Set<() => void>();
  private readonly clients = new Map<string, PublicClient>();
  private pending: NodeJS.Timeout | null = null;

  constructor(deps: WalletDeps) {
    const now = deps.now ?? Date.now;
    const timeout = deps.rpcTimeoutMs ?? 10_000;
    const store = deps.store ?? new SqliteWalletStore(deps.sqlite, deps.ledger, now);
    this.ctx = {
      store, ledger: deps.ledger, now, alert: deps.alert ?? (() => {}),
      chains: store.chains, deposits: store.deposits, links: store.links,
      client: (url) => { let c = this.clients.get(url); if (!c) { c = makeClient(url, timeout); this.clients.set(url, c); } return c; },
      changed: () => this.changed(),
      refused: new Set(),
      maxBlockRange: deps.maxBlockRange ?? 2000,
      rangesPerPass: deps.rangesPerPass ?? 50,
    };
    const envPoll = Number(process.env.GOGOGO_WALLET_POLL_MS);
    this.watcher = new Watcher(this.ctx, {
      pollIntervalMs: deps.pollIntervalMs ?? (envPoll > 0 ? envPoll : 4000),
      maxBackoffMs: deps.maxBackoffMs ?? 60_000,
    });
  }

  /** Creates or updates a chain (omitted fields keep their value, or the catalog's for a known chain). Probes the RPC when it answers. */
  async setChain(input: SetChainInput): Promise<{ chain: ChainInfo; warnings: string[] }> {
    const c = await prepareChain(this.ctx, input);
    await this.ctx.chains.save(c);
    this.changed();
    return { chain: (await this.getChain(c.chainId))!, warnings: c.warnings };
  }

  /** Every configured chain with its watcher status and catch-up progress. */
  listChains(): Read<M, ChainInfo[]> {
    return this.read(andThen(this.ctx.chains.all(), (rows) => all(rows.map((r) => this.info(r)))));
  }
  getChain(chainId: number): Read<M, ChainInfo | undefined> {
    return this.read(andThen(this.ctx.chains.get(chainId), (r) => r && this.info(r)));
  }
  /** Removes a chain's configuration; its deposits stay in the history. */
  removeChain(chainId: number): Read<M, void> {
    return this.read(andThen(this.ctx.chains.remove(chainId), (ok) => { if (!ok) throw notConfigured(chainId); this.changed(); }));
  }
  setChainEnabled(chainId: number, enabled: boolean): Read<M, void> {
    return this.read(andThen(this.ctx.chains.setEnabled(chainId, enabled), (ok) => { if (!ok) throw notConfigured(chainId); this.changed(); }));
  }

  /**
   * Issues the message a payer signs to prove they control `address` for `accountName` on `chainId` (default: the
   * only configured chain): a single-use nonce, valid for CHALLENGE_TTL_MS.
   */
  ownershipChallenge(accountName: string, address: string, chainId?: number): Read<M, OwnershipChallenge & { message: string }> {
    return this.read(andThen(this.account(accountName), (account) => {
      const addr = parseAddress('payer address', address);
      return andThen(this.ctx.chains.all(), (chains) => {
        const chain = chainId === undefined ? (chains.length === 1 ? chains[0] : undefined) : chains.find((c) => c.chainId === chainId);
        if (!chain) throw chainId === undefined ? new WalletError('invalid', `name the chain the payer pays on (configured: ${chains.map((c) => c.chainId).join(', ') || 'none'})`) : notConfigured(chainId);
        const c = newChallenge(account.name, addr, chain.chainId, this.ctx.now());
        return andThen(this.ctx.store.challenges.issue(c, this.ctx.now()), () => ({ ...c, message: ownershipMessage(c) }));
      });
    }));
  }

  /**
   * Links a payer wallet to an account: its transfers credit that account. With a proof (the payer's signature
   * of a message this gateway issued for exactly this account and address, unexpired and unused) the link is
   * recorded as verified. The payer's unassigned deposits, if any, go to the account too (`adoptedDeposits`).
   */
  async linkWallet(accountName: string, address: string, proof?: { message: string; signature: Hex }): Promise<LinkedWallet & { adoptedDeposits: number }> {
    const account = await this.account(accountName);
    const addr = parseAddress('payer address', address);
    const nonce = proof ? await this.checkProof(account.name, addr, proof) : null;
    const adopted = await this.ctx.store.link(addr, account.id, Boolean(proof), nonce);
    this.changed();
    const link = (await this.ctx.links.get(addr))!;
    return { address: addr, account: account.name, verified: link.verified, createdAt: this.ctx.now(), adoptedDeposits: adopted };
  }

  unlinkWallet(address: string): Read<M, void> {
    return this.read(andThen(this.ctx.links.remove(parseAddress('payer address', address)), (ok) => {
      if (!ok) throw new WalletError('not_found', `${address} is not linked to any account`);
      this.changed();
    }));
  }
  listLinkedWallets(accountName?: string): Read<M, LinkedWallet[]> { return this.read(this.ctx.links.list(accountName)); }

  /** Deposits, newest first. Without a status filter: pending, unassigned and credited (dropped ones only when asked for). */
  listDeposits(filter: DepositFilter = {}): Read<M, DepositView[]> { return this.read(this.ctx.deposits.list(filter)); }

  /**
   * Gives an unassigned (or not yet credited) deposit to an account. If it is already deep enough and its
   * block is still canonical it is credited at once (when the RPC answers); otherwise the watcher credits it.
   */
  async assign(chainId: number, txHash: string, logIndex: number, accountName: string): Promise<DepositView> {
    const account = await this.account(accountName);
    const row = await this.ctx.deposits.byKey(chainId, checkTx(txHash), logIndex);
    if (!row) throw new WalletError('not_found', `no deposit with chain ${chainId}, tx ${txHash}, log index ${logIndex} (see \`gogogo deposits\`)`);
    if (row.status === 'dropped') throw new WalletError('invalid', `that transfer was re-orged away and no longer exists on chain ${chainId}`);
    if (row.status === 'credited') {
      if (row.accountId === account.id) return this.view(row);
      throw new WalletError('conflict', `that deposit is already credited to account ${(await this.ctx.ledger.account(row.accountId!))?.name}`);
    }
    await this.ctx.deposits.assign(row.id, account.id);
    this.changed();
    const chain = await this.ctx.chains.get(chainId);
    if (chain) {
      try {
        const head = Number(await this.ctx.client(chain.rpcUrl).getBlockNumber());
        await verifyAndCredit(this.ctx, chain, (await this.ctx.deposits.byId(row.id))!, head);
      } catch { /* RPC unavailable: the watcher credits it once it can verify */ }
    }
    return this.view((await this.ctx.deposits.byId(row.id))!);
  }

  /** Verifies `txHash` on chain (configured token, treasury as recipient, amount, depth) and credits its transfers to the account, once. */
  async claim(chainId: number, txHash: string, accountName: string): Promise<ClaimResult> {
    const account = await this.account(accountName);
    const chain = await this.ctx.chains.get(chainId);
    if (!chain) throw notConfigured(chainId);
    const r = await claimTx(this.ctx, chain, checkTx(txHash), account.id);
    const deposits: DepositView[] = [];
    for (const id of r.depositIds) deposits.push(await this.view((await this.ctx.deposits.byId(id))!));
    return { deposits, creditedMicroUsd: r.creditedMicroUsd, alreadyCredited: r.alreadyCredited };
  }

  /** What a payer needs: treasury, token contract, decimals and an EIP-681 request for the amount (if given). */
  depositRequest(chainId: number, symbol: string, amountMicroUsd?: number): Read<M, DepositRequest> {
    return this.read(andThen(this.ctx.chains.get(chainId), (chain) => {
      if (!chain) throw notConfigured(chainId);
      return andThen(this.ctx.chains.tokens(chainId), (tokens) => buildDepositRequest(chain, tokens, symbol, amountMicroUsd));
    }));
  }

  /** The nonce of a valid proof: the message is exactly one this gateway issued for this account and address, and the payer signed it. */
  private async checkProof(account: string, addr: Address, proof: { message: string; signature: Hex }): Promise<string> {
    const how = `get a message to sign with \`gogogo wallet challenge ${account} ${addr}\` (or the window's Wallet screen)`;
    const nonce = messageNonce(proof.message);
    const c = nonce ? await this.ctx.store.challenges.get(nonce) : undefined;
    if (!nonce || !c) throw new WalletError('invalid_proof', `the signed message is not one this gateway issued, or it was already used; ${how}`);
    if (c.expiresAt < this.ctx.now()) throw new WalletError('invalid_proof', `the signed message expired at ${new Date(c.expiresAt).toISOString()}; ${how}`);
    // Exact, not by substring: a proof for "team-a" must not verify "team".
    if (c.account !== account || c.address !== addr) throw new WalletError('invalid_proof', `the signed message was issued for account "${c.account}" and ${c.address}, not "${account}" and ${addr}`);
    if (proof.message !== ownershipMessage(c)) throw new WalletError('invalid_proof', 'the signed message differs from the one issued; sign it exactly as shown');
    if (!(await verifyOwnership(addr, proof.message, proof.signature))) throw new WalletError('invalid_proof', `the signature was not made by ${addr}`);
    return nonce;
  }

  /** Starts the watcher (serve and the desktop app; CLI commands never do). */
  start(): void { this.watcher.start(); }
  /** Stops the watcher; resolves when the pass in flight is done. Never rejects. */
  async stop(): Promise<void> {
    await this.watcher.stop();
    if (this.pending) clearTimeout(this.pending);
    this.pending = null;
  }
  /** One watcher pass now (tests; a "refresh" button). */
  syncNow(): Promise<void> { return this.watcher.syncNow(); }
  get running(): boolean { return this.watcher.isRunning; }

  /** Subscribes to "chains or deposits changed" (coalesced); returns the unsubscribe function. */
  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => { this.listeners.delete(listener); };
  }

  /** Test and repair hook: moves a chain's scan cursor (e.g. back, to prove a rescan credits nothing twice). */
  setCursor(chainId: number, cursorBlock: number | null): Read<M, void> { return this.read(this.ctx.chains.setCursor(chainId, cursorBlock)); }

  private changed(): void {
    if (this.pending || this.listeners.size === 0) return;
    this.pending = setTimeout(() => {
      this.pending = null;
      for (const l of this.listeners) { try { l(); } catch { /* a listener's failure is its own */ } }
    }, 100);
    this.pending.unref();
  }

  private account(name: string) {
    return andThen(this.ctx.ledger.accountByName(name), (a) => {
      if (!a || a.type !== 'customer') throw new WalletError('not_found', `no account named "${name}"`);
      return a;
    });
  }

  private async view(row: DepositRow): Promise<DepositView> {
    const chain: ChainRow | undefined = await this.ctx.chains.get(row.chainId);
    return toView(row, chain?.headBlock ?? null, chain?.confirmations ?? 0, row.accountId == null ? null : (await this.ctx.ledger.account(row.accountId))?.name ?? null);
  }

  private info(r: ChainRow): Sync<ChainInfo> { return andThen(this.ctx.chains.tokens(r.chainId), (tokens) => chainInfo(r, tokens)); }

  /** A store answer in this wallet's mode: SQLite's are values, PostgreSQL's promises. */
  private read<T>(v: Sync<T>): Read<M, T> { return v as Read<M, T>; }
}

function checkTx(txHash: string): Hex {
  if (!TX_HASH.test(txHash)) throw new WalletError('invalid', `"${txHash}" is not a transaction hash (0x + 64 hex digits)`);
  return txHash.toLowerCase() as Hex;
}

function notConfigured(chainId: number): WalletError {
  return new WalletError('not_configured', `chain ${chainId} is not configured (gogogo chain set ${chainId} ...)`);
}

/** Every answer of a list, synchronously when all are values. */
function all<T>(items: Array<Sync<T>>): Sync<T[]> {
  return items.some((i) => i instanceof Promise) ? Promise.all(items) : (items as T[]);
}
