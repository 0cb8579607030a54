/** QR codes for deposit requests, drawn in the window as SVG (an <img> data: URL passes the CSP; no inline script or style). */
import QRCode from 'qrcode';

/** The QR of `text` as a `data:image/svg+xml` URL. */
export async function qrDataUrl(text: string): Promise<string> {
  const svg = await QRCode.toString(text, { type: 'svg', margin: 2, errorCorrectionLevel: 'M', color: { dark: '#000000ff', light: '#ffffffff' } });
  return `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`;
}
