import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import type { Database } from '../db/client.ts';

export async function callTool(client: Client, name: string, args: Record<string, unknown>) {
  return (await client.callTool({ name, arguments: args })) as CallToolResult;
}

export const toolText = (r: CallToolResult) =>
  r.content.map((c) => (c.type === 'text' ? c.text : '')).join('\n');

/** Rows in a table, or in `table where …`: what a rejected request must leave unchanged. */
export async function rowCount(database: Database, table: string): Promise<number> {
  const [row] = await database.sql.unsafe(`select count(*)::int as n from ${table}`);
  return row!.n as number;
}
