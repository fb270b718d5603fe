/**
 * One `notifications/message` per tool call, honouring the level the client set with
 * `logging/setLevel` (modelcontextprotocol.io/specification/2025-06-18/server/utilities/logging).
 * Levels are the syslog severities of RFC 5424, least severe first.
 */
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import {
  type LoggingLevel,
  LoggingLevelSchema,
  SetLevelRequestSchema,
} from '@modelcontextprotocol/sdk/types.js';
import type { CallExtra } from './progress.ts';

const severity = new Map<LoggingLevel, number>(LoggingLevelSchema.options.map((level, i) => [level, i]));

export type ToolOutcome = 'ok' | 'refused' | 'fault' | 'cancelled';

const levelOf: Record<ToolOutcome, LoggingLevel> = {
  ok: 'info',
  refused: 'warning',
  cancelled: 'notice',
  fault: 'error',
};

export interface ToolCallLog {
  tool: string;
  module: string;
  outcome: ToolOutcome;
  callerId: string;
  detail?: string;
}

/**
 * The server's log channel. The SDK's own setLevel handler is replaced so the level is known here:
 * messages go out through the request's own stream (`extra.sendNotification`), which Streamable HTTP
 * delivers with the answer, so the SDK's session-wide sender cannot be used.
 */
export function toolCallLogger(server: McpServer): (extra: CallExtra, entry: ToolCallLog) => void {
  // Per session, as the SDK keeps it; undefined is the in-memory and stdio transports' only session.
  const levels = new Map<string | undefined, LoggingLevel>();
  server.server.setRequestHandler(SetLevelRequestSchema, async (request, extra) => {
    levels.set(extra.sessionId, request.params.level);
    return {};
  });
  return (extra, entry) => {
    const level = levelOf[entry.outcome];
    const minimum = levels.get(extra.sessionId);
    if (minimum !== undefined && (severity.get(level) ?? 0) < (severity.get(minimum) ?? 0)) return;
    const { module, ...data } = entry;
    void extra
      .sendNotification({
        method: 'notifications/message',
        params: { level, logger: `carebridge.${module}`, data },
      })
      .catch(() => {
        // Logging never fails a call.
      });
  };
}
