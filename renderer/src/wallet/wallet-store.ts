/** Wallet screen state: chains, deposits, payer links, the selected account and its deposit request (with QR). */
import { create } from 'zustand';
import type { AccountView, AdminRequest, ChainView, DepositRequestView, DepositView, LinkedWalletView, WalletChallengeView } from '../../../gateway/admin/contract';
import { api, unwrap } from '../api/api';
import { toast } from '../components/toast-store';
import { formatUsd, parseUsd } from '../lib/money';
import { initial, loadInto, messageOf, type Loaded } from '../lib/resource';
import { qrDataUrl } from './qr';

export interface WalletData { chains: ChainView[]; deposits: DepositView[]; links: LinkedWalletView[]; accounts: AccountView[] }

/** The deposit instructions' pickers and what the core answered for them. */
export interface RequestState { chainId: number | null; symbol: string | null; amount: string; data: DepositRequestView | null; qr: string | null; error: string | null }

interface WalletState extends Loaded<WalletData> {
  account: string | null;
  request: RequestState;
  load(silent?: boolean): Promise<void>;
  selectAccount(name: string): void;
  pick(p: Partial<Pick<RequestState, 'chainId' | 'symbol' | 'amount'>>): Promise<void>;
  setChain(input: AdminRequest<'setChain'>): Promise<string[]>;
  /** The message the payer signs to prove ownership (single-use nonce, expiring), on the picked chain. */
  challenge(address: string): Promise<WalletChallengeView | null>;
  link(address: string, proof?: { message: string; signature: string }): Promise<void>;
  unlink(address: string): Promise<void>;
  assign(d: DepositView, account: string): Promise<void>;
  claim(chainId: number, txHash: string, account: string): Promise<void>;
}

const noRequest: RequestState = { chainId: null, symbol: null, amount: '', data: null, qr: null, error: null };
let requestSeq = 0;

async function fetchAll(): Promise<WalletData> {
  const [chains, deposits, links, accounts] = await Promise.all([
    unwrap(api.listChains({})), unwrap(api.listDeposits({ limit: 500 })), unwrap(api.listLinkedWallets({})), unwrap(api.listAccounts({})),
  ]);
  return { chains, deposits, links, accounts };
}

/** True while something on screen is still moving (a deposit short of its depth, a chain catching up). */
export function isBusy(d: WalletData | null): boolean {
  if (!d) return false;
  return d.deposits.some((x) => x.status === 'pending' || x.status === 'unassigned') || d.chains.some((c) => c.status === 'syncing' || c.status === 'idle');
}

/** The Wallet store. */
export const useWallet = create<WalletState>((set, get) => {
  /** Asks the core for the deposit request of the current pickers and renders its QR; stale answers are dropped. */
  const refreshRequest = async () => {
    const { request: r, data } = get();
    const chain = data?.chains.find((c) => c.chainId === r.chainId);
    if (!chain || !r.symbol) return set({ request: { ...r, data: null, qr: null, error: null } });
    const amount = r.amount.trim() === '' ? undefined : parseUsd(r.amount);
    if (amount === null || (amount !== undefined && amount <= 0)) return set({ request: { ...r, data: null, qr: null, error: 'Enter a positive dollar amount, e.g. 25 or 12.50 (up to 6 decimals), or leave it empty.' } });
    const seq = ++requestSeq;
    try {
      const req = await unwrap(api.depositRequest({ chainId: chain.chainId, symbol: r.symbol, amountMicroUsd: amount }));
      const qr = await qrDataUrl(req.eip681);
      if (seq === requestSeq) set({ request: { ...get().request, data: req, qr, error: null } });
    } catch (err) {
      if (seq === requestSeq) set({ request: { ...get().request, data: null, qr: null, error: messageOf(err) } });
    }
  };

  /** Keeps the pickers on something that exists (first account, first chain, its first token). */
  const settle = async (before: string) => {
    const { data, account, request } = get();
    if (!data) return;
    const acct = data.accounts.some((a) => a.name === account) ? account : data.accounts[0]?.name ?? null;
    const chain = data.chains.find((c) => c.chainId === request.chainId) ?? data.chains[0];
    const symbol = chain?.tokens.some((t) => t.symbol === request.symbol) ? request.symbol : chain?.tokens[0]?.symbol ?? null;
    set({ account: acct, request: { ...request, chainId: chain?.chainId ?? null, symbol } });
    if (requestKey(get()) !== before || !get().request.data) await refreshRequest();
  };

  return {
    ...initial,
    account: null,
    request: noRequest,
    async load(silent = false) {
      const before = requestKey(get());
      await loadInto(set, fetchAll, silent);
      await settle(before);
    },
    selectAccount(name) { set({ account: name }); },
    async pick(p) {
      set({ request: { ...get().request, ...p } });
      if (p.chainId !== undefined) await settle('');
      else await refreshRequest();
    },
    async setChain(input) {
      const { chain, warnings } = await unwrap(api.setChain(input));
      toast(`Chain ${chain.name} (${chain.chainId}) saved`);
      set({ request: { ...get().request, chainId: chain.chainId } });
      await get().load(true);
      return warnings;
    },
    async challenge(address) {
      const { account, request } = get();
      if (!account) return null;
      return unwrap(api.walletChallenge({ account, address, chainId: request.chainId ?? undefined }));
    },
    async link(address, proof) {
      const { account } = get();
      if (!account) return;
      const l = await unwrap(api.linkWallet({ account, address, proof }));
      toast(`Linked ${short(l.address)} to “${l.account}”${l.verified ? ' (ownership verified)' : ''}${l.adoptedDeposits ? `; ${l.adoptedDeposits} waiting deposit(s) moved to it` : ''}`);
      await get().load(true);
    },
    async unlink(address) {
      await unwrap(api.unlinkWallet({ address }));
      toast(`Unlinked ${short(address)}`);
      await get().load(true);
    },
    async assign(d, account) {
      const r = await unwrap(api.assignDeposit({ chainId: d.chainId, txHash: d.txHash, logIndex: d.logIndex, account }));
      toast(`${formatUsd(r.amountMicroUsd)} ${r.status === 'credited' ? 'credited to' : 'assigned to'} “${account}”`);
      await get().load(true);
    },
    async claim(chainId, txHash, account) {
      const r = await unwrap(api.claimDeposit({ chainId, txHash, account }));
      toast(r.alreadyCredited ? 'That transaction was already credited' : `${formatUsd(r.creditedMicroUsd)} credited to “${account}”`);
      await get().load(true);
    },
  };
});

/** What the QR depends on: the pickers and the chosen chain's treasury and token contract. */
function requestKey(s: Pick<WalletState, 'data' | 'request'>): string {
  const chain = s.data?.chains.find((c) => c.chainId === s.request.chainId);
  const token = chain?.tokens.find((t) => t.symbol === s.request.symbol);
  return [s.request.chainId, s.request.symbol, s.request.amount, chain?.treasury, token?.contract, token?.decimals].join('|');
}

/** 0x1234…abcd */
export function short(hex: string): string { return hex.length > 14 ? `${hex.slice(0, 6)}…${hex.slice(-4)}` : hex; }
