import { useEffect, useState, type FormEvent } from 'react';
import { useSettings } from './settings-store';
import { ErrorBox, Loading } from '../components/States';
import { messageOf } from '../lib/resource';

/** Bind address, port and the LAN toggle. Stored now, applied on the gateway's next start. */
export function NetworkSection() {
  const { data, error } = useSettings((s) => s.network);
  const tlsNow = useSettings((s) => s.tls.data);
  const [port, setPort] = useState('');
  const [lan, setLan] = useState(false);
  const [tls, setTls] = useState(false);
  const [formError, setFormError] = useState<string | null>(null);
  useEffect(() => { if (data) { setPort(String(data.port)); setLan(data.lanEnabled); setTls(data.tls === 'self-signed'); } }, [data]);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const n = Number(port);
    if (!Number.isInteger(n) || n < 1 || n > 65535) return setFormError('Port must be a number from 1 to 65535.');
    setFormError(null);
    try { await useSettings.getState().saveNetwork({ host: lan ? '0.0.0.0' : '127.0.0.1', port: n, lanEnabled: lan, tls: tls ? 'self-signed' : 'off' }); } catch (err) { setFormError(messageOf(err)); }
  };
  return (
    <form className="card form" id="network" onSubmit={submit} data-testid="settings-network">
      <h2>Network</h2>
      {error ? <ErrorBox error={error} /> : !data ? <Loading /> : (
        <>
          <label>Port <input value={port} onChange={(e) => setPort(e.target.value)} inputMode="numeric" data-testid="network-port" /></label>
          <label className="switch"><input type="checkbox" checked={lan} onChange={(e) => setLan(e.target.checked)} data-testid="network-lan" /> Allow other machines on my network (LAN)</label>
          {lan && <label className="switch"><input type="checkbox" checked={tls} onChange={(e) => setTls(e.target.checked)} data-testid="network-tls" /> Encrypt LAN traffic (HTTPS with a certificate this gateway makes)</label>}
          {lan && <p className="warn-box" role="note"><strong>Heads up:</strong> with LAN access on, the gateway listens on every network interface. Anyone on your network who has a key can spend its credit{tls ? '' : ', and keys and prompts cross the network in clear (plain HTTP)'}. The admin window itself stays on this machine only.</p>}
          {tlsNow?.lanPlainHttp && <p className="warn-box" role="alert" data-testid="network-plain-warning"><strong>Running now on the LAN over plain HTTP:</strong> API keys and prompts cross the network in clear. Turn on encryption and restart.</p>}
          {tlsNow?.enabled && (
            <p className="muted" data-testid="network-tls-info">HTTPS is on{tlsNow.selfSigned ? ' with a self-signed certificate' : ''}: <code>{tlsNow.certFile}</code>. Clients trust it by that file (see the README, “TLS”); check its SHA-256 fingerprint:<br />
              <code className="fingerprint" data-testid="network-fingerprint">{tlsNow.fingerprint}</code></p>
          )}
          <p className="muted" data-testid="network-note">Bind address: <code>{data.host}</code>. {data.note}{data.restartRequired && <strong> Saved settings differ from the running gateway: restart it to apply them.</strong>}</p>
          {formError && <p className="form-error" role="alert">{formError}</p>}
          <div className="actions actions-left"><button type="submit" className="btn btn-primary" data-testid="network-save">Save (applies on restart)</button></div>
        </>
      )}
    </form>
  );
}
