import { expect } from 'vitest';
import { OperationError } from '../tools/core/errors.ts';

/** The OperationError a call is refused with; fails the test when the call succeeds or throws anything else. */
export async function refusal(promise: Promise<unknown>): Promise<OperationError> {
  const err = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(OperationError);
  return err as OperationError;
}
