// The table of bad job definitions: each must be rejected before any API call, naming the field path and the problem.
import { describe, it, before, after } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { checkDefinitionText } from '../../src/core/definition/resolve';
import { definitionWorkspace } from '../support/workspace';

const ROLE = 'arn:aws:iam::123456789012:role/SageMakerProcessingRole';
const IMAGE = '123456789012.dkr.ecr.us-east-1.amazonaws.com/census:latest';

type Def = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

function good(): Def {
  return {
    version: '1',
    defaults: { role: ROLE, instanceType: 'ml.m5.xlarge' },
    jobs: {
      census: {
        script: 'preprocessing.py',
        image: IMAGE,
        inputs: [
          { name: 'census', source: 'data/census.csv', destination: '/opt/ml/processing/input' },
          { name: 'extra', source: 's3://my-bucket/extra', destination: '/opt/ml/processing/extra' },
        ],
        outputs: [{ name: 'train', source: '/opt/ml/processing/train' }],
        arguments: ['--ratio', '0.2'],
      },
    },
  };
}

const job = (d: Def) => d.jobs.census;

/** [what, change (a function on the good definition, or raw text), expected path, expected message]. */
const CASES: [string, ((d: Def) => void) | string, string, RegExp][] = [
  ['bad JSON', '{ "version": "1", "jobs": { ', '', /invalid JSON/],
  ['not an object', '[1, 2]', '', /must be an object, not an array/],
  ['missing version', (d) => delete d.version, '', /missing required field "version"/],
  ['unknown version', (d) => (d.version = '2'), 'version', /must be one of "1" \(got "2"\)/],
  ['missing jobs', (d) => delete d.jobs, '', /missing required field "jobs"/],
  ['jobs is an array', (d) => (d.jobs = []), 'jobs', /must be an object, not an array/],
  ['unknown top-level key', (d) => (d.job = {}), 'job', /unknown field "job"/],
  ['unknown job key', (d) => (job(d).instancetype = 'ml.m5.xlarge'), 'jobs.census.instancetype', /unknown field "instancetype" \(did you mean "instanceType"\?\)/],
  ['unknown defaults key', (d) => (d.defaults.foo = 1), 'defaults.foo', /unknown field "foo"/],
  ['missing script', (d) => delete job(d).script, 'jobs.census', /missing "script"/],
  ['script not found', (d) => (job(d).script = 'nope.py'), 'jobs.census.script', /script not found: .*nope\.py/],
  // Notebook jobs (hostile or mistaken `notebook` / `parameters`), each named at its field before any AWS call.
  ['script and notebook both', (d) => (job(d).notebook = 'report.ipynb'), 'jobs.census.notebook', /set either "script" or "notebook", not both/],
  ['notebook that is no .ipynb', (d) => { delete job(d).script; job(d).notebook = 'preprocessing.py'; }, 'jobs.census.notebook', /"preprocessing\.py" is not a notebook \(a \.ipynb file\)/],
  ['notebook not found', (d) => { delete job(d).script; job(d).notebook = 'nope.ipynb'; }, 'jobs.census.notebook', /notebook not found: .*nope\.ipynb/],
  ['parameter name that is shell text', (d) => { delete job(d).script; job(d).notebook = 'nope.ipynb'; job(d).parameters = { '1x; rm -rf /': 1 }; }, 'jobs.census.parameters.1x; rm -rf /', /is not a notebook parameter name/],
  ['parameters without a notebook', (d) => (job(d).parameters = { ratio: 0.5 }), 'jobs.census.parameters', /"parameters" go with "notebook"/],
  ['script not a string', (d) => (job(d).script = 3), 'jobs.census.script', /must be a string, not a number/],
  ['no image source', (d) => delete job(d).image, 'jobs.census', /no image: set one of "image", "framework" or "build"/],
  ['two image sources', (d) => (job(d).framework = { name: 'sklearn', version: '1.2-1' }), 'jobs.census', /set only one of "image", "framework" and "build" \(found "image" and "framework"\)/],
  ['unknown framework', (d) => { delete job(d).image; job(d).framework = { name: 'sklaern', version: '1.2-1' }; }, 'jobs.census.framework.name', /must be one of "sklearn", "xgboost", "pytorch", "tensorflow", "spark"/],
  ['unknown framework version', (d) => { delete job(d).image; job(d).framework = { name: 'sklearn', version: '9.9' }; }, 'jobs.census.framework.version', /unknown sklearn version "9\.9"; known: 0\.20\.0, 0\.23-1, 1\.0-1, 1\.2-1/],
  ['framework without version', (d) => { delete job(d).image; job(d).framework = { name: 'sklearn' }; }, 'jobs.census.framework', /missing required field "version"/],
  ['image with spaces', (d) => (job(d).image = 'my image'), 'jobs.census.image', /no spaces/],
  ['build without repository', (d) => { delete job(d).image; job(d).build = { dockerfile: 'Dockerfile' }; }, 'jobs.census.build', /missing required field "repository"/],
  ['build bad repository', (d) => { delete job(d).image; job(d).build = { repository: 'My_Repo!' }; }, 'jobs.census.build.repository', /not an ECR repository name/],
  ['build bad tag', (d) => { delete job(d).image; job(d).build = { repository: 'repo', tag: 'a:b' }; }, 'jobs.census.build.tag', /not an image tag/],
  ['Dockerfile not found', (d) => { delete job(d).image; job(d).build = { repository: 'repo', dockerfile: 'Missing.Dockerfile' }; }, 'jobs.census.build.dockerfile', /Dockerfile not found/],
  ['bad role ARN', (d) => (job(d).role = 'SageMaker Role'), 'jobs.census.role', /"SageMaker Role" is not an IAM role ARN/],
  ['bad role ARN in defaults', (d) => (d.defaults.role = 'arn:aws:iam::12:role/x'), 'defaults.role', /is not an IAM role ARN/],
  ['no role anywhere', (d) => delete d.defaults.role, 'jobs.census', /no "role"/],
  ['bad instance type', (d) => (job(d).instanceType = 'm5.xlarge'), 'jobs.census.instanceType', /not an ML instance type like ml\.m5\.xlarge/],
  ['instance count 0', (d) => (job(d).instanceCount = 0), 'jobs.census.instanceCount', /between 1 and 100 \(got 0\)/],
  ['instance count 101', (d) => (job(d).instanceCount = 101), 'jobs.census.instanceCount', /between 1 and 100 \(got 101\)/],
  ['instance count 1.5', (d) => (job(d).instanceCount = 1.5), 'jobs.census.instanceCount', /whole number, not 1\.5/],
  ['instance count as string', (d) => (job(d).instanceCount = '2'), 'jobs.census.instanceCount', /whole number, not a string/],
  ['runtime too long', (d) => (job(d).maxRuntimeSeconds = 777_601), 'jobs.census.maxRuntimeSeconds', /between 1 and 777600 \(got 777601\)/],
  ['volume 0', (d) => (job(d).volumeSizeGB = 0), 'jobs.census.volumeSizeGB', /between 1 and 16384/],
  ['11 inputs', (d) => (job(d).inputs = Array.from({ length: 11 }, (_, i) => ({ name: `i${i}`, source: 's3://b-1/x', destination: `/opt/ml/processing/i${i}` }))), 'jobs.census.inputs', /has 11 inputs; at most 10/],
  ['10 inputs + code', (d) => (job(d).inputs = Array.from({ length: 10 }, (_, i) => ({ name: `i${i}`, source: 's3://b-1/x', destination: `/opt/ml/processing/i${i}` }))), 'jobs.census.inputs', /with the "code" input the job would have 11, at most 10/],
  ['11 outputs', (d) => (job(d).outputs = Array.from({ length: 11 }, (_, i) => ({ name: `o${i}`, source: `/opt/ml/processing/o${i}` }))), 'jobs.census.outputs', /has 11 outputs; at most 10/],
  ['101 arguments', (d) => (job(d).arguments = Array.from({ length: 101 }, () => 'x')), 'jobs.census.arguments', /has 101 arguments; at most 100/],
  ['argument too long', (d) => (job(d).arguments = ['a'.repeat(257)]), 'jobs.census.arguments[0]', /257 characters long; at most 256/],
  ['argument not a string', (d) => (job(d).arguments = [1]), 'jobs.census.arguments[0]', /must be a string, not a number/],
  ['101 environment variables', (d) => (job(d).environment = Object.fromEntries(Array.from({ length: 101 }, (_, i) => [`V${i}`, 'x']))), 'jobs.census.environment', /has 101 environment variables; at most 100/],
  ['bad environment name', (d) => (job(d).environment = { '1ABC': 'x' }), 'jobs.census.environment.1ABC', /not an environment variable name/],
  ['environment value not a string', (d) => (job(d).environment = { A: 1 }), 'jobs.census.environment.A', /must be a string, not a number/],
  ['bad S3 input URI', (d) => (job(d).inputs[1].source = 's3://B/x'), 'jobs.census.inputs[1].source', /"s3:\/\/B\/x" is not a valid S3 URI/],
  ['http input', (d) => (job(d).inputs[1].source = 'https://example.com/x'), 'jobs.census.inputs[1].source', /must be an s3:\/\/ URI or a local path/],
  ['missing local input', (d) => (job(d).inputs[0].source = 'data/missing.csv'), 'jobs.census.inputs[0].source', /local file not found: .*data\/missing\.csv/],
  ['input destination outside', (d) => (job(d).inputs[1].destination = '/tmp/data'), 'jobs.census.inputs[1].destination', /must be a folder under \/opt\/ml\/processing\//],
  ['input destination relative', (d) => (job(d).inputs[1].destination = 'data'), 'jobs.census.inputs[1].destination', /must be an absolute path under \/opt\/ml\/processing\//],
  ['input destination with ..', (d) => (job(d).inputs[1].destination = '/opt/ml/processing/../x'), 'jobs.census.inputs[1].destination', /must not contain "\.\."/],
  ['input destination is the root', (d) => (job(d).inputs[1].destination = '/opt/ml/processing/'), 'jobs.census.inputs[1].destination', /must be a folder under/],
  ['input destination is the code folder', (d) => (job(d).inputs[1].destination = '/opt/ml/processing/input/code'), 'jobs.census.inputs[1].destination', /is where the job's code goes/],
  ['same destination twice', (d) => (job(d).inputs[1].destination = '/opt/ml/processing/input/'), 'jobs.census.inputs[1].destination', /same destination as inputs\[0\]/],
  ['input missing destination', (d) => delete job(d).inputs[1].destination, 'jobs.census.inputs[1]', /missing required field "destination"/],
  ['duplicate input names', (d) => (job(d).inputs[1].name = 'census'), 'jobs.census.inputs[1].name', /duplicate input name "census" \(also inputs\[0\]\)/],
  ['reserved input name', (d) => (job(d).inputs[1].name = 'code'), 'jobs.census.inputs[1].name', /"code" is reserved/],
  ['bad input name', (d) => (job(d).inputs[1].name = 'my input'), 'jobs.census.inputs[1].name', /letters, digits, "_" and "-" only/],
  ['bad input mode', (d) => (job(d).inputs[1].inputMode = 'Stream'), 'jobs.census.inputs[1].inputMode', /must be one of "File", "Pipe" \(got "Stream"\)/],
  ['bad distribution', (d) => (job(d).inputs[1].distribution = 'Sharded'), 'jobs.census.inputs[1].distribution', /must be one of "FullyReplicated", "ShardedByS3Key"/],
  ['bad compression', (d) => (job(d).inputs[1].compression = 'zip'), 'jobs.census.inputs[1].compression', /must be one of "None", "Gzip"/],
  ['bad data type', (d) => (job(d).inputs[1].dataType = 'Prefix'), 'jobs.census.inputs[1].dataType', /must be one of "S3Prefix", "ManifestFile"/],
  ['output source outside', (d) => (job(d).outputs[0].source = '/opt/ml/model'), 'jobs.census.outputs[0].source', /must be a folder under \/opt\/ml\/processing\//],
  ['bad output destination', (d) => (job(d).outputs[0].destination = 'bucket/prefix'), 'jobs.census.outputs[0].destination', /"bucket\/prefix" is not a valid S3 URI/],
  ['duplicate output names', (d) => job(d).outputs.push({ name: 'train', source: '/opt/ml/processing/t2' }), 'jobs.census.outputs[1].name', /duplicate output name "train"/],
  ['duplicate default output names', (d) => (job(d).outputs = [{ source: '/opt/ml/processing/a' }, { name: 'output-1', source: '/opt/ml/processing/b' }]), 'jobs.census.outputs[1].name', /duplicate output name "output-1"/],
  ['bad upload mode', (d) => (job(d).outputs[0].uploadMode = 'Later'), 'jobs.census.outputs[0].uploadMode', /must be one of "EndOfJob", "Continuous"/],
  ['bad baseJobName', (d) => (job(d).baseJobName = 'census_prep'), 'jobs.census.baseJobName', /not a job name/],
  ['baseJobName too long', (d) => (job(d).baseJobName = 'a'.repeat(64)), 'jobs.census.baseJobName', /not a job name|64 characters long/],
  ['subnets without security groups', (d) => (job(d).network = { subnets: ['subnet-1'] }), 'jobs.census.network', /"subnets" and "securityGroups" go together/],
  ['isolation not boolean', (d) => (job(d).network = { enableNetworkIsolation: 'yes' }), 'jobs.census.network.enableNetworkIsolation', /must be true or false, not a string/],
  ['empty command', (d) => (job(d).command = []), 'jobs.census.command', /needs at least 1 items/],
  ['command not an array', (d) => (job(d).command = 'python3'), 'jobs.census.command', /must be an array, not a string/],
  ['unknown variable', (d) => (job(d).arguments = ['${workspace}']), 'jobs.census.arguments[0]', /unknown variable "\$\{workspace\}"/],
  ['bad bucket name', (d) => (job(d).bucket = 'My_Bucket'), 'jobs.census.bucket', /not an S3 bucket name/],
  ['sourceDir not found', (d) => (job(d).sourceDir = 'src'), 'jobs.census.sourceDir', /folder not found: .*src/],
  ['bad tag value', (d) => (job(d).tags = { team: 5 }), 'jobs.census.tags.team', /must be a string, not a number/],
  ['job key with spaces', (d) => (d.jobs['my job'] = job(d)), 'jobs.my job', /not a job key/],
];

describe('bad job definitions (table)', () => {
  let ws: string;
  before(() => {
    ws = definitionWorkspace();
  });
  after(() => fs.rmSync(ws, { recursive: true, force: true }));

  const opts = () => ({ workspaceFolder: ws, fileExists: (p: string) => fs.existsSync(p), requireRole: true });

  it('the good definition has no problems', () => {
    const r = checkDefinitionText(JSON.stringify(good(), null, 2), opts());
    assert.deepEqual(r.problems, []);
    assert.ok(r.definition);
  });

  it(`has at least 40 cases (${CASES.length})`, () => assert.ok(CASES.length >= 40));

  it('an unknown field with a suggestion is kept beside the JSON service\'s "not allowed"; one without is the service\'s', () => {
    const d = good();
    d.jobs.census.instancetype = 'ml.m5.xlarge';
    d.jobs.census.zzz = 1;
    const r = checkDefinitionText(JSON.stringify(d, null, 2), opts());
    const of = (path: string) => r.problems.find((p) => p.path === path);
    assert.match(of('jobs.census.instancetype')?.message ?? '', /did you mean "instanceType"/);
    assert.equal(of('jobs.census.instancetype')?.jsonService, undefined, 'the suggestion is shown');
    assert.equal(of('jobs.census.zzz')?.jsonService, true, 'the service already says it');
  });

  for (const [what, change, expectedPath, expectedMessage] of CASES) {
    it(what, () => {
      let text: string;
      if (typeof change === 'string') text = change;
      else {
        const d = good();
        change(d);
        text = JSON.stringify(d, null, 2);
      }
      const r = checkDefinitionText(text, opts());
      assert.equal(r.definition, undefined, 'must be rejected');
      const errors = r.problems.filter((p) => p.severity === 'error');
      const hit = errors.find((p) => p.path === expectedPath && expectedMessage.test(p.message));
      assert.ok(hit, `expected ${expectedPath}: ${expectedMessage}; got:\n${errors.map((p) => `  ${p.path}: ${p.message}`).join('\n')}`);
      assert.equal(typeof hit.line, 'number', 'located in the text');
    });
  }
});
