/**
 * Who is acting. Scopes are `<area>:<read|write>` strings; an operation names the one it needs.
 * A patient-scoped actor (a patient app, or an agent acting for one patient) may touch only that patient.
 */
export interface Actor {
  id: string;
  kind: 'staff' | 'admin' | 'patient-app' | 'billing' | 'agent' | 'system' | 'mcp-client';
  scopes: readonly string[];
  patientId?: string | undefined;
}

export const roleScopes = {
  admin: ['*'],
  staff: [
    'health-data:read',
    'health-data:write',
    'beds:read',
    'beds:write',
    'staffing:read',
    'escalations:read',
    'notifications:write',
    // Nurses and pharmacy staff receive, move and dispense stock.
    'inventory:read',
    'inventory:write',
    // Surgeons' offices request surgeries; theatre staff see how they were planned.
    'surgery:read',
    'surgery:write',
  ],
  'patient-app': ['health-data:read', 'health-data:write', 'escalations:read'],
  // The billing office: the revenue cycle, and the encounters it bills from.
  billing: ['revenue:read', 'revenue:write', 'beds:read'],
} as const satisfies Record<string, readonly string[]>;

export function hasScope(actor: Actor, scope: string): boolean {
  return actor.scopes.includes('*') || actor.scopes.includes(scope);
}

export const systemActor: Actor = { id: 'system', kind: 'system', scopes: ['*'] };
