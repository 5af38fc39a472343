import { invoke } from '@forge/bridge';
import type { ResolverKey, ResolverMap } from './api-types';
import { ResolverError, unwrapEnvelope } from './resolver-envelope';

export { ResolverError, errorMessage, unwrapEnvelope } from './resolver-envelope';

/** Calls one resolver through the Forge bridge and returns its `data`, or throws a ResolverError. */
export async function call<K extends ResolverKey>(
  key: K,
  payload: ResolverMap[K]['payload'],
): Promise<ResolverMap[K]['result']> {
  let envelope: unknown;
  try {
    envelope = await invoke(key, payload);
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    throw new ResolverError('network', `Remediate did not answer (${detail}). Try again in a moment; if it keeps happening, check your connection.`);
  }
  return unwrapEnvelope<ResolverMap[K]['result']>(envelope);
}
