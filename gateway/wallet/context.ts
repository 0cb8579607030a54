/** What the wallet's parts share: the stores, the ledger, RPC clients and the change signal. */
import type { PublicClient } from 'viem';
import type { Sqlite } from '../ledger/db';
import type { Ledger } from '../ledger/ledger';
import type { ChainStore } from './chain-store';
import type { DepositStore } from './deposit-store';
import type { LinkStore } from './link-store';

export interface WalletContext {
  sqlite: Sqlite;
  ledger: Ledger;
  now: () => number;
  alert: (kind: string, message: string) => void;
  chains: ChainStore;
  deposits: DepositStore;
  links: LinkStore;
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
