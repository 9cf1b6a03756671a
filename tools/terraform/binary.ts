/**
 * Finds the Terraform CLI the way cdktf does. The lookup lives in the app (`npm run synth -- --hcl`
 * formats with it); the tools import it from here.
 */
export { type BinaryLookup, findTerraformBinary, TERRAFORM_BINARY_ENV } from '../../app/terraform-binary';
