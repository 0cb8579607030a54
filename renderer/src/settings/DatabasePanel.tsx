import { useEffect, useState } from 'react';
import type { DatabaseInfo } from '../../../gateway/admin/contract';
import { api, unwrap } from '../api/api';
import { formatAgo, formatTime } from '../lib/format';

/** Which database holds the ledger (SQLite file or PostgreSQL host/database) and which gateway instances are live on it. */
export function DatabasePanel() {
  const [info, setInfo] = useState<DatabaseInfo | null>(null);
  const [failed, setFailed] = useState<string | null>(null);
  useEffect(() => { void unwrap(api.getDatabase({})).then(setInfo, (e: Error) => setFailed(e.message)); }, []);
  if (failed) return <p className="muted" data-testid="database-error">Database: {failed}</p>;
  if (!info) return null;
  return (
    <div data-testid="database-panel">
      <dl className="kv">
        <dt>Ledger</dt>
        <dd data-testid="database-kind">{info.database === 'postgresql' ? 'PostgreSQL' : 'SQLite'} <span className="muted mono" data-testid="database-location">{info.location}</span></dd>
        <dt>Instances</dt>
        <dd>
          <ul className="instances" data-testid="database-instances">
            {info.instances.map((i) => (
              <li key={i.id} data-testid="database-instance">
                <span className="mono">{i.host}</span> · pid {i.pid} · since {formatTime(i.startedAt)} · renewed {formatAgo(i.renewedAt)}{i.self ? ' · this one' : ''}
              </li>
            ))}
          </ul>
        </dd>
      </dl>
    </div>
  );
}
