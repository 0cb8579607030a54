import { useEffect } from 'react';
import { useSettings } from './settings-store';
import { ProvidersSection } from './ProvidersSection';
import { PricesSection } from './PricesSection';
import { ModelsSection } from './ModelsSection';
import { NetworkSection } from './NetworkSection';
import { DataSection } from './DataSection';
import { NotifySection } from './NotifySection';

/** Settings: upstream providers, models (routes, aliases, fx), prices, network and data. */
export function SettingsScreen() {
  const load = useSettings((s) => s.load);
  useEffect(() => { void load(); }, [load]);
  return (
    <section className="screen" data-testid="screen-settings">
      <header className="screen-head"><h1>Settings</h1></header>
      <nav className="inpage" aria-label="Settings sections">
        <a href="#/settings" onClick={(e) => { e.preventDefault(); document.getElementById('providers')?.scrollIntoView(); }}>Providers</a>
        <a href="#/settings" onClick={(e) => { e.preventDefault(); document.getElementById('models')?.scrollIntoView(); }}>Models</a>
        <a href="#/settings" onClick={(e) => { e.preventDefault(); document.getElementById('prices')?.scrollIntoView(); }}>Prices</a>
        <a href="#/settings" onClick={(e) => { e.preventDefault(); document.getElementById('network')?.scrollIntoView(); }}>Network</a>
        <a href="#/settings" onClick={(e) => { e.preventDefault(); document.getElementById('notify')?.scrollIntoView(); }}>Notifications</a>
        <a href="#/settings" onClick={(e) => { e.preventDefault(); document.getElementById('data')?.scrollIntoView(); }}>Data</a>
      </nav>
      <ProvidersSection />
      <ModelsSection />
      <PricesSection />
      <NetworkSection />
      <NotifySection />
      <DataSection />
    </section>
  );
}
