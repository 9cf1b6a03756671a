/** Reads jest's `--json` report: how long the suite's files took and whether they passed. */
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';

/** One test file's run time as jest measured it. */
export interface TestFileTime {
  readonly file: string;
  readonly seconds: number;
  readonly passed: boolean;
}

/** The suite's outcome from jest's JSON report. */
export interface TestSuiteTimes {
  readonly files: TestFileTime[];
  readonly tests: number;
  readonly failedTests: number;
  readonly skippedTests: number;
}

interface JestJsonReport {
  numTotalTests: number;
  numFailedTests: number;
  numPendingTests: number;
  testResults: { name: string; status: string; startTime?: number; endTime?: number }[];
}

/** The files of a jest JSON report, slowest first, with paths relative to `root`. */
export function readJestReport(reportFile: string, root: string): TestSuiteTimes {
  const report = JSON.parse(readFileSync(reportFile, 'utf8')) as JestJsonReport;
  const files = report.testResults
    .map((result) => ({
      file: relative(root, result.name),
      seconds: result.startTime !== undefined && result.endTime !== undefined ? (result.endTime - result.startTime) / 1000 : 0,
      passed: result.status === 'passed',
    }))
    .sort((a, b) => b.seconds - a.seconds);
  return { files, tests: report.numTotalTests, failedTests: report.numFailedTests, skippedTests: report.numPendingTests };
}
