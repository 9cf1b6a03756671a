/** The `aws_kms_grant` of one KMS grant on a key: constraints as literal text, a fixed address. */
import { KmsGrant } from '@cdktf/provider-aws/lib/kms-grant';
import type { Construct } from 'constructs';
import { kmsGrantAddressName, type ResolvedKmsGrantSettings } from '../config/kms-grant-schema';
import { fixAddress } from './terraform-name';
import { terraformStringMap } from './terraform-values';

/** Creates `aws_kms_grant.<keyName>_grant_<name>` on the key with id `keyId`. */
export function createKmsGrantResource(scope: Construct, keyName: string, keyId: string, grant: ResolvedKmsGrantSettings): KmsGrant {
  const constraint =
    grant.encryptionContextEquals !== undefined
      ? { encryptionContextEquals: terraformStringMap(grant.encryptionContextEquals) }
      : grant.encryptionContextSubset !== undefined
        ? { encryptionContextSubset: terraformStringMap(grant.encryptionContextSubset) }
        : undefined;
  const address = kmsGrantAddressName(keyName, grant.name);
  return fixAddress(
    new KmsGrant(scope, `grant_${address}`, {
      name: grant.name,
      keyId,
      granteePrincipal: grant.granteePrincipal,
      operations: [...grant.operations],
      retiringPrincipal: grant.retiringPrincipal,
      constraints: constraint ? [constraint] : undefined,
    }),
    address,
  );
}
