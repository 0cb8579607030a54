/** What the wallet's parts share: the stores, the ledger, RPC clients and the change signal. */
import type { PublicClient } from 'viem';
import type { LedgerAccounts } from '../ledger/port';
import type { ChainsPort, DepositsPort, LinksPort, WalletStore } from './store';

export interface WalletContext {
  store: WalletStore;
  /** Account names for messages and alerts. */
  ledger: Pick<LedgerAccounts, 'account' | 'accountByName'>;
  now: () => number;
  alert: (kind: string, message: string) => void;
  chains: ChainsPort;
  deposits: DepositsPort;
  links: LinksPort;
  /** A (cached) public client for an RPC URL. */
  client(rpcUrl: string): PublicClient;
  /** Deposits the ledger refused (balance overflow) and the operator was already told about, in this process. */
  refused: Set<number>;
  /** Signals the window that chains or deposits changed. */
  changed(): void;
  /** Largest getLogs range to ask for (shrinks on "range too large"). */
  maxBlockRange: number;
  /** getLogs ranges per chain per pass (bounded so a long catch-up still credits and reports progress). */
  rangesPerPass: number;
}
