/**
 * "Create Job Definition from SDK Code": a processor built and `.run(…)` in Python (SageMaker Python SDK v2:
 * sagemaker.processing / sagemaker.sklearn / sagemaker.spark; v3: sagemaker.core.processing with
 * ProcessingS3Input/ProcessingS3Output and image_uris.retrieve) → the equivalent job definition, plus the list of what
 * could not be carried over (values computed at run time, options a definition does not have).
 *
 * Input: the module's JSON AST (src/local/pythonAst.ts). Literals and simple variables assigned earlier in the same
 * cell/file are followed (see evaluate.ts); nothing is run.
 */
import type { FrameworkDef, InputDef, JobDefinition, NetworkDef, OutputDef, SparkDef } from '../definition/types';
import { t } from '../l10n';
import { Handle, PyObj, Unknown, isPlainDict, plain, scanAssignments, evaluate, type Env, type Val } from './evaluate';
import { isNode, nodes, type PyNode } from './pyAst';

export interface ImportedJob {
  /** A key for `jobs` (from base_job_name or the script's name). */
  key: string;
  job: JobDefinition;
  /** What could not be carried over, one sentence each. */
  notes: string[];
  /** 1-based line of the run() call. */
  line: number;
  /** 1-based lines of the statement holding the run() call. */
  statement?: { startLine: number; endLine: number };
  /** Which SDK's spelling the code uses. */
  sdk: 'v2' | 'v3';
}

export interface ImportResult {
  jobs: ImportedJob[];
  /** Why nothing was found (when jobs is empty). */
  reason?: string;
}

const FRAMEWORK_OF_CLASS: Record<string, string> = {
  SKLearnProcessor: 'sklearn', PyTorchProcessor: 'pytorch', TensorFlowProcessor: 'tensorflow', XGBoostProcessor: 'xgboost',
  HuggingFaceProcessor: 'huggingface', MXNetProcessor: 'mxnet', PySparkProcessor: 'spark',
};
const FRAMEWORK_OF_ESTIMATOR: Record<string, string> = { SKLearn: 'sklearn', PyTorch: 'pytorch', TensorFlow: 'tensorflow', XGBoost: 'xgboost', HuggingFace: 'huggingface', MXNet: 'mxnet' };
const PROCESSORS = new Set(['ScriptProcessor', 'FrameworkProcessor', 'Processor', ...Object.keys(FRAMEWORK_OF_CLASS)]);
/** The framework-processor family: run(code, source_dir=…) packs source_dir like FrameworkProcessor. */
const FRAMEWORK_FAMILY = new Set(['FrameworkProcessor', 'PyTorchProcessor', 'TensorFlowProcessor', 'XGBoostProcessor', 'HuggingFaceProcessor', 'MXNetProcessor']);

/** Constructor parameters in order (for positional arguments). */
const CTOR_PARAMS: Record<string, string[]> = {
  ScriptProcessor: ['role', 'image_uri', 'command', 'instance_count', 'instance_type'],
  SKLearnProcessor: ['framework_version', 'role', 'instance_count', 'instance_type', 'command'],
  FrameworkProcessor: ['estimator_cls', 'framework_version', 'role', 'instance_count', 'instance_type', 'py_version', 'image_uri', 'command'],
  PySparkProcessor: ['role', 'instance_type', 'instance_count', 'framework_version', 'py_version', 'container_version', 'image_uri'],
  framework: ['framework_version', 'role', 'instance_count', 'instance_type', 'py_version', 'image_uri', 'command'],
};
const RUN_PARAMS: Record<string, string[]> = {
  script: ['code', 'inputs', 'outputs', 'arguments', 'wait', 'logs', 'job_name', 'experiment_config', 'kms_key'],
  framework: ['code', 'source_dir', 'dependencies', 'git_config', 'inputs', 'outputs', 'arguments', 'wait', 'logs', 'job_name', 'experiment_config', 'kms_key'],
  spark: ['submit_app', 'submit_py_files', 'submit_jars', 'submit_files', 'inputs', 'outputs', 'arguments', 'wait', 'logs', 'job_name', 'experiment_config', 'configuration', 'spark_event_logs_s3_uri', 'kms_key'],
};
const INPUT_PARAMS = ['source', 'destination', 'input_name', 's3_data_type', 's3_input_mode', 's3_data_distribution_type', 's3_compression_type'];
const OUTPUT_PARAMS = ['source', 'destination', 'output_name', 's3_upload_mode'];

/** Keyword arguments a definition has no place for and that change nothing in the request. */
const IGNORED = new Set(['sagemaker_session', 'wait', 'logs']);

function named(o: PyObj, params: string[]): Record<string, Val> {
  const out: Record<string, Val> = {};
  o.args.forEach((a, i) => {
    if (params[i]) out[params[i]] = a;
  });
  return { ...out, ...o.kwargs };
}

class Collector {
  readonly notes: string[] = [];
  sdk: 'v2' | 'v3' = 'v2';
  runtime(field: string, src: string): void {
    this.notes.push(t('{0}: `{1}` is computed at run time, so it was not carried over; fill it in.', field, src));
  }
  unsupported(field: string): void {
    this.notes.push(t('{0}: a job definition has no such option; it was left out.', field));
  }
  /** A plain value of the expected type, else a note and undefined. */
  value<T>(field: string, v: Val | undefined, check: (x: unknown) => boolean): T | undefined {
    if (v === undefined || v === null) return undefined;
    const p = plain(v);
    if (!p.ok) {
      this.runtime(field, p.src);
      return undefined;
    }
    if (!check(p.value)) {
      this.notes.push(t('{0}: a value of an unexpected type ({1}) was left out.', field, JSON.stringify(p.value)));
      return undefined;
    }
    return p.value as T;
  }
  str(field: string, v: Val | undefined): string | undefined {
    return this.value<string>(field, v, (x) => typeof x === 'string');
  }
  int(field: string, v: Val | undefined): number | undefined {
    return this.value<number>(field, v, (x) => typeof x === 'number' && Number.isInteger(x));
  }
  bool(field: string, v: Val | undefined): boolean | undefined {
    return this.value<boolean>(field, v, (x) => typeof x === 'boolean');
  }
  strList(field: string, v: Val | undefined): string[] | undefined {
    return this.value<string[]>(field, v, (x) => Array.isArray(x) && x.every((s) => typeof s === 'string'));
  }
  strMap(field: string, v: Val | undefined): Record<string, string> | undefined {
    return this.value<Record<string, string>>(field, v, (x) => !!x && typeof x === 'object' && !Array.isArray(x) && Object.values(x).every((s) => typeof s === 'string'));
  }
  /** Required string fields keep a visible placeholder, so the definition's validation points at what to fill in. */
  required(field: string, v: Val | undefined): string {
    if (v === undefined || v === null) {
      this.notes.push(t('{0} is missing.', field));
      return '';
    }
    const p = plain(v);
    if (p.ok && typeof p.value === 'string') return p.value;
    if (!p.ok) this.runtime(field, p.src);
    else this.notes.push(t('{0}: a value of an unexpected type ({1}) was left out.', field, JSON.stringify(p.value)));
    return `<${p.ok ? field : p.src}>`;
  }
}

function frameworkFromImage(c: Collector, field: string, v: Val | undefined, job: JobDefinition): void {
  if (v instanceof PyObj && v.cls === 'image_uris.retrieve') {
    const k = named(v, ['framework', 'region', 'version', 'py_version', 'instance_type']);
    const name = c.str(`${field} (framework)`, k.framework);
    const version = c.str(`${field} (version)`, k.version);
    if (name && version) {
      job.framework = { name, version };
      const py = c.str(`${field} (py_version)`, k.py_version);
      if (py && py !== 'py3') job.framework.pythonVersion = py;
    }
    return;
  }
  const image = c.str(field, v);
  if (image) job.image = image;
}

function tagsOf(c: Collector, v: Val | undefined): Record<string, string> | undefined {
  if (v === undefined || v === null) return undefined;
  const p = plain(v);
  if (!p.ok) {
    c.runtime('tags', p.src);
    return undefined;
  }
  if (Array.isArray(p.value) && p.value.every((x) => x && typeof x === 'object' && typeof (x as { Key: unknown }).Key === 'string' && typeof (x as { Value: unknown }).Value === 'string')) {
    return Object.fromEntries((p.value as { Key: string; Value: string }[]).map((x) => [x.Key, x.Value]));
  }
  if (p.value && typeof p.value === 'object' && !Array.isArray(p.value) && Object.values(p.value).every((x) => typeof x === 'string')) return p.value as Record<string, string>;
  c.notes.push(t('{0}: a value of an unexpected type ({1}) was left out.', 'tags', JSON.stringify(p.value)));
  return undefined;
}

function networkOf(c: Collector, v: Val | undefined): NetworkDef | undefined {
  if (v === undefined || v === null) return undefined;
  if (!(v instanceof PyObj) || v.cls !== 'NetworkConfig') {
    c.runtime('network_config', v instanceof Unknown || v instanceof Handle ? v.src : JSON.stringify(plain(v)));
    return undefined;
  }
  const k = named(v, ['enable_network_isolation', 'security_group_ids', 'subnets', 'encrypt_inter_container_traffic']);
  const n: NetworkDef = {};
  const subnets = c.strList('network_config.subnets', k.subnets);
  const sgs = c.strList('network_config.security_group_ids', k.security_group_ids);
  const iso = c.bool('network_config.enable_network_isolation', k.enable_network_isolation);
  const enc = c.bool('network_config.encrypt_inter_container_traffic', k.encrypt_inter_container_traffic);
  if (subnets) n.subnets = subnets;
  if (sgs) n.securityGroups = sgs;
  if (iso !== undefined) n.enableNetworkIsolation = iso;
  if (enc !== undefined) n.enableInterContainerTrafficEncryption = enc;
  return n;
}

function inputOf(c: Collector, v: Val, i: number): InputDef | undefined {
  const f = `inputs[${i}]`;
  if (!(v instanceof PyObj) || v.cls !== 'ProcessingInput') {
    c.runtime(f, v instanceof Unknown || v instanceof PyObj || v instanceof Handle ? v.src : JSON.stringify(v));
    return undefined;
  }
  const k = named(v, INPUT_PARAMS);
  let s3: Record<string, Val> = k;
  let source: Val | undefined = k.source;
  let destination: Val | undefined = k.destination;
  if (k.s3_input instanceof PyObj && (k.s3_input.cls === 'ProcessingS3Input' || k.s3_input.cls === 'S3Input')) {
    // v3 (sagemaker.core.shapes): ProcessingInput(input_name=…, s3_input=ProcessingS3Input(s3_uri=…, local_path=…)).
    c.sdk = 'v3';
    s3 = named(k.s3_input, ['s3_uri', 'local_path', 's3_data_type', 's3_input_mode', 's3_data_distribution_type', 's3_compression_type']);
    source = s3.s3_uri;
    destination = s3.local_path;
  } else if (k.s3_input !== undefined && k.s3_input !== null) {
    c.runtime(`${f}.s3_input`, (k.s3_input as Unknown).src ?? '?');
  }
  for (const x of ['dataset_definition', 'app_managed']) if (k[x] !== undefined && k[x] !== null && k[x] !== false) c.unsupported(`${f}.${x}`);
  let input: InputDef = { source: c.required(`${f}.source`, source), destination: c.required(`${f}.destination`, destination) };
  const name = c.str(`${f}.input_name`, k.input_name);
  if (name) input = { name, ...input };
  const mode = c.str(`${f}.s3_input_mode`, s3.s3_input_mode);
  if (mode && mode !== 'File') input.inputMode = mode as InputDef['inputMode'];
  const type = c.str(`${f}.s3_data_type`, s3.s3_data_type);
  if (type && type !== 'S3Prefix') input.dataType = type as InputDef['dataType'];
  const dist = c.str(`${f}.s3_data_distribution_type`, s3.s3_data_distribution_type);
  if (dist && dist !== 'FullyReplicated') input.distribution = dist as InputDef['distribution'];
  const comp = c.str(`${f}.s3_compression_type`, s3.s3_compression_type);
  if (comp && comp !== 'None') input.compression = comp as InputDef['compression'];
  return input;
}

function outputOf(c: Collector, v: Val, i: number): OutputDef | undefined {
  const f = `outputs[${i}]`;
  if (!(v instanceof PyObj) || v.cls !== 'ProcessingOutput') {
    c.runtime(f, v instanceof Unknown || v instanceof PyObj || v instanceof Handle ? v.src : JSON.stringify(v));
    return undefined;
  }
  const k = named(v, OUTPUT_PARAMS);
  let s3: Record<string, Val> = k;
  let source: Val | undefined = k.source;
  let destination: Val | undefined = k.destination;
  if (k.s3_output instanceof PyObj && (k.s3_output.cls === 'ProcessingS3Output' || k.s3_output.cls === 'S3Output')) {
    c.sdk = 'v3';
    s3 = named(k.s3_output, ['s3_uri', 'local_path', 's3_upload_mode']);
    source = s3.local_path;
    destination = s3.s3_uri;
  }
  for (const x of ['feature_store_output', 'app_managed']) if (k[x] !== undefined && k[x] !== null && k[x] !== false) c.unsupported(`${f}.${x}`);
  const name = c.str(`${f}.output_name`, k.output_name);
  const out: OutputDef = name ? { name, source: c.required(`${f}.source`, source) } : { source: c.required(`${f}.source`, source) };
  const dest = c.str(`${f}.destination`, destination);
  if (dest) out.destination = dest;
  const mode = c.str(`${f}.s3_upload_mode`, s3.s3_upload_mode);
  if (mode && mode !== 'EndOfJob') out.uploadMode = mode as OutputDef['uploadMode'];
  return out;
}

function listOf(c: Collector, field: string, v: Val | undefined): Val[] | undefined {
  if (v === undefined || v === null) return undefined;
  if (Array.isArray(v)) return v;
  c.runtime(field, v instanceof Unknown || v instanceof PyObj || v instanceof Handle ? v.src : JSON.stringify(v));
  return undefined;
}

/** One processor + run() call → a job definition. */
export function mapRun(proc: PyObj, run: PyObj, line: number): ImportedJob {
  const c = new Collector();
  const job: JobDefinition = {};
  const cls = proc.cls;
  const kind = cls === 'PySparkProcessor' ? 'spark' : FRAMEWORK_FAMILY.has(cls) ? 'framework' : 'script';
  const p = named(proc, CTOR_PARAMS[cls] ?? (FRAMEWORK_FAMILY.has(cls) ? CTOR_PARAMS.framework : CTOR_PARAMS.ScriptProcessor));
  const r = named(run, RUN_PARAMS[kind]);
  const used = new Set<string>(IGNORED);
  const use = (k: Record<string, Val>, key: string) => {
    used.add(key);
    return k[key];
  };

  if (cls === 'Processor') c.notes.push(t('Processor (without a script) is not a script job: only its image, resources and inputs/outputs were carried over.'));
  // The image: a framework (class, estimator_cls, framework_version) or image_uri.
  let fwName: string | undefined = FRAMEWORK_OF_CLASS[cls];
  if (cls === 'FrameworkProcessor') {
    const est = use(p, 'estimator_cls');
    const estName = est instanceof Unknown ? est.src.split('.').pop() : undefined;
    fwName = estName ? FRAMEWORK_OF_ESTIMATOR[estName] : undefined;
    if (!fwName && est !== undefined) c.runtime('estimator_cls', est instanceof Unknown ? est.src : String(est));
  }
  const imageUri = use(p, 'image_uri');
  if (imageUri !== undefined && imageUri !== null) frameworkFromImage(c, 'image_uri', imageUri, job);
  const version = c.str('framework_version', use(p, 'framework_version'));
  const py = c.str('py_version', use(p, 'py_version'));
  if (!job.image && !job.framework && fwName && version) {
    const fw: FrameworkDef = { name: fwName, version };
    if (py && fwName !== 'spark' && py !== 'py3') fw.pythonVersion = py;
    job.framework = fw;
  }
  if (use(p, 'container_version') !== undefined) c.unsupported('container_version');
  if (cls === 'Processor') {
    const ep = c.strList('entrypoint', use(p, 'entrypoint'));
    if (ep) job.command = ep;
  } else {
    const command = c.strList('command', use(p, 'command'));
    if (command) job.command = command;
  }
  const role = c.str('role', use(p, 'role'));
  if (role) job.role = role;
  const it = c.str('instance_type', use(p, 'instance_type'));
  if (it) job.instanceType = it;
  const ic = c.int('instance_count', use(p, 'instance_count'));
  if (ic !== undefined) job.instanceCount = ic;
  const vol = c.int('volume_size_in_gb', use(p, 'volume_size_in_gb'));
  if (vol !== undefined) job.volumeSizeGB = vol;
  const vk = c.str('volume_kms_key', use(p, 'volume_kms_key'));
  if (vk) job.volumeKmsKeyId = vk;
  const ok = c.str('output_kms_key', use(p, 'output_kms_key'));
  if (ok) job.outputKmsKeyId = ok;
  const mr = c.int('max_runtime_in_seconds', use(p, 'max_runtime_in_seconds'));
  if (mr !== undefined) job.maxRuntimeSeconds = mr;
  const base = c.str('base_job_name', use(p, 'base_job_name'));
  if (base) job.baseJobName = base;
  const env = c.strMap('env', use(p, 'env'));
  if (env) job.environment = env;
  const tags = tagsOf(c, use(p, 'tags'));
  if (tags) job.tags = tags;
  const net = networkOf(c, use(p, 'network_config'));
  if (net) job.network = net;
  for (const k of Object.keys(p)) if (!used.has(k)) c.unsupported(k);

  // run(): the script and what it reads and writes.
  const usedRun = new Set<string>(IGNORED);
  const useR = (key: string) => {
    usedRun.add(key);
    return r[key];
  };
  if (kind === 'spark') {
    job.script = c.required('submit_app', useR('submit_app'));
    const spark: SparkDef = {};
    const pyf = c.strList('submit_py_files', useR('submit_py_files'));
    if (pyf) spark.submitPyFiles = pyf;
    const jars = c.strList('submit_jars', useR('submit_jars'));
    if (jars) spark.submitJars = jars;
    const files = c.strList('submit_files', useR('submit_files'));
    if (files) spark.submitFiles = files;
    const conf = c.value<SparkDef['configuration']>('configuration', useR('configuration'), (x) => !!x && typeof x === 'object');
    if (conf) spark.configuration = conf;
    const ev = c.str('spark_event_logs_s3_uri', useR('spark_event_logs_s3_uri'));
    if (ev) spark.eventLogsS3Uri = ev;
    if (Object.keys(spark).length) job.spark = spark;
    if (!job.framework && !job.image) job.framework = { name: 'spark', version: version ?? '3.5' };
  } else if (cls !== 'Processor') {
    job.script = c.required('code', useR('code'));
    if (kind === 'framework') {
      const sd = c.str('source_dir', useR('source_dir'));
      if (sd) job.sourceDir = sd;
      for (const x of ['dependencies', 'git_config', 'codeartifact_repo_arn']) {
        usedRun.add(x);
        if (r[x] !== undefined && r[x] !== null) c.unsupported(`run(${x}=…)`);
      }
    }
  }
  const inputs = listOf(c, 'inputs', useR('inputs'))?.map((v, i) => inputOf(c, v, i)).filter((x): x is InputDef => !!x);
  if (inputs?.length) job.inputs = inputs;
  const outputs = listOf(c, 'outputs', useR('outputs'))?.map((v, i) => outputOf(c, v, i)).filter((x): x is OutputDef => !!x);
  if (outputs?.length) job.outputs = outputs;
  const args = useR('arguments');
  if (Array.isArray(args)) {
    // Numbers are passed as str() by the SDK.
    const list = args.map((a) => (typeof a === 'number' ? String(a) : a));
    const s = c.strList('arguments', list);
    if (s) job.arguments = s;
  } else if (args !== undefined && args !== null) c.strList('arguments', args);
  const jn = c.str('job_name', useR('job_name'));
  if (jn) job.jobName = jn;
  const ex = c.value<JobDefinition['experimentConfig']>('experiment_config', useR('experiment_config'), (x) => !!x && typeof x === 'object' && !Array.isArray(x));
  if (ex) job.experimentConfig = ex;
  const kms = c.str('kms_key', useR('kms_key'));
  if (kms) job.kmsKey = kms;
  for (const k of Object.keys(r)) if (!usedRun.has(k)) c.unsupported(`run(${k}=…)`);
  const session = proc.kwargs.sagemaker_session;
  if (session !== undefined && session !== null && !(session instanceof Handle)) {
    c.notes.push(t('sagemaker_session: the job runs with the extension\'s AWS profile, region and default bucket.'));
  }
  return { key: keyFor(job), job, notes: c.notes, line, sdk: c.sdk };
}

/** A key for `jobs`: base_job_name, else the script's name (`preprocessing.py` → `preprocessing`). */
export function keyFor(job: JobDefinition): string {
  const from = job.baseJobName || (job.script && !job.script.startsWith('<') ? job.script.split('/').pop()!.replace(/\.py$/, '') : '') || 'imported-job';
  return from.replace(/[^a-zA-Z0-9_-]+/g, '-').replace(/^-+|-+$/g, '') || 'imported-job';
}

function runCallsIn(n: unknown, out: PyNode[] = []): PyNode[] {
  if (Array.isArray(n)) for (const x of n) runCallsIn(x, out);
  else if (isNode(n)) {
    if (n._type === 'FunctionDef' || n._type === 'AsyncFunctionDef' || n._type === 'ClassDef' || n._type === 'Lambda') return out;
    if (n._type === 'Call' && isNode(n.func) && n.func._type === 'Attribute' && n.func.attr === 'run') out.push(n);
    for (const [k, v] of Object.entries(n)) if (!k.startsWith('_')) runCallsIn(v, out);
  }
  return out;
}

/**
 * The jobs of a module: each `<processor>.run(…)` whose statement overlaps `range` (1-based, inclusive; default: the whole
 * module), with the variables assigned before it. Imports of sagemaker.core mark the v3 spelling.
 */
export function importFromModule(tree: PyNode, range?: { startLine: number; endLine: number }): ImportResult {
  const body = nodes(tree.body);
  const env: Env = new Map();
  const jobs: ImportedJob[] = [];
  let v3 = false;
  let sawProcessor = false;
  scanAssignments(body, env, (s, e) => {
    if (s._type === 'ImportFrom' && typeof s.module === 'string' && s.module.startsWith('sagemaker.core')) v3 = true;
    if (s._type === 'Import' && nodes(s.names).some((a) => String(a.name).startsWith('sagemaker.core'))) v3 = true;
    const line = s._line ?? 0;
    const end = s._end ?? line;
    const inRange = !range || (line <= range.endLine && end >= range.startLine);
    if (!inRange) return;
    for (const call of runCallsIn(s)) {
      const target = evaluate((call.func as PyNode).value, e);
      if (!(target instanceof PyObj) || !PROCESSORS.has(target.cls)) continue;
      sawProcessor = true;
      const kw: Record<string, Val> = {};
      for (const k of nodes(call.keywords)) if (typeof k.arg === 'string') kw[k.arg] = evaluate(k.value, e);
      const run = new PyObj('run', nodes(call.args).map((a) => evaluate(a, e)), kw, call._src ?? 'run(…)', call._line ?? line);
      const job = mapRun(target, run, call._line ?? line);
      if (v3) job.sdk = 'v3';
      job.statement = { startLine: line, endLine: end };
      if (nodes(call.keywords).some((k) => typeof k.arg !== 'string')) job.notes.push(t('run(**kwargs): keyword arguments passed with ** are computed at run time and were not carried over.'));
      jobs.push(job);
    }
  });
  if (jobs.length) return { jobs };
  return { jobs, reason: sawProcessor ? undefined : t('No processor `.run(…)` call of the SageMaker Python SDK was found here (ScriptProcessor, SKLearnProcessor, FrameworkProcessor, PySparkProcessor…).') };
}

export { Unknown, PyObj, isPlainDict };
