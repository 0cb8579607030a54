/** Reads an error answer's body (a non-200, or a JSON body where an event stream was expected) and maps it. */
import { errorInfoOf, failedAfterHeaders, upstreamErrorOutcome } from './errors';
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
    const outcome = upstreamErrorOutcome(this.ctx.profile, errorInfoOf(this.status, text), this.retryAfter);
    outcome.upstreamRequestId = this.ctx.traceId;
    this.ctx.settle(outcome);
  }

  onError(err: Error): void {
    this.ctx.settle(failedAfterHeaders(this.ctx, err));
  }
}
