import { describe, expect, it } from 'vitest';
import type { Actor } from '../../tools/core/actor.ts';
import { identityOf, type McpSession, McpSessions } from './mcp-sessions.ts';

const nurse: Actor = { id: 'staff:nurse', kind: 'staff', scopes: ['beds:read'] };
const app: Actor = { id: 'patient-app:a', kind: 'patient-app', scopes: [], patientId: 'pat-1' };

/** A session whose server only records that it was closed: the registry's bookkeeping is under test. */
function session(id: string, actor: Actor, closed: string[]): McpSession {
  return {
    id,
    identity: identityOf(actor),
    route: '/mcp/beds',
    lastSeen: 0,
    server: { close: async () => void closed.push(id) } as unknown as McpSession['server'],
    transport: {} as McpSession['transport'],
    context: {} as McpSession['context'],
  };
}

describe('the MCP session registry', () => {
  it('refuses new sessions at the total cap until one has been idle too long', async () => {
    let now = 0;
    const closed: string[] = [];
    const sessions = new McpSessions({ total: 2, perIdentity: 5, idleMs: 1_000 }, () => now);
    sessions.add(session('a', nurse, closed));
    now = 500;
    sessions.add(session('b', app, closed));
    expect(sessions.hasRoom()).toBe(false);
    now = 1_200; // a is idle for 1.2 s, b for 0.7 s
    expect(sessions.hasRoom()).toBe(true);
    await Promise.resolve();
    expect(closed).toEqual(['a']);
    expect(sessions.find('b', app, '/mcp/beds')).toBeDefined();
    await sessions.closeAll();
  });

  it('closes an identity’s least recently used session beyond its limit, not another identity’s', async () => {
    let now = 0;
    const closed: string[] = [];
    const sessions = new McpSessions({ total: 10, perIdentity: 2, idleMs: 60_000 }, () => now);
    sessions.add(session('n1', nurse, closed));
    sessions.add(session('p1', app, closed));
    now = 10;
    sessions.add(session('n2', nurse, closed));
    now = 20;
    expect(sessions.find('n1', nurse, '/mcp/beds')).toBeDefined(); // n1 is now the more recent
    sessions.add(session('n3', nurse, closed));
    await Promise.resolve();
    expect(closed).toEqual(['n2']);
    expect(sessions.size).toBe(3);
    await sessions.closeAll();
  });

  it('finds a session only for the identity and route that opened it', async () => {
    const sessions = new McpSessions();
    sessions.add(session('s', app, []));
    expect(sessions.find('s', app, '/mcp/beds')).toBeDefined();
    expect(sessions.find('s', app, '/mcp/staffing')).toBeUndefined();
    expect(sessions.find('s', { ...app, patientId: 'pat-2' }, '/mcp/beds')).toBeUndefined();
    expect(sessions.find('s', nurse, '/mcp/beds')).toBeUndefined();
    await sessions.closeAll();
  });
});
