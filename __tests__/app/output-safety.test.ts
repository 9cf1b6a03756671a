/**
 * What `npm run synth` promises about state and output (docs/safety.md), run in-process against
 * scratch projects: where the backend points whatever the output folder, which stale stack
 * folders are removed, which files are never touched, and the output lock.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { lockPaths, withOutputLock } from '../../app/output-lock';
import { physicalPath, projectRootOrCwd } from '../../app/project';
import { runSynth } from '../../app/synth';
import { STAGING_PREFIX } from '../../app/write-output';
import { loadConfig } from '../../config';
import { synthesizeStacks } from '../../tools/lib/synthesized';

let project: string;
let out: string[];
let err: string[];

beforeEach(() => {
  project = physicalPath(mkdtempSync(join(tmpdir(), 'kms-safety-')));
  writeFileSync(join(project, 'cdktf.json'), '{}');
  out = [];
  err = [];
});
afterEach(() => rmSync(project, { recursive: true, force: true }));

function synth(env: Record<string, string> = {}, cwd = project): Promise<number> {
  return runSynth([], { cwd, env, log: (line) => out.push(line), error: (line) => err.push(line) });
}

function writeConfig(environments: Record<string, unknown>): string {
  const file = join(project, 'kms.json');
  writeFileSync(file, JSON.stringify({ environments }));
  return file;
}

/** Where Terraform, running in the stack folder, finds the state: the backend path resolved there. */
function stateFileSeenByTerraform(outdir: string, environment: string): string {
  const stack = JSON.parse(readFileSync(join(outdir, 'stacks', environment, 'cdk.tf.json'), 'utf8'));
  const path: string = stack.terraform.backend.local.path;
  return resolve(physicalPath(join(outdir, 'stacks', environment)), path);
}

describe('state does not follow the output directory', () => {
  const expected = () => join(project, 'terraform.tutorial.tfstate');

  test('default cdktf.out: relative, three folders up', async () => {
    expect(await synth()).toBe(0);
    const stack = JSON.parse(readFileSync(join(project, 'cdktf.out', 'stacks', 'tutorial', 'cdk.tf.json'), 'utf8'));
    expect(stack.terraform.backend).toEqual({ local: { path: '../../../terraform.tutorial.tfstate' } });
  });

  test('CDKTF_OUTDIR deeper inside the project (cdktf synth --output build/out)', async () => {
    expect(await synth({ CDKTF_OUTDIR: 'build/out' })).toBe(0);
    expect(stateFileSeenByTerraform(join(project, 'build', 'out'), 'tutorial')).toBe(expected());
  });

  test('CDKTF_OUTDIR outside the project, whose parent does not exist yet', async () => {
    const outside = join(physicalPath(mkdtempSync(join(tmpdir(), 'kms-outside-'))), 'not', 'yet');
    try {
      expect(await synth({ CDKTF_OUTDIR: outside })).toBe(0);
      expect(stateFileSeenByTerraform(outside, 'tutorial')).toBe(expected());
    } finally {
      rmSync(resolve(outside, '..', '..'), { recursive: true, force: true });
    }
  });

  test('an output folder reached through a symbolic link: the path is computed physically', async () => {
    const elsewhere = physicalPath(mkdtempSync(join(tmpdir(), 'kms-linked-')));
    try {
      symlinkSync(elsewhere, join(project, 'cdktf.out'));
      expect(await synth()).toBe(0);
      expect(existsSync(join(elsewhere, 'stacks', 'tutorial', 'cdk.tf.json'))).toBe(true);
      expect(stateFileSeenByTerraform(elsewhere, 'tutorial')).toBe(expected());
    } finally {
      rmSync(elsewhere, { recursive: true, force: true });
    }
  });

  test('a run from a sub-folder finds the project root by its cdktf.json', async () => {
    mkdirSync(join(project, 'sub'));
    expect(await synth({ CDKTF_OUTDIR: join(project, 'cdktf.out') }, join(project, 'sub'))).toBe(0);
    expect(stateFileSeenByTerraform(join(project, 'cdktf.out'), 'tutorial')).toBe(expected());
  });

  test('the tools’ own temporary synths point at the same state file', () => {
    const [stack] = synthesizeStacks(loadConfig({})).values();
    const path = (stack.terraform as { backend: { local: { path: string } } }).backend.local.path;
    // The tools synthesize into <tmpdir>/<random>/stacks/<env>; the name does not change the result.
    expect(resolve(physicalPath(tmpdir()), 'any-name', 'stacks', 'tutorial', path)).toBe(
      join(projectRootOrCwd(), 'terraform.tutorial.tfstate'),
    );
  });

  test('no cdktf.json here or above: exit 2, nothing written', async () => {
    const bare = mkdtempSync(join(tmpdir(), 'kms-bare-'));
    try {
      expect(await synth({}, bare)).toBe(2);
      expect(err[0]).toMatch(/no cdktf\.json here or in any folder above; run the command inside the project/);
      expect(readdirSync(bare)).toEqual([]);
    } finally {
      rmSync(bare, { recursive: true, force: true });
    }
  });
});

describe('confined local state: checks that need the file system (exit 2, nothing written)', () => {
  test('a state path that leads out of the project through a symbolic link', async () => {
    const outside = physicalPath(mkdtempSync(join(tmpdir(), 'kms-escape-')));
    try {
      symlinkSync(outside, join(project, 'state'));
      const file = writeConfig({
        prod: { region: 'eu-west-1', key: { alias: 'p' }, backend: { type: 'local', path: 'state/prod.tfstate' } },
      });
      expect(await synth({ KMS_CONFIG: file })).toBe(2);
      expect(err[0]).toContain(
        `environments.prod.backend.path: "state/prod.tfstate" leads through a symbolic link to ${join(outside, 'prod.tfstate')}, outside the project`,
      );
      expect(existsSync(join(project, 'cdktf.out'))).toBe(false);
    } finally {
      rmSync(outside, { recursive: true, force: true });
    }
  });

  test('a state path inside the actual output folder (CDKTF_OUTDIR)', async () => {
    const file = writeConfig({ prod: { region: 'eu-west-1', key: { alias: 'p' }, backend: { type: 'local', path: 'out/prod.tfstate' } } });
    expect(await synth({ KMS_CONFIG: file, CDKTF_OUTDIR: 'out' })).toBe(2);
    expect(err[0]).toContain(
      `environments.prod.backend.path: "out/prod.tfstate" is inside the output folder ${join(project, 'out')}, which synth rewrites`,
    );
    expect(existsSync(join(project, 'out'))).toBe(false);
  });

  test('a state path that is an existing folder', async () => {
    mkdirSync(join(project, 'state.tfstate'));
    const file = writeConfig({ prod: { region: 'eu-west-1', key: { alias: 'p' }, backend: { type: 'local', path: 'state.tfstate' } } });
    expect(await synth({ KMS_CONFIG: file })).toBe(2);
    expect(err[0]).toContain('environments.prod.backend.path: "state.tfstate" is an existing folder; give the state a file name');
  });

  test('an output folder that is the project folder', async () => {
    expect(await synth({ CDKTF_OUTDIR: '.' })).toBe(2);
    expect(err[0]).toContain(`the output folder ${project} is the project folder or contains it`);
    expect(existsSync(join(project, 'stacks'))).toBe(false);
  });
});

describe('stale-stack cleanup deletes only what synth wrote', () => {
  const stacks = () => join(project, 'cdktf.out', 'stacks');
  const folder = (name: string, files: Record<string, string>) => {
    for (const [file, content] of Object.entries(files)) {
      mkdirSync(join(stacks(), name, file, '..'), { recursive: true });
      writeFileSync(join(stacks(), name, file), content);
    }
  };

  test('a folder holding only synth’s files is removed', async () => {
    folder('old', { 'cdk.tf.json': '{}', 'cdk.tf': '', 'metadata.json': '{}' });
    expect(await synth()).toBe(0);
    expect(existsSync(join(stacks(), 'old'))).toBe(false);
    expect(out).toContain('removed stacks no longer in the config: old');
  });

  test.each([
    ['terraform.tfstate', { 'terraform.tfstate': '{"version":4}' }, 'terraform.tfstate'],
    ['terraform.old.tfstate.backup', { 'terraform.old.tfstate.backup': '{"version":4}' }, 'terraform.old.tfstate.backup'],
    ['a .terraform folder', { '.terraform/terraform.tfstate': '{}' }, '.terraform/'],
    ['a lock file', { '.terraform.lock.hcl': '# lock' }, '.terraform.lock.hcl'],
    ['a user’s notes', { 'NOTES.md': 'why this stack exists' }, 'NOTES.md'],
  ])('a folder with %s is kept, with a warning naming it and what to do', async (_label, files, named) => {
    folder('old', { 'cdk.tf.json': '{"old":true}', ...files });
    expect(await synth()).toBe(0);
    for (const [file, content] of Object.entries({ 'cdk.tf.json': '{"old":true}', ...files })) {
      expect(readFileSync(join(stacks(), 'old', file), 'utf8')).toBe(content);
    }
    expect(err).toHaveLength(1);
    expect(err[0]).toContain(
      `warning: kept ${join('cdktf.out', 'stacks', 'old')}: environment "old" is no longer in the config, but the folder holds ${named}`,
    );
    expect(err[0]).toContain('Delete the folder yourself once you no longer need it.');
    if (named.includes('.tfstate')) expect(err[0]).toContain('It holds Terraform state: destroy or move those resources');
  });

  test('a folder whose name differs from a configured environment only in case is not stale', async () => {
    folder('Tutorial', { 'cdk.tf.json': '{}' });
    expect(await synth()).toBe(0);
    expect(existsSync(join(stacks(), 'Tutorial', 'cdk.tf.json'))).toBe(true);
  });

  test('a symbolic link under stacks/ is not followed or removed', async () => {
    const target = mkdtempSync(join(tmpdir(), 'kms-link-target-'));
    try {
      writeFileSync(join(target, 'cdk.tf.json'), '{}');
      mkdirSync(stacks(), { recursive: true });
      symlinkSync(target, join(stacks(), 'linked'));
      expect(await synth()).toBe(0);
      expect(existsSync(join(target, 'cdk.tf.json'))).toBe(true);
      expect(existsSync(join(stacks(), 'linked'))).toBe(true);
    } finally {
      rmSync(target, { recursive: true, force: true });
    }
  });
});

describe('crash-safe writes: synth touches only its own files', () => {
  test('plans, .terraform, lock files and state under cdktf.out survive a synth unchanged', async () => {
    const keep: Record<string, string> = {
      'plans/tutorial.plan.json': '{"planned_values":{}}',
      'stacks/tutorial/.terraform/providers.txt': 'linked provider',
      'stacks/tutorial/.terraform.lock.hcl': '# lock',
      'stacks/tutorial/terraform.tfstate': '{"version":4}',
      'stacks/tutorial/plan.tfplan': 'binary',
    };
    for (const [file, content] of Object.entries(keep)) {
      mkdirSync(join(project, 'cdktf.out', file, '..'), { recursive: true });
      writeFileSync(join(project, 'cdktf.out', file), content);
    }
    expect(await synth()).toBe(0);
    for (const [file, content] of Object.entries(keep)) expect(readFileSync(join(project, 'cdktf.out', file), 'utf8')).toBe(content);
  });

  test('staging folders left by an interrupted run are removed by the next run', async () => {
    mkdirSync(join(project, 'cdktf.out', `${STAGING_PREFIX}abc123`, 'stacks', 'tutorial'), { recursive: true });
    writeFileSync(join(project, 'cdktf.out', `${STAGING_PREFIX}abc123`, 'stacks', 'tutorial', 'cdk.tf.json'), '{"par');
    expect(await synth()).toBe(0);
    expect(readdirSync(join(project, 'cdktf.out')).sort()).toEqual(['manifest.json', 'stacks']);
    expect(out).toContain(`removed what an interrupted synth left: ${STAGING_PREFIX}abc123`);
  });
});

describe('one synth at a time', () => {
  test('a second synth waits a bounded time, then fails naming the lock and its holder’s pid', async () => {
    const outdir = join(project, 'cdktf.out');
    let code: number | undefined;
    await withOutputLock(outdir, { waitMs: 0, command: 'a test holding the lock' }, async () => {
      code = await synth({ KMS_LOCK_WAIT_SECONDS: '1' });
    });
    expect(code).toBe(1);
    expect(err[0]).toBe(
      `waiting up to 1 s for ${lockPaths(outdir).lock}, held by pid ${process.pid} (a test holding the lock; running; since ${err[0].split('since ')[1]}`,
    );
    expect(err[1]).toMatch(
      new RegExp(
        `^npm run synth: ${lockPaths(outdir).lock.replace(/[.]/g, '\\.')} is held by pid ${process.pid} \\(a test holding the lock; running;`,
      ),
    );
    expect(err[1]).toContain('gave up after 1 s');
    expect(existsSync(join(outdir, 'stacks'))).toBe(false);
    // Released: the next synth runs.
    expect(await synth()).toBe(0);
    expect(existsSync(lockPaths(outdir).lock)).toBe(false);
    expect(existsSync(lockPaths(outdir).holder)).toBe(false);
  });

  test('a lock left by a killed holder is taken over once stale', async () => {
    const outdir = join(project, 'cdktf.out');
    const { lock, holder } = lockPaths(outdir);
    mkdirSync(lock, { recursive: true });
    writeFileSync(holder, JSON.stringify({ pid: 999999, command: 'npm run synth', host: 'elsewhere', since: '2026-01-01T00:00:00Z' }));
    const old = new Date(Date.now() - 60_000);
    utimesSync(lock, old, old);
    expect(await synth({ KMS_LOCK_WAIT_SECONDS: '0' })).toBe(0);
  });

  test('a malformed KMS_LOCK_WAIT_SECONDS exits 2', async () => {
    expect(await synth({ KMS_LOCK_WAIT_SECONDS: 'soon' })).toBe(2);
    expect(err[0]).toContain('KMS_LOCK_WAIT_SECONDS="soon" is not a whole number of seconds from 0 to 3600');
  });
});
