/** The machine-readable form: every environment's report, every cell (matrix and by secret) with its decision and reason. */
import type { EnvironmentReport } from './report';

/** The JSON document `--json` prints. */
export interface JsonReport {
  readonly ok: boolean;
  readonly strict: boolean;
  readonly environments: readonly EnvironmentReport[];
}

/** Serialises the reports, two-space indented. */
export function formatJson(reports: readonly EnvironmentReport[], strict: boolean): string {
  const document: JsonReport = { ok: reports.every((r) => r.ok), strict, environments: reports };
  return JSON.stringify(document, null, 2);
}
