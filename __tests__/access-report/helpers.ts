/** Test support: synthesize a config into a temporary folder, edit stacks, write them back. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { loadConfig } from '../../config/load';
import type { AppConfig, EnvironmentConfig } from '../../config/schema';
import { stackFile, type SynthesizedStack, synthesizeStacks } from '../../tools/lib/synthesized';
import { reportEnvironment, type EnvironmentReport } from '../../tools/access-report/report';

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
export function statementsOf(stack: SynthesizedStack, block: string): { sid?: string; actions?: string[]; condition?: { variable: string }[] }[] {
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

/** Expected allowed actions per row and context; every other cell of the row must be Denied. */
export type ExpectedMatrix = Readonly<Record<string, { readonly direct: readonly string[]; readonly via: readonly string[] }>>;

/** `Allowed`/`Denied` per `row|action|context`, from the report (Conditional shown as is). */
export function decisions(result: EnvironmentReport): Record<string, string> {
  return Object.fromEntries(result.cells.map((c) => [`${c.principal}|${c.action}|${c.context}`, c.decision]));
}

/** The same keys from a hand-written expectation over the given actions. */
export function expectedDecisions(expected: ExpectedMatrix, actions: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [row, { direct, via }] of Object.entries(expected)) {
    for (const action of actions) {
      out[`${row}|${action}|direct`] = direct.includes(action) ? 'Allowed' : 'Denied';
      out[`${row}|${action}|via-secretsmanager`] = via.includes(action) ? 'Allowed' : 'Denied';
    }
  }
  return out;
}
