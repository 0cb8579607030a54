/** What a relay needs about the call in flight. */
import type { ServerResponse } from 'node:http';
import type { ChatCall } from '../adapter';
import type { CallGuard } from '../call-guard';

export interface RelayContext {
  call: ChatCall;
  res: ServerResponse;
  guard: CallGuard;
  /** performance.now() when the call started. */
  startedAt: number;
  origin: string;
  /** The upstream's `x-ds-trace-id`, used as request id when the body never names one. */
  traceId?: string;
}
