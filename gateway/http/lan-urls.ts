/**
 * OpenAI base URLs reachable from the LAN (empty unless the gateway binds a wildcard address): one answer for the
 * headless admin service (serve.ts) and the desktop's (electron/gateway-controller.ts).
 */
import os from 'node:os';

/** `http(s)://<LAN IPv4>:<port>/v1` for every non-internal interface when `host` is 0.0.0.0 or ::. */
export function lanUrls(host: string, port: number, scheme: 'http' | 'https' = 'http'): string[] {
  if (host !== '0.0.0.0' && host !== '::') return [];
  return Object.values(os.networkInterfaces()).flat()
    .filter((i): i is os.NetworkInterfaceInfo => !!i && i.family === 'IPv4' && !i.internal)
    .map((i) => `${scheme}://${i.address}:${port}/v1`);
}
