/**
 * The key policy's size as KMS counts it, shared by synth and the access report's lint: compact
 * JSON as the provider sends it, UTF-8 bytes; 32,768 bytes pass, 32,769 do not.
 */
import { keyPolicySizeProblem, KEY_POLICY_MAX_BYTES, policyBytes, providerPolicyJson } from '../../policy/size';
import type { PolicyDocument } from '../../policy/render';

/** A one-statement policy whose Sid is padded so that the whole policy is `bytes` long. */
function policyOf(bytes: number): PolicyDocument {
  const base: PolicyDocument = { Version: '2012-10-17', Statement: [{ Sid: '', Effect: 'Allow', Action: ['kms:*'], Resource: ['*'] }] };
  const padding = bytes - policyBytes(base);
  return { ...base, Statement: [{ ...base.Statement[0], Sid: 'S'.repeat(padding) }] };
}

describe('the size KMS counts', () => {
  test('compact, keys sorted, single-item lists as strings, as the provider normalises it', () => {
    const document: PolicyDocument = {
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'A',
          Effect: 'Allow',
          Principal: { AWS: ['arn:aws:iam::111122223333:root'] },
          Action: ['kms:Decrypt', 'kms:Encrypt'],
          Resource: ['*'],
          Condition: {
            StringEquals: { 'kms:ViaService': ['secretsmanager.eu-west-1.amazonaws.com'], 'kms:CallerAccount': ['111122223333'] },
          },
        },
      ],
    };
    expect(providerPolicyJson(document)).toBe(
      '{"Statement":[{"Action":["kms:Decrypt","kms:Encrypt"],"Condition":{"StringEquals":{"kms:CallerAccount":"111122223333","kms:ViaService":"secretsmanager.eu-west-1.amazonaws.com"}},"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Resource":"*","Sid":"A"}],"Version":"2012-10-17"}',
    );
  });

  test('UTF-8 bytes, and the characters json.Marshal escapes count as six', () => {
    const ascii = policyBytes({ Version: '2012-10-17', Statement: [{ Sid: 'x', Effect: 'Allow', Action: 'kms:*' }] });
    expect(policyBytes({ Version: '2012-10-17', Statement: [{ Sid: 'é', Effect: 'Allow', Action: 'kms:*' }] })).toBe(ascii + 1);
    expect(policyBytes({ Version: '2012-10-17', Statement: [{ Sid: '<', Effect: 'Allow', Action: 'kms:*' }] })).toBe(ascii + 5);
  });

  test('32,768 bytes pass; 32,769 bytes fail', () => {
    expect(KEY_POLICY_MAX_BYTES).toBe(32_768);
    expect(policyBytes(policyOf(32_768))).toBe(32_768);
    expect(keyPolicySizeProblem(policyBytes(policyOf(32_768)))).toBeUndefined();
    expect(policyBytes(policyOf(32_769))).toBe(32_769);
    expect(keyPolicySizeProblem(policyBytes(policyOf(32_769)))).toBe('the key policy would be 32769 bytes; KMS allows at most 32768');
  });
});
