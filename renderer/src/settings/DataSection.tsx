import { useSettings } from './settings-store';
import { CopyButton } from '../components/CopyButton';
import { ErrorBox, Loading } from '../components/States';
import { toast } from '../components/toast-store';
import { formatBytes, formatTime } from '../lib/format';
import { messageOf } from '../lib/resource';
import { DatabasePanel } from './DatabasePanel';

/** Where the data lives, and consistent backups of the database while the gateway runs. */
export function DataSection() {
  const { data, error } = useSettings((s) => s.dataInfo);
  return (
    <div className="card" id="data" data-testid="settings-data">
      <h2>Data</h2>
      <DatabasePanel />
      {error ? <ErrorBox error={error} /> : !data ? <Loading /> : (
        <>
          <dl className="kv">
            <dt>Data folder</dt><dd className="mono" data-testid="data-dir">{data.dataDir} <CopyButton text={data.dataDir} /></dd>
            <dt>Database</dt><dd>{formatBytes(data.databaseBytes)} <span className="muted mono">{data.databaseFile}</span></dd>
            <dt>Provider keys</dt><dd>{data.secretStore}</dd>
          </dl>
          <div className="actions actions-left">
            <button type="button" className="btn btn-primary" data-testid="backup-now" onClick={() => useSettings.getState().backup().catch((e) => toast(messageOf(e), 'error'))}>Back up now</button>
          </div>
          <p className="muted">A backup is a complete, consistent copy of the ledger (SQLite <code>VACUUM INTO</code>), taken without stopping the gateway. Copy it somewhere safe.</p>
          {data.backups.length > 0 && (
            <ul className="backups" data-testid="backups">
              {data.backups.map((b) => <li key={b.file}><span className="mono">{b.file}</span> · {formatBytes(b.bytes)} · {formatTime(b.createdAt)}</li>)}
            </ul>
          )}
        </>
      )}
    </div>
  );
}
