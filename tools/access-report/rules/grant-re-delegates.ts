/**
 * A KMS grant must not include CreateGrant: the grantee could then give its access, or more of the
 * key's use, to anyone. The config refuses it; this rule catches the same widening anywhere between
 * the config and the synthesized grant.
 */
import type { KmsGrantRule } from './rule';

/** Flags a grant whose operations include CreateGrant. */
export const grantReDelegates: KmsGrantRule = (grant) =>
  grant.operations.includes('CreateGrant')
    ? `grant ${grant.name} (${grant.address}) gives ${grant.granteePrincipal} CreateGrant, so it could re-delegate its access to anyone; allowed: the grant's other operations, without CreateGrant`
    : undefined;
