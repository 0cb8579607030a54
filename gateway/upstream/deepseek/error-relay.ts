/** Reads a non-200 upstream answer's body and maps it to the error the client should get. */
import { errorMessageOf, failedAfterHeaders, upstreamStatusOutcome } from './errors';
import type { BodyRelay, RelayContext } from './relay-context';

export class ErrorRelay implements BodyRelay {
  private readonly chunks: Buffer[] = [];

  constructor(private readonly ctx: RelayContext, private readonly status: number, private readonly retryAfter?: string) {}

  onData(chunk: Buffer): boolean {
    this.chunks.push(chunk);
    return true;
  }

  onComplete(): void {
    const text = Buffer.concat(this.chunks).toString('utf8');
    const outcome = upstreamStatusOutcome(this.status, errorMessageOf(text), this.retryAfter);
    this.ctx.settle({ ...outcome, upstreamRequestId: this.ctx.traceId });
  }

  onError(err: Error): void {
    this.ctx.settle(failedAfterHeaders(this.ctx, err));
  }
}
