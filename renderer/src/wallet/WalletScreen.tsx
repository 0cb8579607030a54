import { Empty } from '../components/States';

/** Wallet (stablecoin top-ups): waits for the wallet API in the contract. */
export function WalletScreen() {
  return (
    <section className="screen" data-testid="screen-wallet">
      <header className="screen-head"><h1>Wallet</h1></header>
      <Empty title="Stablecoin top-ups are coming to this window" testId="wallet-empty">
        Until then, configure chains and deposits with the command line: <code>gogogo chain set</code>, <code>gogogo wallet link</code>, <code>gogogo deposits</code>.
      </Empty>
    </section>
  );
}
