/**
 * Terraform `import` blocks for resources that already exist, written through a stack override
 * (`import: [{ to, id }]`). cdktf 0.21's `importFrom` would do the same but adds a validation that
 * runs `terraform version` during synth, which breaks synth where Terraform is absent and the tools
 * that synthesize in-process. Each stack keeps one list, so several constructs can import.
 */
import { TerraformStack, type TerraformResource } from 'cdktf';

/** One import block. */
export interface ImportBlock {
  /** The resource's address, e.g. `aws_kms_key.key`. */
  readonly to: string;
  /** The id the provider imports by (a key id, `alias/<name>`, a role name). */
  readonly id: string;
}

const importsByStack = new WeakMap<TerraformStack, ImportBlock[]>();

/** Adds an import block for `resource` (at its final address) with `id`. */
export function importExisting(resource: TerraformResource, id: string): void {
  const stack = TerraformStack.of(resource);
  const blocks = importsByStack.get(stack) ?? [];
  const to = `${resource.terraformResourceType}.${resource.friendlyUniqueId}`;
  if (blocks.some((block) => block.to === to)) throw new Error(`${resource.node.path}: ${to} is imported twice`);
  blocks.push({ to, id });
  importsByStack.set(stack, blocks);
  stack.addOverride(
    'import',
    blocks.map((block) => ({ ...block })),
  );
}

/** The import blocks of `stack` so far. */
export function importsOf(stack: TerraformStack): readonly ImportBlock[] {
  return importsByStack.get(stack) ?? [];
}
