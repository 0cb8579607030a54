/** Shared types of the admin service's handler groups. */
import type { Core } from '../../core';
import type { AdminMethod, AdminRequest, AdminResponse, TlsInfo } from '../contract';

/** What the serving process tells the admin service about itself. */
export interface AdminContext {
  /** The gateway's own URL as bound (e.g. http://127.0.0.1:8787). */
  gatewayUrl(): string;
  /** OpenAI base URLs reachable from the LAN (empty unless LAN listening is on). */
  lanUrls(): string[];
  /** How the gateway listens (TLS or plain HTTP); absent: plain HTTP on loopback. */
  tls?(): TlsInfo | undefined;
}

export interface Deps { core: Core; ctx: AdminContext; startedAt: number }

/** A handler per method: returns data or throws (AdminError, LedgerError, ...); service.ts maps throws. */
export type Handlers = { [M in AdminMethod]: (req: AdminRequest<M>) => AdminResponse<M> | Promise<AdminResponse<M>> };

/** The client-facing base URL: a wildcard bind address is not something a client can dial. */
export function clientBaseUrl(gatewayUrl: string): string {
  return gatewayUrl.replace('://0.0.0.0:', '://127.0.0.1:').replace('://[::]:', '://127.0.0.1:').replace(/\/+$/, '') + '/v1';
}
