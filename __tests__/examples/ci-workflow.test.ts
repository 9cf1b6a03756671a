/**
 * examples/ci/github-actions/pull-request.yml, the workflow users copy: parsed with a YAML parser
 * and checked by walking its jobs and steps, so removing a step, a permission or the matrix fails
 * here. `workflowProblems` lists what is wrong; the mutation tests prove each check can fail.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseDocument } from 'yaml';
import { parseConfig } from '../../config/load';
import { parseJsonStrict } from '../../config/json';

const PROJECT_ROOT = join(__dirname, '..', '..');
const WORKFLOW_PATH = join(PROJECT_ROOT, 'examples', 'ci', 'github-actions', 'pull-request.yml');
const CLOUD_CONFIG = 'examples/ci/terraform-cloud/kms.json';

interface Step {
  name?: string;
  id?: string;
  uses?: string;
  run?: string;
  if?: string;
  with?: Record<string, unknown>;
  env?: Record<string, unknown>;
}

interface Job {
  name?: string;
  needs?: string | string[];
  if?: string;
  permissions?: Record<string, string> | string;
  strategy?: { matrix?: unknown; 'fail-fast'?: boolean };
  outputs?: Record<string, string>;
  steps?: Step[];
}

interface Workflow {
  on?: unknown;
  permissions?: Record<string, string> | string;
  env?: Record<string, unknown>;
  jobs?: Record<string, Job>;
}

/** The names whose presence means long-lived AWS keys: action inputs and environment variables. */
const AWS_KEY_NAMES = ['aws-access-key-id', 'aws-secret-access-key', 'AWS_SECRET_ACCESS_KEY', 'AWS_ACCESS_KEY_ID'];

const workflowText = readFileSync(WORKFLOW_PATH, 'utf8');

function parseWorkflow(text: string): Workflow {
  const document = parseDocument(text, { uniqueKeys: true });
  if (document.errors.length > 0) throw new Error(document.errors.map((e) => e.message).join('\n'));
  return document.toJS() as Workflow;
}

function clone(workflow: Workflow): Workflow {
  return structuredClone(workflow);
}

/** The commands of a `run:` script: one per line, `|`, `&&`, `||` or `;`, split into words. */
function commandsOf(run: string | undefined): string[][] {
  if (!run) return [];
  return run
    .split(/\n|\|\||&&|\||;/)
    .map((segment) => segment.trim())
    .filter((segment) => segment !== '' && !segment.startsWith('#'))
    .map((segment) => segment.split(/\s+/));
}

/**
 * Whether a command runs `npm <words>`: `npm ci`, `npm test`, `npm run lint`, with npm's own flags
 * (`--silent`, `-s`, `--no-audit`, ...) allowed anywhere before the `--` that starts the script's
 * arguments.
 */
function isNpm(command: string[], words: string[]): boolean {
  if (command[0] !== 'npm') return false;
  const end = command.indexOf('--');
  const ownWords = command.slice(1, end === -1 ? undefined : end).filter((word) => !word.startsWith('-'));
  return words.every((word, i) => ownWords[i] === word) && (words[0] === 'run' ? ownWords.length === 2 : ownWords.length === 1);
}

function stepRuns(step: Step, words: string[]): boolean {
  return commandsOf(step.run).some((command) => isNpm(command, words));
}

/** `terraform ... plan` (with `-chdir=...` or other options before the subcommand). */
function stepRunsTerraformPlan(step: Step): boolean {
  return commandsOf(step.run).some(
    (command) => command[0] === 'terraform' && command.slice(1).find((word) => !word.startsWith('-')) === 'plan',
  );
}

function jobPermissions(workflow: Workflow, job: Job): Record<string, string> {
  const permissions = job.permissions ?? workflow.permissions ?? {};
  if (typeof permissions === 'string') {
    // read-all / write-all: every scope at that level, so the checks below read it like the long form.
    const level = permissions === 'write-all' ? 'write' : permissions === 'read-all' ? 'read' : 'none';
    return new Proxy<Record<string, string>>({}, { get: () => level });
  }
  return permissions;
}

function usesAction(step: Step, action: string): boolean {
  return typeof step.uses === 'string' && step.uses.split('@')[0] === action;
}

function needsOf(job: Job): string[] {
  return job.needs === undefined ? [] : Array.isArray(job.needs) ? job.needs : [job.needs];
}

/** Every key and string value in a parsed tree. */
function* stringsIn(value: unknown): Generator<string> {
  if (typeof value === 'string') yield value;
  else if (Array.isArray(value)) for (const item of value) yield* stringsIn(item);
  else if (value && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      yield key;
      yield* stringsIn(item);
    }
  }
}

/** What makes this workflow fall short of the README's promises; empty when nothing does. */
function workflowProblems(workflow: Workflow): string[] {
  const problems: string[] = [];
  const jobs = Object.entries(workflow.jobs ?? {});
  const on = workflow.on;
  const onPullRequest =
    on === 'pull_request' ||
    (Array.isArray(on) && on.includes('pull_request')) ||
    (typeof on === 'object' && on !== null && 'pull_request' in on);
  if (!onPullRequest) problems.push('not triggered by pull_request');

  for (const text of stringsIn(workflow)) {
    for (const name of AWS_KEY_NAMES) {
      if (text.toLowerCase().includes(name.toLowerCase())) problems.push(`mentions ${name}`);
    }
  }

  // The required steps, in one job, in this order.
  const required: Array<[string, (step: Step) => boolean]> = [
    ['npm ci', (step) => stepRuns(step, ['ci'])],
    ['npm run lint', (step) => stepRuns(step, ['run', 'lint'])],
    ['npm test', (step) => stepRuns(step, ['test'])],
    ['npm run synth', (step) => stepRuns(step, ['run', 'synth'])],
    ['npm run access-report', (step) => stepRuns(step, ['run', 'access-report'])],
  ];
  // The job that runs most of them is the checks job; whatever it lacks is missing.
  const count = (job: Job) => required.filter(([, found]) => (job.steps ?? []).some(found)).length;
  const checksJob = [...jobs].sort(([, a], [, b]) => count(b) - count(a))[0];
  if (!checksJob) problems.push('no jobs');
  else {
    const [checksId, { steps = [] }] = checksJob;
    for (const [label, found] of required) if (!steps.some(found)) problems.push(`${checksId}: no step runs ${label}`);
    const positions = required.map(([, found]) => steps.findIndex(found)).filter((position) => position !== -1);
    if (positions.some((position, i) => i > 0 && position < positions[i - 1])) {
      problems.push(`${checksId}: the steps are not in the order ${required.map(([label]) => label).join(', ')}`);
    }
  }

  // The plan: a job with a matrix over the environments that a job before it derived from the config.
  const planJobs = jobs.filter(([, job]) =>
    (job.steps ?? []).some((step) => stepRuns(step, ['run', 'plan']) || stepRunsTerraformPlan(step)),
  );
  if (planJobs.length === 0) problems.push('no step runs terraform plan or npm run plan');
  for (const [id, job] of planJobs) {
    const matrix = job.strategy?.matrix;
    const matrixText = JSON.stringify(matrix ?? null);
    const fromOutput = /fromJSON\(\s*needs\.([A-Za-z0-9_-]+)\.outputs\.([A-Za-z0-9_-]+)\s*\)/.exec(matrixText);
    if (!matrix) {
      problems.push(`${id}: the plan job has no matrix`);
      continue;
    }
    if (!fromOutput) {
      problems.push(`${id}: the matrix is not read from another job's output (fromJSON(needs.<job>.outputs.<name>))`);
      continue;
    }
    const [, sourceId, output] = fromOutput;
    const source = workflow.jobs?.[sourceId];
    if (!needsOf(job).includes(sourceId) || !source) {
      problems.push(`${id}: the matrix comes from ${sourceId}, which it does not need`);
    } else if (!source.outputs?.[output] || !(source.steps ?? []).some((step) => (step.run ?? '').includes('GITHUB_OUTPUT'))) {
      problems.push(`${sourceId}: no step writes the output ${output} the matrix reads`);
    }
    const planStep = (job.steps ?? []).findIndex((step) => stepRuns(step, ['run', 'plan']) || stepRunsTerraformPlan(step));
    const planText = JSON.stringify((job.steps ?? [])[planStep]);
    if (!planText.includes('matrix.environment')) problems.push(`${id}: the plan step does not plan matrix.environment`);

    // Credentials: OIDC only, before the plan.
    const credentials = (job.steps ?? []).findIndex((step) => usesAction(step, 'aws-actions/configure-aws-credentials'));
    if (credentials === -1) problems.push(`${id}: no aws-actions/configure-aws-credentials step`);
    else {
      if (credentials > planStep) problems.push(`${id}: the credentials step comes after the plan`);
      if (!(job.steps ?? [])[credentials].with?.['role-to-assume']) problems.push(`${id}: configure-aws-credentials has no role-to-assume`);
    }
    if (jobPermissions(workflow, job)['id-token'] !== 'write') problems.push(`${id}: permissions lack id-token: write`);
  }

  // Least privilege: only jobs that assume an AWS role may ask for an OIDC token, and nothing
  // writes contents.
  for (const [id, job] of jobs) {
    const permissions = jobPermissions(workflow, job);
    const assumesRole = (job.steps ?? []).some((step) => usesAction(step, 'aws-actions/configure-aws-credentials'));
    if (permissions['id-token'] === 'write' && !assumesRole) problems.push(`${id}: id-token: write without assuming an AWS role`);
    if (permissions.contents === 'write') problems.push(`${id}: contents: write`);
  }

  // The PR comment: a job that may write pull requests, comes after the checks and the plans,
  // runs even when they failed, and posts with github-script or gh.
  const commentJobs = jobs.filter(([, job]) =>
    (job.steps ?? []).some(
      (step) =>
        (usesAction(step, 'actions/github-script') &&
          typeof step.with?.script === 'string' &&
          /\bcreateComment\b/.test(step.with.script)) ||
        commandsOf(step.run).some((command) => command[0] === 'gh' && command[1] === 'pr' && command[2] === 'comment'),
    ),
  );
  if (commentJobs.length === 0) problems.push('no step posts a PR comment');
  for (const [id, job] of commentJobs) {
    if (jobPermissions(workflow, job)['pull-requests'] !== 'write') problems.push(`${id}: permissions lack pull-requests: write`);
    const needs = needsOf(job);
    if (checksJob && !needs.includes(checksJob[0])) problems.push(`${id}: does not wait for ${checksJob[0]}`);
    for (const [planId] of planJobs) if (!needs.includes(planId)) problems.push(`${id}: does not wait for ${planId}`);
    if (!(job.if ?? '').includes('always()')) problems.push(`${id}: is skipped when a check or plan fails`);
  }

  // Actions pinned to a full commit.
  for (const [id, job] of jobs) {
    for (const step of job.steps ?? []) {
      if (step.uses && !/^[\w.-]+\/[\w./-]+@[0-9a-f]{40}$/.test(step.uses)) problems.push(`${id}: ${step.uses} is not pinned to a commit`);
    }
  }
  return problems;
}

function jobWith(workflow: Workflow, found: (step: Step) => boolean): Job {
  const job = Object.values(workflow.jobs ?? {}).find((candidate) => (candidate.steps ?? []).some(found));
  if (!job) throw new Error('no such job');
  return job;
}

/** A copy without the steps `found` matches in job `jobId`, or in the first job that has one. */
function withoutStep(workflow: Workflow, found: (step: Step) => boolean, jobId?: string): Workflow {
  const copy = clone(workflow);
  const job = jobId ? copy.jobs?.[jobId] : jobWith(copy, found);
  if (!job || !(job.steps ?? []).some(found)) throw new Error('nothing to remove');
  job.steps = (job.steps ?? []).filter((step) => !found(step));
  return copy;
}

const workflow = parseWorkflow(workflowText);

describe('the pull-request workflow', () => {
  test('parses as YAML, with no duplicate keys, and meets every check', () => {
    expect(workflowProblems(workflow)).toEqual([]);
  });

  test('runs on pull requests, with no permission unless a job asks for it, and Terraform quiet', () => {
    expect(workflow.on).toHaveProperty('pull_request');
    expect(workflow.permissions).toEqual({});
    expect(workflow.env).toMatchObject({ CHECKPOINT_DISABLE: '1' });
  });

  test('holds no AWS keys, not even in a comment', () => {
    for (const name of AWS_KEY_NAMES) expect(workflowText.toLowerCase()).not.toContain(name.toLowerCase());
  });

  test('says which release each pinned action is', () => {
    const pinned = workflowText.split('\n').filter((line) => /uses:\s*\S+@[0-9a-f]{40}/.test(line));
    expect(pinned.length).toBeGreaterThan(0);
    for (const line of pinned) expect(line).toMatch(/@[0-9a-f]{40} # v\d+\.\d+\.\d+$/);
  });

  test('the matrix step prints the environments of the config as JSON', () => {
    const step = (workflow.jobs?.environments?.steps ?? []).find((candidate) => candidate.id === 'list');
    const script = /node -e '([^']+)'/.exec(step?.run ?? '')?.[1];
    expect(script).toBeDefined();
    const env = { ...process.env, KMS_CONFIG: join(PROJECT_ROOT, CLOUD_CONFIG) };
    const report = execFileSync('npm', ['run', '--silent', 'cost', '--', '--json'], { cwd: PROJECT_ROOT, env, encoding: 'utf8' });
    const folder = mkdtempSync(join(tmpdir(), 'ci-workflow-'));
    let output: string;
    try {
      writeFileSync(join(folder, 'environments.json'), report);
      output = execFileSync(process.execPath, ['-e', script as string, 'environments.json'], { cwd: folder, encoding: 'utf8' });
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
    expect(output.trim()).toBe(
      'matrix=' +
        JSON.stringify([
          { environment: 'staging', region: 'eu-west-1' },
          { environment: 'prod', region: 'eu-west-1' },
        ]),
    );
  });
});

describe('each check fails when what it checks is taken away', () => {
  const npmStep = (words: string[]) => (step: Step) => stepRuns(step, words);

  test.each([
    ['npm ci', ['ci']],
    ['npm run lint', ['run', 'lint']],
    ['npm test', ['test']],
    ['npm run synth', ['run', 'synth']],
    ['npm run access-report', ['run', 'access-report']],
  ])('no %s step', (label, words) => {
    expect(workflowProblems(withoutStep(workflow, npmStep(words), 'checks'))).toContain(`checks: no step runs ${label}`);
  });

  test('steps out of order', () => {
    const copy = clone(workflow);
    const job = jobWith(copy, npmStep(['run', 'lint']));
    const steps = job.steps ?? [];
    const ci = steps.findIndex(npmStep(['ci']));
    const test = steps.findIndex(npmStep(['test']));
    [steps[ci], steps[test]] = [steps[test], steps[ci]];
    expect(workflowProblems(copy).join('\n')).toMatch(/not in the order/);
  });

  test('no plan step', () => {
    expect(workflowProblems(withoutStep(workflow, npmStep(['run', 'plan'])))).toContain('no step runs terraform plan or npm run plan');
  });

  test('a plain terraform plan counts as the plan step', () => {
    const copy = clone(workflow);
    const step = (jobWith(copy, npmStep(['run', 'plan'])).steps ?? []).find(npmStep(['run', 'plan'])) as Step;
    step.run =
      'npm run synth\nterraform -chdir="cdktf.out/stacks/$ENVIRONMENT" init -input=false\nterraform -chdir="cdktf.out/stacks/$ENVIRONMENT" plan -input=false';
    expect(workflowProblems(copy)).toEqual([]);
  });

  test('no matrix, or a matrix written by hand', () => {
    const noMatrix = clone(workflow);
    delete jobWith(noMatrix, npmStep(['run', 'plan'])).strategy;
    expect(workflowProblems(noMatrix).join('\n')).toMatch(/the plan job has no matrix/);

    const fixed = clone(workflow);
    jobWith(fixed, npmStep(['run', 'plan'])).strategy = { matrix: { environment: ['prod'] } };
    expect(workflowProblems(fixed).join('\n')).toMatch(/not read from another job's output/);
  });

  test('no id-token: write, or id-token: write where no role is assumed', () => {
    const without = clone(workflow);
    const planJob = jobWith(without, npmStep(['run', 'plan']));
    planJob.permissions = { contents: 'read' };
    expect(workflowProblems(without).join('\n')).toMatch(/permissions lack id-token: write/);

    const wide = clone(workflow);
    wide.permissions = { 'id-token': 'write' };
    delete jobWith(wide, npmStep(['run', 'lint'])).permissions;
    expect(workflowProblems(wide).join('\n')).toMatch(/id-token: write without assuming an AWS role/);
  });

  test('AWS keys in the credentials step or in an environment variable', () => {
    const keys = clone(workflow);
    const credentials = (jobWith(keys, (step) => usesAction(step, 'aws-actions/configure-aws-credentials')).steps ?? []).find((step) =>
      usesAction(step, 'aws-actions/configure-aws-credentials'),
    ) as Step;
    credentials.with = { ...credentials.with, 'aws-access-key-id': '${{ secrets.KEY_ID }}', 'aws-secret-access-key': '${{ secrets.KEY }}' };
    const problems = workflowProblems(keys);
    expect(problems).toContain('mentions aws-access-key-id');
    expect(problems).toContain('mentions aws-secret-access-key');

    const env = clone(workflow);
    env.env = { ...env.env, AWS_ACCESS_KEY_ID: '${{ secrets.A }}', AWS_SECRET_ACCESS_KEY: '${{ secrets.B }}' };
    expect(workflowProblems(env)).toEqual(expect.arrayContaining(['mentions AWS_ACCESS_KEY_ID', 'mentions AWS_SECRET_ACCESS_KEY']));
  });

  test('no PR comment, or one that may not write or gives up when a check fails', () => {
    const isComment = (step: Step) => usesAction(step, 'actions/github-script');
    expect(workflowProblems(withoutStep(workflow, isComment))).toContain('no step posts a PR comment');

    const readOnly = clone(workflow);
    const commentJob = jobWith(readOnly, isComment);
    commentJob.permissions = { 'pull-requests': 'read' };
    delete commentJob.if;
    const problems = workflowProblems(readOnly).join('\n');
    expect(problems).toMatch(/permissions lack pull-requests: write/);
    expect(problems).toMatch(/is skipped when a check or plan fails/);
  });

  test('an action on a moving tag', () => {
    const copy = clone(workflow);
    const step = (jobWith(copy, npmStep(['run', 'lint'])).steps ?? []).find((candidate) => candidate.uses) as Step;
    step.uses = 'actions/checkout@v7';
    expect(workflowProblems(copy).join('\n')).toMatch(/actions\/checkout@v7 is not pinned to a commit/);
  });
});

describe('the Terraform Cloud example config', () => {
  test('is a valid config: one workspace per environment, with the cloud backend', () => {
    const path = join(PROJECT_ROOT, CLOUD_CONFIG);
    const config = parseConfig(parseJsonStrict(readFileSync(path, 'utf8'), path), path);
    const backends = config.environments.map((environment) => environment.backend);
    expect(backends).toEqual([
      expect.objectContaining({ type: 'cloud', organization: 'example-org', workspace: 'kms-secrets-staging' }),
      expect.objectContaining({ type: 'cloud', organization: 'example-org', workspace: 'kms-secrets-prod' }),
    ]);
  });
});
