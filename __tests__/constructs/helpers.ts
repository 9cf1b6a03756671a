/** Shared set-up for construct tests: a stack with a fixed account, region and partition. */
import { Testing, TerraformStack } from 'cdktf';
import type { AwsContext } from '../../constructs';

export const AWS: AwsContext = { partition: 'aws', region: 'eu-west-1', accountId: '111122223333' };

/** A fresh stack in a fresh test app. */
export function newStack(): TerraformStack {
  return new TerraformStack(Testing.app(), 'test');
}

/** A statement of a synthesized `aws_iam_policy_document`, as cdktf writes it (snake_case). */
export interface SynthStatement {
  readonly sid: string;
  readonly effect: string;
  readonly actions: string[];
  readonly resources?: string[];
  readonly principals?: { readonly type: string; readonly identifiers: string[] }[];
  readonly condition?: { readonly test: string; readonly variable: string; readonly values: string[] }[];
}

/** The parts of a synthesized stack the tests read: blocks by type, then by name; other values as JSON. */
export interface SynthStack {
  readonly resource: Record<string, Record<string, Record<string, unknown>>>;
  readonly data: { readonly aws_iam_policy_document: Record<string, { readonly statement: SynthStatement[] }> } & Record<string, unknown>;
  readonly output: Record<string, { readonly value: unknown }>;
  readonly provider: { readonly aws: Record<string, unknown>[] };
  readonly terraform: { readonly required_providers: Record<string, unknown> } & Record<string, unknown>;
}

/** The synthesized stack as an object, for exact assertions on nested blocks. */
export function synthObject(stack: TerraformStack): SynthStack {
  return JSON.parse(Testing.synth(stack)) as SynthStack;
}
