/** Reads jest's `--json` report: how long the suite's files took and whether they passed. */
import { relative } from 'node:path';
import { z } from 'zod';
import { readJsonFile } from '../lib/external-json';

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

/** The fields of jest's JSON report (`--json --outputFile`) read here; the rest is ignored. */
const jestReportSchema = z.looseObject({
  numTotalTests: z.number(),
  numFailedTests: z.number(),
  numPendingTests: z.number(),
  testResults: z.array(
    z.looseObject({ name: z.string(), status: z.string(), startTime: z.number().optional(), endTime: z.number().optional() }),
  ),
});

/**
 * The files of a jest JSON report, slowest first, with paths relative to `root`; an ExternalJsonError
 * naming the file and the field when it is not such a report.
 */
export function readJestReport(reportFile: string, root: string): TestSuiteTimes {
  const report = readJsonFile(jestReportSchema, reportFile, `jest's JSON report ${reportFile}`);
  const files = report.testResults
    .map((result) => ({
      file: relative(root, result.name),
      seconds: result.startTime !== undefined && result.endTime !== undefined ? (result.endTime - result.startTime) / 1000 : 0,
      passed: result.status === 'passed',
    }))
    .sort((a, b) => b.seconds - a.seconds);
  return { files, tests: report.numTotalTests, failedTests: report.numFailedTests, skippedTests: report.numPendingTests };
}
