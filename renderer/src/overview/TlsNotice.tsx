import { useEffect, useState } from 'react';
import type { TlsInfo } from '../../../gateway/admin/contract';
import { api, unwrap } from '../api/api';

/** How LAN clients reach the gateway: the certificate's fingerprint with HTTPS, a warning with plain HTTP on the LAN. */
export function TlsNotice() {
  const [tls, setTls] = useState<TlsInfo | null>(null);
  useEffect(() => { void unwrap(api.getTls({})).then(setTls, () => setTls(null)); }, []);
  if (!tls) return null;
  if (tls.lanPlainHttp) {
    return <p className="warn-box" role="alert" data-testid="plain-http-warning"><strong>Plain HTTP on the LAN:</strong> API keys and prompts cross your network in clear. Turn on encryption in <a href="#/settings">Settings → Network</a> (or start with <code>gogogo serve --tls-self-signed</code>).</p>;
  }
  if (!tls.enabled) return null;
  return <p className="muted" data-testid="tls-fingerprint">HTTPS{tls.selfSigned ? ' (self-signed)' : ''}. Certificate <code>{tls.certFile}</code>, SHA-256 fingerprint <code className="fingerprint">{tls.fingerprint}</code></p>;
}
