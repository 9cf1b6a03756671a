/**
 * Fixed Terraform addresses. Resources in nested constructs get a hash suffix derived from the
 * construct path, so moving a construct would change its address: with `prevent_destroy` that is a
 * failed plan, without it a destroyed key. The constructs name their resources after their own id.
 */
import type { TerraformElement } from 'cdktf';

/** A Terraform-safe name for a construct id: `secrets-key` becomes `secrets_key`. */
export function terraformName(id: string): string {
  const name = id.replace(/[^A-Za-z0-9_]/g, '_');
  return /^[A-Za-z_]/.test(name) ? name : `_${name}`;
}

/** Gives `element` the address `<type>.<name>` whatever its place in the construct tree. */
export function fixAddress<T extends TerraformElement>(element: T, name: string): T {
  element.overrideLogicalId(name);
  return element;
}
