/**
 * The report of an AWS check command (`npm run verify`, `npm run preflight`): one result per check,
 * in order; how a check that throws still gives a result; the exit code the report leads to; and how
 * it is printed, as aligned text for people or as JSON (`--json`) for pipelines.
 */
import { oneLine } from '../verify/diagnosis';
import type { Caller, CheckResult } from '../verify/types';

/** What every check command's report holds; a command may add fields (they appear in the JSON). */
export interface CheckReport {
  readonly environment: string;
  readonly region: string;
  readonly caller: Caller;
  /** The key the checks looked at, when the command knows its ARN. */
  readonly keyArn?: string;
  readonly checks: readonly CheckResult[];
}

/** Runs the check `id`; an error it throws becomes its failure, so one broken check does not hide the others. */
export async function guarded(id: string, run: () => Promise<CheckResult> | CheckResult): Promise<CheckResult> {
  try {
    return await run();
  } catch (error) {
    return { id, status: 'fail', reason: `unexpected error: ${oneLine(error)}` };
  }
}

/** 1 when any check failed, else 0 (passed and skipped checks both count as success). */
export function exitCodeOf(report: Pick<CheckReport, 'checks'>): 0 | 1 {
  return report.checks.some((c) => c.status === 'fail') ? 1 : 0;
}

/** How a command's text report starts: `<command> <environment> in <region> as <caller>[, <keyArnLabel> <key ARN>]`. */
export interface ReportHeading {
  /** The command's name, e.g. `verify`. */
  readonly command: string;
  /** What the key's ARN follows when the report has one, e.g. `key` or `importing key`. */
  readonly keyArnLabel: string;
}

const LABEL = { pass: 'PASS', fail: 'FAIL', skipped: 'SKIP' } as const;

/** The report as text lines: a heading, one line per check (details indented below), a total. */
export function formatText(report: CheckReport, heading: ReportHeading): string[] {
  const key = report.keyArn ? `, ${heading.keyArnLabel} ${report.keyArn}` : '';
  const lines = [`${heading.command} ${report.environment} in ${report.region} as ${report.caller.arn}${key}`];
  const width = Math.max(...report.checks.map((c) => c.id.length));
  for (const check of report.checks) {
    const reason = check.status === 'skipped' ? `skipped: ${check.reason}` : check.reason;
    lines.push(`  ${LABEL[check.status]}  ${check.id.padEnd(width)}  ${reason}`);
    for (const detail of check.details ?? []) lines.push(`        ${' '.repeat(width)}  - ${detail}`);
  }
  const count = (status: string) => report.checks.filter((c) => c.status === status).length;
  lines.push(`${count('pass')} passed, ${count('fail')} failed, ${count('skipped')} skipped`);
  return lines;
}

/** The report as one JSON document, every field of it, with the exit code it leads to. */
export function formatJson(report: CheckReport): string {
  return JSON.stringify({ ...report, exitCode: exitCodeOf(report) }, null, 2);
}
