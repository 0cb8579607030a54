import { useEffect, useState, type FormEvent } from 'react';
import { useSettings } from './settings-store';
import { ErrorBox, Loading } from '../components/States';
import { messageOf } from '../lib/resource';

/** Bind address, port and the LAN toggle. Stored now, applied on the gateway's next start. */
export function NetworkSection() {
  const { data, error } = useSettings((s) => s.network);
  const [port, setPort] = useState('');
  const [lan, setLan] = useState(false);
  const [formError, setFormError] = useState<string | null>(null);
  useEffect(() => { if (data) { setPort(String(data.port)); setLan(data.lanEnabled); } }, [data]);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const n = Number(port);
    if (!Number.isInteger(n) || n < 1 || n > 65535) return setFormError('Port must be a number from 1 to 65535.');
    setFormError(null);
    try { await useSettings.getState().saveNetwork({ host: lan ? '0.0.0.0' : '127.0.0.1', port: n, lanEnabled: lan }); } catch (err) { setFormError(messageOf(err)); }
  };
  return (
    <form className="card form" id="network" onSubmit={submit} data-testid="settings-network">
      <h2>Network</h2>
      {error ? <ErrorBox error={error} /> : !data ? <Loading /> : (
        <>
          <label>Port <input value={port} onChange={(e) => setPort(e.target.value)} inputMode="numeric" data-testid="network-port" /></label>
          <label className="switch"><input type="checkbox" checked={lan} onChange={(e) => setLan(e.target.checked)} data-testid="network-lan" /> Allow other machines on my network (LAN)</label>
          {lan && <p className="warn-box" role="note"><strong>Heads up:</strong> with LAN access on, the gateway listens on every network interface. Anyone on your network who has a key can spend its credit, and traffic is plain HTTP. The admin window itself stays on this machine only.</p>}
          <p className="muted" data-testid="network-note">Bind address: <code>{data.host}</code>. {data.note}{data.restartRequired && <strong> Saved settings differ from the running gateway: restart it to apply them.</strong>}</p>
          {formError && <p className="form-error" role="alert">{formError}</p>}
          <div className="actions actions-left"><button type="submit" className="btn btn-primary" data-testid="network-save">Save (applies on restart)</button></div>
        </>
      )}
    </form>
  );
}
