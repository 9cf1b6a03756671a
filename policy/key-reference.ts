/**
 * A reference to an existing KMS key, as a user copies it from the console: a key id (UUID), a
 * multi-Region key id (`mrk-` and 32 hex digits) or a key ARN. Terraform imports a key by its id.
 */

/** A key reference taken apart. */
export interface KeyReference {
  /** The key id Terraform imports by. */
  readonly keyId: string;
  /** Whether the id is a multi-Region key's (`mrk-...`). */
  readonly multiRegion: boolean;
  /** Where the ARN said the key is, when the reference was an ARN. */
  readonly arn?: { readonly partition: string; readonly region: string; readonly accountId: string };
}

const KEY_ID = /^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|mrk-[0-9a-f]{32})$/;
const KEY_ARN = /^arn:([a-z-]+):kms:([a-z0-9-]+):(\d{12}):key\/(.+)$/;

/** The reference taken apart, or undefined when it is none of the three forms. */
export function parseKeyReference(reference: string): KeyReference | undefined {
  const arn = KEY_ARN.exec(reference);
  const keyId = arn ? arn[4] : reference;
  if (!KEY_ID.test(keyId)) return undefined;
  return {
    keyId,
    multiRegion: keyId.startsWith('mrk-'),
    arn: arn ? { partition: arn[1], region: arn[2], accountId: arn[3] } : undefined,
  };
}

/** Where the key must be: the environment's partition, region and (when known) account. */
export interface KeyLocation {
  readonly partition: string;
  readonly region: string;
  readonly accountId: string | undefined;
}

/** What in an ARN reference disagrees with where the key must be, one phrase each. */
export function keyReferenceMismatches(reference: KeyReference, location: KeyLocation): string[] {
  if (!reference.arn) return [];
  const { arn } = reference;
  return [
    ...(arn.partition !== location.partition ? [`is in partition ${arn.partition}, not ${location.partition}`] : []),
    ...(arn.region !== location.region ? [`is in region ${arn.region}, not ${location.region}`] : []),
    ...(location.accountId !== undefined && arn.accountId !== location.accountId
      ? [`is in account ${arn.accountId}, not ${location.accountId}`]
      : []),
  ];
}
