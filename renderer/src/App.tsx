import { useEffect, useState } from 'react';
import { connected } from './api/api';
import { Sidebar } from './components/Sidebar';
import { Toasts } from './components/Toasts';
import { currentScreen, type ScreenId } from './routes';
import { OverviewScreen } from './overview/OverviewScreen';
import { KeysScreen } from './keys/KeysScreen';
import { AccountsScreen } from './accounts/AccountsScreen';
import { UsageScreen } from './usage/UsageScreen';
import { RequestsScreen } from './requests/RequestsScreen';
import { SettingsScreen } from './settings/SettingsScreen';
import { WalletScreen } from './wallet/WalletScreen';
import { AuditScreen } from './audit/AuditScreen';
import { StatementsScreen } from './statements/StatementsScreen';

const VIEWS: Record<ScreenId, () => React.JSX.Element> = {
  overview: OverviewScreen, keys: KeysScreen, accounts: AccountsScreen, usage: UsageScreen, requests: RequestsScreen, wallet: WalletScreen, statements: StatementsScreen, audit: AuditScreen, settings: SettingsScreen,
};

/** The window: sidebar navigation and the current screen. */
export function App() {
  const [screen, setScreen] = useState<ScreenId>(currentScreen);
  useEffect(() => {
    const onHash = () => setScreen(currentScreen());
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, []);
  if (!connected) return <NotConnected />;
  const View = VIEWS[screen];
  return (
    <div className="app" data-testid="app-ready">
      <Sidebar current={screen} />
      <main className="main" id="main" tabIndex={-1}>
        <View />
      </main>
      <Toasts />
    </div>
  );
}

function NotConnected() {
  return (
    <div className="not-connected" data-testid="not-connected">
      <h1>gogogoapi admin</h1>
      <p>This window needs the admin link printed by the gateway. Start it with <code>gogogo serve</code> and open the
        <code>admin on http://127.0.0.1:…/admin/#token=…</code> link it prints (through an SSH tunnel if the gateway runs on another machine).</p>
    </div>
  );
}
