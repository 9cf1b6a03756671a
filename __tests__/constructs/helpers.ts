/** Shared set-up for construct tests: a stack with a fixed account, region and partition. */
import { Testing, TerraformStack } from 'cdktf';
import type { AwsContext } from '../../constructs';

export const AWS: AwsContext = { partition: 'aws', region: 'eu-west-1', accountId: '111122223333' };

/** A fresh stack in a fresh test app. */
export function newStack(): TerraformStack {
  return new TerraformStack(Testing.app(), 'test');
}

/** The synthesized stack as an object, for exact assertions on nested blocks. */
export function synthObject(stack: TerraformStack): any {
  return JSON.parse(Testing.synth(stack));
}
