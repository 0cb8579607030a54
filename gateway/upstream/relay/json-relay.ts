/** Non-stream relay: collect the whole answer (skipping keep-alive blank lines), then the wire reads and forwards it once. */
import { failedAfterHeaders } from './errors';
import type { BodyRelay, RelayContext } from './relay-context';

function firstNonBlank(buf: Buffer): number {
  let i = 0;
  while (i < buf.length && (buf[i] === 10 || buf[i] === 13 || buf[i] === 32 || buf[i] === 9)) i++;
  return i;
}

/** Relays a 200 JSON answer; DeepSeek may send blank lines for a long while before the JSON. */
export class JsonRelay implements BodyRelay {
  private readonly chunks: Buffer[] = [];
  private started = false;

  constructor(private readonly ctx: RelayContext) {}

  onData(chunk: Buffer): boolean {
    if (!this.started && firstNonBlank(chunk) < chunk.length) { this.started = true; this.ctx.guard.gotFirstByte(); }
    this.chunks.push(chunk);
    return true;
  }

  onComplete(): void {
    const { chunks } = this;
    const buf = chunks.length === 1 ? chunks[0] : Buffer.concat(chunks);
    this.ctx.settle(this.ctx.wire.answer(this.ctx, buf, firstNonBlank(buf)));
  }

  onError(err: Error): void {
    this.ctx.settle(failedAfterHeaders(this.ctx, err));
  }
}
