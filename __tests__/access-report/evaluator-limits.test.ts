/**
 * The evaluator's known limits, handled: encryption-context conditions (evaluated as a range),
 * anonymous callers against `Principal: "*"`, `error` results and ignored context keys.
 */
import { runSimulation } from '@cloud-copilot/iam-simulate';
import { encryptionContextBound, isEncryptionContextKey } from '../../tools/access-report/encryption-context';
import { evaluateMatrix } from '../../tools/access-report/evaluate';
import { policyOf, US_EAST_1_PLACEHOLDERS } from './helpers';
import { assessCells } from '../../tools/access-report/risk';
import { EvaluationError, simulate } from '../../tools/access-report/simulate';
import type { PrincipalRow } from '../../tools/access-report/types';
import type { PolicyDocument } from '../../policy/render';

const ACCOUNT = '111122223333';
const placeholders = US_EAST_1_PLACEHOLDERS;
const ALICE = `arn:aws:iam::${ACCOUNT}:user/alice`;
const alice: PrincipalRow = { label: 'user alice', kind: 'user', arn: ALICE, accountId: ACCOUNT, identityPolicies: [] };
const anonymous: PrincipalRow = { label: 'anonymous', kind: 'anonymous', arn: undefined, accountId: undefined, identityPolicies: [] };
const SECRET_CONTEXT = { 'kms:EncryptionContext:SecretARN': [`arn:aws:secretsmanager:us-east-1:${ACCOUNT}:secret:app/*`] };

const policy = policyOf;

async function decide(keyPolicy: PolicyDocument, row: PrincipalRow, action: string, context: 'direct' | 'via-secretsmanager' = 'direct') {
  const [cell] = await evaluateMatrix({ keyPolicy, rows: [row], placeholders, actions: [action], contexts: [context] });
  return cell;
}

describe('the evaluator drops kms:EncryptionContext keys', () => {
  it('reports them as ignored, and simulate() refuses such a request', async () => {
    const request = {
      request: {
        principal: ALICE,
        action: 'kms:Decrypt',
        resource: { resource: placeholders.keyArn, accountId: ACCOUNT },
        contextVariables: { 'kms:CallerAccount': ACCOUNT, 'kms:EncryptionContext:SecretARN': 'x' },
      },
      identityPolicies: [],
      serviceControlPolicies: [],
      resourceControlPolicies: [],
      resourcePolicy: policy({ Effect: 'Allow', Principal: { AWS: [ALICE] }, Action: ['kms:Decrypt'], Resource: ['*'] }),
    };
    const result = await runSimulation(request, { simulationMode: 'Strict' });
    expect(result.resultType === 'single' && result.result.ignoredContextKeys).toEqual(['kms:EncryptionContext:SecretARN']);
    await expect(
      simulate({
        principal: ALICE,
        action: 'kms:Decrypt',
        resourceArn: placeholders.keyArn,
        resourceAccountId: ACCOUNT,
        contextVariables: request.request.contextVariables,
        identityPolicies: [],
        resourcePolicy: request.resourcePolicy,
      }),
    ).rejects.toThrow(/ignored the context keys kms:EncryptionContext:SecretARN/);
  });

  it('so a condition on the encryption context gives a Conditional cell, counted as allowed by the rules', async () => {
    const keyPolicy = policy({
      Sid: 'DecryptOwnSecrets',
      Effect: 'Allow',
      Principal: { AWS: [ALICE] },
      Action: ['kms:Decrypt', 'kms:CreateGrant'],
      Resource: ['*'],
      Condition: { StringLike: SECRET_CONTEXT },
    });
    const cell = await decide(keyPolicy, alice, 'kms:Decrypt');
    expect(cell.decision).toBe('Conditional');
    expect(cell.why).toMatch(/^key policy DecryptOwnSecrets, only for some encryption contexts/);
    const grant = await decide(keyPolicy, alice, 'kms:CreateGrant');
    const [assessed] = assessCells([grant], [alice], { accountId: ACCOUNT, strict: false });
    expect(assessed.risky).toBe(true);
  });

  it('gives an exact answer when the other conditions decide anyway', async () => {
    const keyPolicy = policy({
      Effect: 'Allow',
      Principal: { AWS: [ALICE] },
      Action: ['kms:Decrypt'],
      Resource: ['*'],
      Condition: { StringLike: SECRET_CONTEXT, StringEquals: { 'kms:ViaService': ['secretsmanager.us-east-1.amazonaws.com'] } },
    });
    expect((await decide(keyPolicy, alice, 'kms:Decrypt', 'direct')).decision).toBe('Denied');
    expect((await decide(keyPolicy, alice, 'kms:Decrypt', 'via-secretsmanager')).decision).toBe('Conditional');
  });

  it('stays exact when a statement without such a condition allows the cell anyway', async () => {
    const keyPolicy = policy(
      { Sid: 'Use', Effect: 'Allow', Principal: { AWS: [ALICE] }, Action: ['kms:Decrypt'], Resource: ['*'] },
      {
        Sid: 'DecryptOwnSecrets',
        Effect: 'Allow',
        Principal: { AWS: [ALICE] },
        Action: ['kms:Decrypt', 'kms:Encrypt'],
        Resource: ['*'],
        Condition: { StringLike: SECRET_CONTEXT },
      },
    );
    expect(await decide(keyPolicy, alice, 'kms:Decrypt')).toMatchObject({ decision: 'Allowed', why: 'key policy Use, DecryptOwnSecrets' });
    expect((await decide(keyPolicy, alice, 'kms:Encrypt')).decision).toBe('Conditional');
  });

  it('treats a Deny on the encryption context as possibly applying', async () => {
    const keyPolicy = policy(
      { Sid: 'Use', Effect: 'Allow', Principal: { AWS: [ALICE] }, Action: ['kms:Decrypt', 'kms:Encrypt'], Resource: ['*'] },
      {
        Sid: 'OnlySecrets',
        Effect: 'Deny',
        Principal: { AWS: [ALICE] },
        Action: ['kms:Decrypt'],
        Resource: ['*'],
        Condition: { StringNotLike: SECRET_CONTEXT },
      },
    );
    expect((await decide(keyPolicy, alice, 'kms:Decrypt')).decision).toBe('Conditional');
    expect((await decide(keyPolicy, alice, 'kms:Encrypt')).decision).toBe('Allowed');
  });

  it('bounds keep other conditions and original statement numbers', () => {
    expect(isEncryptionContextKey('kms:EncryptionContext:SecretARN')).toBe(true);
    expect(isEncryptionContextKey('kms:EncryptionContextKeys')).toBe(true);
    expect(isEncryptionContextKey('kms:ViaService')).toBe(false);
    const doc = policy(
      {
        Effect: 'Allow',
        Action: ['kms:Decrypt'],
        Resource: ['*'],
        Condition: { StringLike: SECRET_CONTEXT, StringEquals: { 'kms:CallerAccount': [ACCOUNT] } },
      },
      { Effect: 'Allow', Action: ['kms:Encrypt'], Resource: ['*'] },
    );
    expect(encryptionContextBound(doc, 'most-permissive')).toEqual({
      document: policy(
        { Effect: 'Allow', Action: ['kms:Decrypt'], Resource: ['*'], Condition: { StringEquals: { 'kms:CallerAccount': [ACCOUNT] } } },
        doc.Statement[1],
      ),
      originalIndex: [1, 2],
    });
    expect(encryptionContextBound(doc, 'least-permissive')).toEqual({ document: policy(doc.Statement[1]), originalIndex: [2] });
  });
});

describe('anonymous callers', () => {
  it('are reported risky when a statement says Principal "*" without conditions, although KMS rejects unsigned requests', async () => {
    const keyPolicy = policy({ Sid: 'Everyone', Effect: 'Allow', Principal: '*', Action: ['kms:DescribeKey'], Resource: ['*'] });
    const cell = await decide(keyPolicy, anonymous, 'kms:DescribeKey');
    const [assessed] = assessCells([cell], [anonymous], { accountId: ACCOUNT, strict: false });
    expect(assessed).toMatchObject({ decision: 'Allowed', risky: true, findings: [{ rule: 'anonymous-allowed' }] });
  });
});

describe('error results', () => {
  it('stop the evaluation instead of counting as denied', async () => {
    const broken = policy({ Effect: 'Maybe' as 'Allow', Principal: { AWS: [ALICE] }, Action: ['kms:Decrypt'], Resource: ['*'] });
    await expect(decide(broken, alice, 'kms:Decrypt')).rejects.toThrow(EvaluationError);
  });
});
