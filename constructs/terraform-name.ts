/**
 * Fixed Terraform addresses. Resources in nested constructs get a hash suffix derived from the
 * construct path, so moving a construct would change its address: with `prevent_destroy` that is a
 * failed plan, without it a destroyed key. The constructs name their resources after their own id.
 *
 * A fixed address can collide: two keys with the id `key` under different parents would both be
 * `aws_kms_key.key`, and cdktf would silently keep one. Every fixed address is recorded per stack,
 * and a second construct asking for the same one fails at once, naming both construct paths.
 */
import { TerraformDataSource, type TerraformElement, TerraformResource, TerraformStack } from 'cdktf';

/** A Terraform-safe name for a construct id: `secrets-key` becomes `secrets_key`. */
export function terraformName(id: string): string {
  const name = id.replace(/[^A-Za-z0-9_]/g, '_');
  return /^[A-Za-z_]/.test(name) ? name : `_${name}`;
}

/** The fixed addresses of each stack so far: address -> construct path. */
const addressesByStack = new WeakMap<TerraformStack, Map<string, string>>();

/** The kind of block an element is, for its address: `aws_kms_key`, `data.aws_iam_policy_document`, `output`. */
function addressKind(element: TerraformElement): string {
  if (element instanceof TerraformDataSource) return `data.${element.terraformResourceType}`;
  if (element instanceof TerraformResource) return element.terraformResourceType;
  return element.constructor.name;
}

/**
 * Gives `element` the address `<type>.<name>` whatever its place in the construct tree. Throws when
 * another construct of the same stack already has that address.
 */
export function fixAddress<T extends TerraformElement>(element: T, name: string): T {
  const stack = TerraformStack.of(element);
  const taken = addressesByStack.get(stack) ?? new Map<string, string>();
  addressesByStack.set(stack, taken);
  const address = `${addressKind(element)}.${name}`;
  const first = taken.get(address);
  if (first !== undefined) {
    throw new Error(
      `${element.node.path}: its Terraform address ${address} is already taken by ${first}; give one of the two constructs another id (addresses follow construct ids, so that moving a construct never moves its resource)`,
    );
  }
  taken.set(address, element.node.path);
  element.overrideLogicalId(name);
  return element;
}
