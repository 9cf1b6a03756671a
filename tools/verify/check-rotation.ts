/** The rotation check: `GetKeyRotationStatus` shows rotation on or off and the period as configured. */
import { GetKeyRotationStatusCommand, type KMSClient } from '@aws-sdk/client-kms';
import { diagnoseKmsError, errorName, isAccessDenied } from './diagnosis';
import { keyArnOrSkip, requestScope } from './scope';
import type { CheckResult, VerifyContext } from './types';

/** Check id. */
export const ROTATION_CHECK = 'rotation';

/** Who may run this check: the console's administrator statement grants `kms:Get*`; key users get no Get action. */
export const ROTATION_CHECK_NEEDS = 'kms:GetKeyRotationStatus (a key administrator)';

/** Runs the rotation check. AccessDenied means the caller is not an administrator: skipped, not failed. */
export async function checkRotation(kms: KMSClient, context: VerifyContext): Promise<CheckResult> {
  const key = keyArnOrSkip(context, ROTATION_CHECK);
  if ('skipped' in key) return key.skipped;
  const { enableKeyRotation, rotationPeriodInDays } = context.environment.key;
  let status;
  try {
    status = await kms.send(new GetKeyRotationStatusCommand({ KeyId: key.keyArn }));
  } catch (error) {
    if (isAccessDenied(error)) {
      const { ambiguity } = diagnoseKmsError(error, requestScope(context, key.keyArn));
      return {
        id: ROTATION_CHECK,
        status: 'skipped',
        reason: `needs ${ROTATION_CHECK_NEEDS}`,
        details: ambiguity ? [ambiguity] : undefined,
      };
    }
    if (errorName(error) === 'UnsupportedOperationException' && !enableKeyRotation) {
      return { id: ROTATION_CHECK, status: 'pass', reason: 'KMS does not rotate this kind of key, and the config expects no rotation' };
    }
    const diagnosis = diagnoseKmsError(error, requestScope(context, key.keyArn));
    return { id: ROTATION_CHECK, status: 'fail', reason: diagnosis.summary, details: diagnosis.details };
  }
  const enabled = status.KeyRotationEnabled === true;
  if (enabled !== enableKeyRotation) {
    return {
      id: ROTATION_CHECK,
      status: 'fail',
      reason: `automatic rotation is ${enabled ? 'on' : 'off'}, the config expects it ${enableKeyRotation ? 'on' : 'off'}`,
      details: ['changed outside Terraform? `npm run deploy` sets it back (kms:EnableKeyRotation / kms:DisableKeyRotation)'],
    };
  }
  if (!enabled) return { id: ROTATION_CHECK, status: 'pass', reason: 'automatic rotation is off, as configured' };
  if (status.RotationPeriodInDays !== rotationPeriodInDays) {
    return {
      id: ROTATION_CHECK,
      status: 'fail',
      reason: `rotation period is ${status.RotationPeriodInDays ?? 'not reported'} days, the config expects ${rotationPeriodInDays}`,
      details: ['changed outside Terraform? `npm run deploy` sets it back'],
    };
  }
  const next = status.NextRotationDate ? `, next rotation ${status.NextRotationDate.toISOString().slice(0, 10)}` : '';
  return { id: ROTATION_CHECK, status: 'pass', reason: `automatic rotation is on, every ${rotationPeriodInDays} days${next}` };
}
