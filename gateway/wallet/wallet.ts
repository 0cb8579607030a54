/** The Wallet API: chain configuration, payer links, deposits (list, assign, claim), deposit requests, the watcher. */
import type { Address, Hex, PublicClient } from 'viem';
import type { Sqlite } from '../ledger/db';
import type { Ledger } from '../ledger/ledger';
import { ChainStore, type ChainRow } from './chain-store';
import { parseAddress, prepareChain } from './chain-config';
import { claimTx } from './claim';
import type { WalletContext } from './context';
import { verifyAndCredit } from './credit';
import { buildDepositRequest } from './deposit-request';
import { DepositStore, toView, type DepositRow } from './deposit-store';
import { WalletError } from './errors';
import { LinkStore } from './link-store';
import { ChallengeStore } from './challenge-store';
import { messageNonce, newChallenge, ownershipMessage, verifyOwnership, type OwnershipChallenge } from './ownership';
import { makeClient } from './rpc';
import type { ChainInfo, ClaimResult, DepositFilter, DepositRequest, DepositView, LinkedWallet, SetChainInput } from './types';
import { Watcher } from './watcher';

export interface WalletDeps {
  sqlite: Sqlite;
  ledger: Ledger;
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
export class Wallet {
  private readonly ctx: WalletContext;
  private readonly watcher: Watcher;
  private readonly listeners = new Set<() => void>();
  private readonly clients = new Map<string, PublicClient>();
  private readonly challenges: ChallengeStore;
  private pending: NodeJS.Timeout | null = null;

  constructor(deps: WalletDeps) {
    const now = deps.now ?? Date.now;
    const timeout = deps.rpcTimeoutMs ?? 10_000;
    this.ctx = {
      sqlite: deps.sqlite, ledger: deps.ledger, now, alert: deps.alert ?? (() => {}),
      chains: new ChainStore(deps.sqlite, now), deposits: new DepositStore(deps.sqlite, now), links: new LinkStore(deps.sqlite, now),
      client: (url) => { let c = this.clients.get(url); if (!c) { c = makeClient(url, timeout); this.clients.set(url, c); } return c; },
      changed: () => this.changed(),
      refused: new Set(),
      maxBlockRange: deps.maxBlockRange ?? 2000,
      rangesPerPass: deps.rangesPerPass ?? 50,
    };
    this.challenges = new ChallengeStore(deps.sqlite);
    const envPoll = Number(process.env.GOGOGO_WALLET_POLL_MS);
    this.watcher = new Watcher(this.ctx, {
      pollIntervalMs: deps.pollIntervalMs ?? (envPoll > 0 ? envPoll : 4000),
      maxBackoffMs: deps.maxBackoffMs ?? 60_000,
    });
  }

  /** Creates or updates a chain (omitted fields keep their value, or the catalog's for a known chain). Probes the RPC when it answers. */
  async setChain(input: SetChainInput): Promise<{ chain: ChainInfo; warnings: string[] }> {
    const c = await prepareChain(this.ctx, input);
    this.ctx.chains.save(c);
    this.changed();
    return { chain: this.getChain(c.chainId)!, warnings: c.warnings };
  }

  /** Every configured chain with its watcher status and catch-up progress. */
  listChains(): ChainInfo[] { return this.ctx.chains.all().map((r) => this.ctx.chains.info(r)); }
  getChain(chainId: number): ChainInfo | undefined { const r = this.ctx.chains.get(chainId); return r && this.ctx.chains.info(r); }
  /** Removes a chain's configuration; its deposits stay in the history. */
  removeChain(chainId: number): void { if (!this.ctx.chains.remove(chainId)) throw notConfigured(chainId); this.changed(); }
  setChainEnabled(chainId: number, enabled: boolean): void { if (!this.ctx.chains.setEnabled(chainId, enabled)) throw notConfigured(chainId); this.changed(); }

  /**
   * Issues the message a payer signs to prove they control `address` for `accountName` on `chainId` (default: the
   * only configured chain): a single-use nonce, valid for CHALLENGE_TTL_MS.
   */
  ownershipChallenge(accountName: string, address: string, chainId?: number): OwnershipChallenge & { message: string } {
    const account = this.account(accountName);
    const addr = parseAddress('payer address', address);
    const chains = this.ctx.chains.all();
    const chain = chainId === undefined ? (chains.length === 1 ? chains[0] : undefined) : this.ctx.chains.get(chainId);
    if (!chain) throw chainId === undefined ? new WalletError('invalid', `name the chain the payer pays on (configured: ${chains.map((c) => c.chainId).join(', ') || 'none'})`) : notConfigured(chainId);
    const c = newChallenge(account.name, addr, chain.chainId, this.ctx.now());
    this.challenges.issue(c, this.ctx.now());
    return { ...c, message: ownershipMessage(c) };
  }

  /**
   * Links a payer wallet to an account: its transfers credit that account. With a proof (the payer's signature
   * of a message this gateway issued for exactly this account and address, unexpired and unused) the link is
   * recorded as verified. The payer's unassigned deposits, if any, go to the account too (`adoptedDeposits`).
   */
  async linkWallet(accountName: string, address: string, proof?: { message: string; signature: Hex }): Promise<LinkedWallet & { adoptedDeposits: number }> {
    const account = this.account(accountName);
    const addr = parseAddress('payer address', address);
    const nonce = proof ? await this.checkProof(account.name, addr, proof) : null;
    const adopted = this.ctx.sqlite.transaction(() => {
      const current = this.ctx.links.get(addr);
      if (current && current.accountId !== account.id) throw new WalletError('conflict', `${addr} is already linked to account ${this.ctx.ledger.account(current.accountId)?.name}; unlink it first`);
      // Single use: of two links racing with one signature, only the one that deletes the nonce links.
      if (nonce && !this.challenges.consume(nonce)) throw new WalletError('invalid_proof', 'that signed message was already used; get a new one to sign');
      this.ctx.links.upsert(addr, account.id, Boolean(proof));
      return this.ctx.deposits.adoptFrom(addr, account.id);
    }).immediate();
    this.changed();
    const link = this.ctx.links.get(addr)!;
    return { address: addr, account: account.name, verified: link.verified, createdAt: this.ctx.now(), adoptedDeposits: adopted };
  }

  unlinkWallet(address: string): void {
    if (!this.ctx.links.remove(parseAddress('payer address', address))) throw new WalletError('not_found', `${address} is not linked to any account`);
    this.changed();
  }
  listLinkedWallets(accountName?: string): LinkedWallet[] { return this.ctx.links.list(accountName); }

  /** Deposits, newest first. Without a status filter: pending, unassigned and credited (dropped ones only when asked for). */
  listDeposits(filter: DepositFilter = {}): DepositView[] { return this.ctx.deposits.list(filter); }

  /**
   * Gives an unassigned (or not yet credited) deposit to an account. If it is already deep enough and its
   * block is still canonical it is credited at once (when the RPC answers); otherwise the watcher credits it.
   */
  async assign(chainId: number, txHash: string, logIndex: number, accountName: string): Promise<DepositView> {
    const account = this.account(accountName);
    const row = this.ctx.deposits.byKey(chainId, checkTx(txHash), logIndex);
    if (!row) throw new WalletError('not_found', `no deposit with chain ${chainId}, tx ${txHash}, log index ${logIndex} (see \`gogogo deposits\`)`);
    if (row.status === 'dropped') throw new WalletError('invalid', `that transfer was re-orged away and no longer exists on chain ${chainId}`);
    if (row.status === 'credited') {
      if (row.accountId === account.id) return this.view(row);
      throw new WalletError('conflict', `that deposit is already credited to account ${this.ctx.ledger.account(row.accountId!)?.name}`);
    }
    this.ctx.deposits.assign(row.id, account.id);
    this.changed();
    const chain = this.ctx.chains.get(chainId);
    if (chain) {
      try {
        const head = Number(await this.ctx.client(chain.rpcUrl).getBlockNumber());
        await verifyAndCredit(this.ctx, chain, this.ctx.deposits.byId(row.id)!, head);
      } catch { /* RPC unavailable: the watcher credits it once it can verify */ }
    }
    return this.view(this.ctx.deposits.byId(row.id)!);
  }

  /** Verifies `txHash` on chain (configured token, treasury as recipient, amount, depth) and credits its transfers to the account, once. */
  async claim(chainId: number, txHash: string, accountName: string): Promise<ClaimResult> {
    const account = this.account(accountName);
    const chain = this.ctx.chains.get(chainId);
    if (!chain) throw notConfigured(chainId);
    const r = await claimTx(this.ctx, chain, checkTx(txHash), account.id);
    return { deposits: r.depositIds.map((id) => this.view(this.ctx.deposits.byId(id)!)), creditedMicroUsd: r.creditedMicroUsd, alreadyCredited: r.alreadyCredited };
  }

  /** What a payer needs: treasury, token contract, decimals and an EIP-681 request for the amount (if given). */
  depositRequest(chainId: number, symbol: string, amountMicroUsd?: number): DepositRequest {
    const chain = this.ctx.chains.get(chainId);
    if (!chain) throw notConfigured(chainId);
    return buildDepositRequest(chain, this.ctx.chains.tokens(chainId), symbol, amountMicroUsd);
  }

  /** The nonce of a valid proof: the message is exactly one this gateway issued for this account and address, and the payer signed it. */
  private async checkProof(account: string, addr: Address, proof: { message: string; signature: Hex }): Promise<string> {
    const how = `get a message to sign with \`gogogo wallet challenge ${account} ${addr}\` (or the window's Wallet screen)`;
    const nonce = messageNonce(proof.message);
    const c = nonce ? this.challenges.get(nonce) : undefined;
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
  setCursor(chainId: number, cursorBlock: number | null): void { this.ctx.chains.setCursor(chainId, cursorBlock); }

  private changed(): void {
    if (this.pending || this.listeners.size === 0) return;
    this.pending = setTimeout(() => {
      this.pending = null;
      for (const l of this.listeners) { try { l(); } catch { /* a listener's failure is its own */ } }
    }, 100);
    this.pending.unref();
  }

  private account(name: string) {
    const a = this.ctx.ledger.accountByName(name);
    if (!a || a.type !== 'customer') throw new WalletError('not_found', `no account named "${name}"`);
    return a;
  }

  private view(row: DepositRow): DepositView {
    const chain: ChainRow | undefined = this.ctx.chains.get(row.chainId);
    return toView(row, chain?.headBlock ?? null, chain?.confirmations ?? 0, row.accountId == null ? null : this.ctx.ledger.account(row.accountId)?.name ?? null);
  }
}

function checkTx(txHash: string): Hex {
  if (!TX_HASH.test(txHash)) throw new WalletError('invalid', `"${txHash}" is not a transaction hash (0x + 64 hex digits)`);
  return txHash.toLowerCase() as Hex;
}

function notConfigured(chainId: number): WalletError {
  return new WalletError('not_configured', `chain ${chainId} is not configured (gogogo chain set ${chainId} ...)`);
}
