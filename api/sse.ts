import type { Context } from 'hono';
import { type SSEStreamingApi, streamSSE } from 'hono/streaming';

export interface PollOptions {
  /** How long to wait before polling again when nothing was new (default 250 ms). */
  ssePollMs?: number;
  /** How long one stream may stay open before the client must reconnect (default 10 min). */
  sseMaxMs?: number;
}

const KEEP_ALIVE_MS = 15_000;

/**
 * A server-sent-events stream fed by polling: `poll` writes what is new and says whether it sent
 * anything, found nothing, or reached the end. Stops when the client leaves or the time is up; a
 * comment now and then keeps proxies from closing a quiet stream.
 */
export function pollingStream(
  c: Context,
  opts: PollOptions,
  poll: (stream: SSEStreamingApi) => Promise<'sent' | 'idle' | 'done'>,
) {
  return streamSSE(c, async (stream) => {
    const deadline = Date.now() + (opts.sseMaxMs ?? 10 * 60_000);
    let closed = false;
    let quietSince = Date.now();
    stream.onAbort(() => {
      closed = true;
    });
    while (!closed && Date.now() < deadline) {
      const result = await poll(stream);
      if (result === 'done') return;
      if (result === 'sent') {
        quietSince = Date.now();
        continue;
      }
      if (Date.now() - quietSince > KEEP_ALIVE_MS) {
        await stream.write(': keep-alive\n\n');
        quietSince = Date.now();
      }
      await stream.sleep(opts.ssePollMs ?? 250);
    }
  });
}
