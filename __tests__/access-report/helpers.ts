/** Test support: synthesize a config into a temporary folder, edit stacks, write them back. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { loadConfig } from '../../config/load';
import type { AppConfig, EnvironmentConfig } from '../../config/schema';
import { stackFile, type SynthesizedStack, synthesizeStacks } from '../../tools/lib/synthesized';
import { reportEnvironment, type EnvironmentReport } from '../../tools/access-report/report';
import type { Placeholders } from '../../tools/access-report/placeholders';
import type { PolicyDocument } from '../../policy/render';

/** The path of a fixture config, for KMS_CONFIG. */
export function fixture(name: string): string {
  return resolve(__dirname, '..', 'fixtures', name);
}

/** The config of a fixture file, or the embedded default when no name is given. */
export function configOf(name?: string): AppConfig {
  return loadConfig(name === undefined ? {} : { KMS_CONFIG: fixture(name) });
}

/** Synthesizes a config into a temporary folder and returns each environment's stack (the folder is removed). */
export function synthesize(config: AppConfig): Map<string, SynthesizedStack> {
  return new Map(synthesizeStacks(config));
}

/** The single environment of a config and its synthesized stack. */
export function single(name?: string): { environment: EnvironmentConfig; stack: SynthesizedStack } {
  const config = configOf(name);
  const environment = config.environments[0];
  return { environment, stack: synthesize(config).get(environment.name)! };
}

/** A deep copy of a stack, to edit in a test. */
export function copy(stack: SynthesizedStack): SynthesizedStack {
  return JSON.parse(JSON.stringify(stack)) as SynthesizedStack;
}

/** The statements of an `aws_iam_policy_document` block of an edited stack (mutable). */
export function statementsOf(
  stack: SynthesizedStack,
  block: string,
): { sid?: string; actions?: string[]; condition?: { variable: string }[] }[] {
  const doc = stack.data?.aws_iam_policy_document?.[block];
  if (!doc?.statement) throw new Error(`no statements in ${block}`);
  return doc.statement as unknown as { sid?: string; actions?: string[]; condition?: { variable: string }[] }[];
}

/** Writes stacks where `--outdir` reads them; returns the folder and a cleanup. */
export function writeOutdir(stacks: ReadonlyMap<string, SynthesizedStack>): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'access-report-outdir-'));
  for (const [name, stack] of stacks) {
    mkdirSync(join(dir, 'stacks', name), { recursive: true });
    writeFileSync(stackFile(dir, name), JSON.stringify(stack));
  }
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** The report of one environment, not strict, no plan. */
export function report(environment: EnvironmentConfig, stack: SynthesizedStack, strict = false): Promise<EnvironmentReport> {
  return reportEnvironment(environment, stack, { strict });
}

/**
 * Expected allowed actions per row and context; `viaForSomeSecrets` lists the via-Secrets-Manager
 * actions allowed only for some encryption contexts (Conditional). Every other cell must be Denied.
 */
export type ExpectedMatrix = Readonly<
  Record<string, { readonly direct: readonly string[]; readonly via: readonly string[]; readonly viaForSomeSecrets?: readonly string[] }>
>;

/** `Allowed`/`Denied`/`Conditional` per `row|action|context`, from the report. */
export function decisions(result: EnvironmentReport): Record<string, string> {
  return Object.fromEntries(result.cells.map((c) => [`${c.principal}|${c.action}|${c.context}`, c.decision]));
}

/** The same keys from a hand-written expectation over the given actions. */
export function expectedDecisions(expected: ExpectedMatrix, actions: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [row, { direct, via, viaForSomeSecrets = [] }] of Object.entries(expected)) {
    for (const action of actions) {
      out[`${row}|${action}|direct`] = direct.includes(action) ? 'Allowed' : 'Denied';
      out[`${row}|${action}|via-secretsmanager`] = viaForSomeSecrets.includes(action)
        ? 'Conditional'
        : via.includes(action)
          ? 'Allowed'
          : 'Denied';
    }
  }
  return out;
}

/** `Allowed`/`Denied` per `row|secret name|action` of the cells by secret (the name after `:secret:`). */
export function secretDecisions(result: EnvironmentReport): Record<string, string> {
  return Object.fromEntries(
    result.secretCells.map((c) => [`${c.principal}|${c.secretArn.slice(c.secretArn.indexOf(':secret:') + 8)}|${c.action}`, c.decision]),
  );
}

/** Placeholders of a key in us-east-1, account 111122223333, for tests that evaluate policies directly. */
export const US_EAST_1_PLACEHOLDERS: Placeholders = {
  partition: 'aws',
  region: 'us-east-1',
  accountId: '111122223333',
  otherAccountId: '444455556666',
  keyArn: 'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab',
};

/** A policy document of the given statements. */
export function policyOf(...statements: PolicyDocument['Statement']): PolicyDocument {
  return { Version: '2012-10-17', Statement: statements };
}
