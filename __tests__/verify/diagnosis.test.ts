import { NotFoundException } from '@aws-sdk/client-kms';
import { accessDeniedCause, diagnoseKmsError, isAccessDenied, isCredentialsError, type RequestScope } from '../../tools/verify/diagnosis';
import { ACCOUNT, AUDITOR, KEY_ARN, kmsAccessDenied, kmsError } from './fixtures';

const scope: RequestScope = { keyRef: KEY_ARN, region: 'us-east-1', configRegion: 'us-east-1', callerAccount: ACCOUNT };

describe('diagnosis of AccessDenied', () => {
  test('recognises KMS\u2019s AccessDeniedException and IAM\u2019s AccessDenied', () => {
    expect(isAccessDenied(kmsAccessDenied('kms:Encrypt', AUDITOR))).toBe(true);
    expect(isAccessDenied(Object.assign(new Error('x'), { name: 'AccessDenied' }))).toBe(true);
    expect(isAccessDenied(new NotFoundException({ message: 'x', $metadata: {} }))).toBe(false);
  });

  test('points at the key policy, the IAM policy or an explicit deny, as the message says', () => {
    expect(accessDeniedCause('... because no resource-based policy allows the kms:Decrypt action')).toMatch(
      /^the key policy does not allow it/,
    );
    expect(accessDeniedCause('... because no identity-based policy allows the kms:Decrypt action')).toMatch(
      /^the caller's IAM policies do not allow it/,
    );
    expect(accessDeniedCause('... with an explicit deny in a service control policy')).toBe(
      'an explicit Deny in a service control policy blocks it; a Deny wins over every Allow',
    );
    expect(accessDeniedCause('User: x is not authorized to perform: kms:Decrypt')).toMatch(
      /^check the key policy and the caller's IAM policies/,
    );
  });

  test('says it cannot tell a missing permission from a key of another account', () => {
    const other = diagnoseKmsError(kmsAccessDenied('kms:GetKeyPolicy', AUDITOR, 'arn:aws:kms:us-east-1:444455556666:key/abcd'), {
      ...scope,
      keyRef: 'arn:aws:kms:us-east-1:444455556666:key/abcd',
    });
    expect(other.ambiguity).toMatch(/the key ARN is in account 444455556666, the caller in 111122223333/);
  });

  test('says it cannot tell a missing permission from a key ARN of another region', () => {
    const other = diagnoseKmsError(kmsAccessDenied('kms:DescribeKey', AUDITOR), { ...scope, region: 'eu-west-1' });
    expect(other.ambiguity).toMatch(/the key ARN is in us-east-1, the request went to eu-west-1/);
  });

  test('is not ambiguous for a key in the caller\u2019s account and region', () => {
    expect(diagnoseKmsError(kmsAccessDenied('kms:Encrypt', AUDITOR), scope).ambiguity).toBeUndefined();
  });
});

describe('diagnosis of other KMS errors', () => {
  test('treats a missing credential chain as no credentials', () => {
    const error = Object.assign(new Error('Could not load credentials from any providers'), { name: 'CredentialsProviderError' });
    expect(isCredentialsError(error)).toBe(true);
    expect(diagnoseKmsError(error, scope).summary).toBe(
      'no usable credentials (CredentialsProviderError: Could not load credentials from any providers)',
    );
  });

  test('treats throttling as transient', () => {
    expect(diagnoseKmsError(kmsError('ThrottlingException', 'Rate exceeded'), scope).details).toEqual([
      'a transient condition; run verify again',
    ]);
  });
});
