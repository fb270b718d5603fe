/**
 * Progress and cancellation of a tool call, as MCP carries them: a request with `_meta.progressToken`
 * may be sent `notifications/progress` whose progress only increases, and `notifications/cancelled`
 * aborts the request's signal (modelcontextprotocol.io/specification/2025-06-18/basic/utilities/progress
 * and …/cancellation).
 */
import type { RequestHandlerExtra } from '@modelcontextprotocol/sdk/shared/protocol.js';
import type { ServerNotification, ServerRequest } from '@modelcontextprotocol/sdk/types.js';
import type { OperationContext } from '../tools/core/operation.ts';

export type CallExtra = RequestHandlerExtra<ServerRequest, ServerNotification>;

/** A progress callback for the operation, or undefined when the caller asked for none. */
export function progressReporter(extra: CallExtra): OperationContext['progress'] {
  const token = extra._meta?.progressToken;
  if (token === undefined) return undefined;
  let last = Number.NEGATIVE_INFINITY;
  return (done, total, message) => {
    // The spec requires progress to increase with each notification; a repeat or a step back is dropped.
    if (!(done > last) || extra.signal.aborted) return;
    last = done;
    void extra
      .sendNotification({
        method: 'notifications/progress',
        params: {
          progressToken: token,
          progress: done,
          ...(total === undefined ? {} : { total }),
          ...(message === undefined ? {} : { message }),
        },
      })
      .catch(() => {
        // A client that went away stops getting progress; the call itself carries on or is cancelled.
      });
  };
}

/** The caller's context with this call's progress and cancellation. */
export function callContext(base: OperationContext, extra: CallExtra): OperationContext {
  const progress = progressReporter(extra);
  return { ...base, signal: extra.signal, ...(progress ? { progress } : {}) };
}
