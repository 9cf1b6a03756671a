/**
 * How a lookup of an AWS resource (a key, a secret, an IAM user or role) fails when the answer is
 * neither "found" nor "not there": the caller may not ask, or something else went wrong. The
 * lookups keep the error, so a check can name the permission it needs or the cause.
 */
import { isAccessDenied } from '../verify/diagnosis';

/** A lookup that got no answer about the resource. */
export type LookupFailure =
  /** The caller may not ask (AccessDenied). */
  | { readonly kind: 'denied'; readonly error: unknown }
  /** Anything else (throttling, network, an internal error of the service). */
  | { readonly kind: 'error'; readonly error: unknown };

/** `denied` for an AccessDenied error, `error` for any other. */
export function lookupFailure(error: unknown): LookupFailure {
  return isAccessDenied(error) ? { kind: 'denied', error } : { kind: 'error', error };
}
