/** Terraform state files written by tests: the smallest state that makes Terraform see an existing key. */

/**
 * A version-4 state in which the key `keyArn` exists at `aws_kms_key.<name>`, as Terraform records
 * it after apply (only the attributes a destroy plan needs).
 */
export function stateWithKey(keyArn: string, name = 'key'): unknown {
  const id = keyArn.split('/')[1];
  return {
    version: 4,
    terraform_version: '1.5.0',
    serial: 1,
    lineage: '6b1a3c1e-0000-4000-8000-00000000d002',
    outputs: {},
    resources: [
      {
        mode: 'managed',
        type: 'aws_kms_key',
        name,
        provider: 'provider["registry.terraform.io/hashicorp/aws"]',
        instances: [{ schema_version: 0, attributes: { id, key_id: id, arn: keyArn } }],
      },
    ],
  };
}
