export * from './hospital.ts';
export * from './people.ts';
export * from './health.ts';
export * from './escalations.ts';
export * from './runtime.ts';
export * from './audit.ts';
export * from './revenue.ts';
export * from './inventory.ts';
