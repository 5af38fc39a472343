import assert from 'node:assert/strict';
import { AppError } from '../../src/domain/errors';

/** The AppError a call fails with; fails the test when the call succeeds or throws something else. */
export async function rejection(promise: Promise<unknown>): Promise<AppError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof AppError, `expected AppError, got ${String(error)}`);
    return error;
  }
  assert.fail('expected the call to fail');
}
