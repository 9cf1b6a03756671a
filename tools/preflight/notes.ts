/** Lines several checks add to their diagnosis. */

/**
 * Preflight cannot read the Terraform state, so a resource this stack created on an earlier
 * deploy looks the same as one made by someone else.
 */
export const ALREADY_DEPLOYED_NOTE =
  'if this environment has been deployed before, this stack made it and nothing is wrong: preflight is for the first deploy (and for deploys that add resources), and cannot read the Terraform state';
