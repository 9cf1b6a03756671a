/** Prints a preflight report: aligned text for people, or `--json` for pipelines (verify's layout). */
import { exitCodeOf, type PreflightReport } from './run-checks';

const LABEL = { pass: 'PASS', fail: 'FAIL', skipped: 'SKIP' } as const;

/** The report as text lines: a heading, one line per check (details indented below), a total. */
export function formatText(report: PreflightReport): string[] {
  const lines = [`preflight ${report.environment} in ${report.region} as ${report.caller.arn}${report.keyArn ? `, importing key ${report.keyArn}` : ''}`];
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

/** The report as one JSON document, with the exit code it leads to. */
export function formatJson(report: PreflightReport): string {
  return JSON.stringify({ ...report, exitCode: exitCodeOf(report) }, null, 2);
}
