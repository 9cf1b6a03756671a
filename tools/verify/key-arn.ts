/** KMS key ARNs: taking them apart and building them. */

/** The parts of `arn:<partition>:kms:<region>:<account>:key/<id>`. */
export interface KeyArn {
  readonly partition: string;
  readonly region: string;
  readonly accountId: string;
  readonly keyId: string;
}

const KEY_ARN = /^arn:([a-z-]+):kms:([a-z0-9-]+):(\d{12}):key\/(.+)$/;

/** Parses a key ARN; undefined for anything else (aliases, bare key ids). */
export function parseKeyArn(value: string): KeyArn | undefined {
  const match = KEY_ARN.exec(value);
  return match ? { partition: match[1], region: match[2], accountId: match[3], keyId: match[4] } : undefined;
}

/** `arn:<partition>:kms:<region>:<account>:key/<id>`. */
export function keyArn(parts: KeyArn): string {
  return `arn:${parts.partition}:kms:${parts.region}:${parts.accountId}:key/${parts.keyId}`;
}
