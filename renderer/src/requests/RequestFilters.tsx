import { useRequests, type Filters } from './requests-store';
import { API_NAMES } from './api-names';
import { useShallow } from 'zustand/react/shallow';

/** Filter bar: key, model, status, client API, time window. */
export function RequestFilters() {
  const { filters, keys, data, setFilter } = useRequests(useShallow((s) => ({ filters: s.filters, keys: s.keys, data: s.data, setFilter: s.setFilter })));
  const opts = data?.filterOptions ?? { models: [], statuses: [] };
  return (
    <div className="filters" role="group" aria-label="Filters">
      <label>Key <select value={filters.keyId} onChange={(e) => setFilter({ keyId: e.target.value })} data-testid="filter-key">
        <option value="">All keys</option>
        {keys.map((k) => <option key={k.id} value={k.id}>{k.prefix}…{k.name ? ` ${k.name}` : ''}</option>)}
      </select></label>
      <label>Model <select value={filters.model} onChange={(e) => setFilter({ model: e.target.value })} data-testid="filter-model">
        <option value="">All models</option>
        {opts.models.map((m) => <option key={m} value={m}>{m}</option>)}
      </select></label>
      <label>Status <select value={filters.status} onChange={(e) => setFilter({ status: e.target.value })} data-testid="filter-status">
        <option value="">Any status</option>
        {opts.statuses.map((s) => <option key={s} value={s}>{s}</option>)}
      </select></label>
      <label>API <select value={filters.api} onChange={(e) => setFilter({ api: e.target.value as Filters['api'] })} data-testid="filter-api">
        <option value="">Any API</option>
        {API_NAMES.map(([v, label]) => <option key={v} value={v}>{label}</option>)}
      </select></label>
      <label>Time <select value={filters.since} onChange={(e) => setFilter({ since: e.target.value as Filters['since'] })} data-testid="filter-since">
        <option value="">All time</option><option value="1h">Last hour</option><option value="24h">Last 24 h</option><option value="7d">Last 7 days</option><option value="30d">Last 30 days</option>
      </select></label>
    </div>
  );
}
