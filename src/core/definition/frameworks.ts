/**
 * AWS-owned processing images ("framework" in a job definition), resolved per region from the accounts that own
 * them. Unknown names, versions or regions give an error that lists what is known.
 */
import { t } from '../l10n';

export interface FrameworkImage {
  repository: string;
  /** Versions → image tag (may depend on the Python version and CPU/GPU). */
  versions: Record<string, (o: { gpu: boolean; py?: string }) => string>;
  accounts: Record<string, string>;
  pythonVersions?: string[];
}

const SKLEARN_ACCOUNTS: Record<string, string> = {
  'us-east-1': '683313688378', 'us-east-2': '257758044811', 'us-west-1': '746614075791', 'us-west-2': '246618743249',
  'ca-central-1': '341280168497', 'sa-east-1': '737474898029', 'eu-west-1': '141502667606', 'eu-west-2': '764974769150',
  'eu-west-3': '659782779980', 'eu-central-1': '492215442770', 'eu-north-1': '662702820516', 'ap-south-1': '720646828776',
  'ap-northeast-1': '354813040037', 'ap-northeast-2': '366743142698', 'ap-southeast-1': '121021644041', 'ap-southeast-2': '783357654285',
};

const DLC_ACCOUNT = '763104351884';
const DLC_ACCOUNTS: Record<string, string> = Object.fromEntries(
  ['us-east-1', 'us-east-2', 'us-west-1', 'us-west-2', 'ca-central-1', 'sa-east-1', 'eu-west-1', 'eu-west-2', 'eu-west-3', 'eu-central-1',
    'eu-north-1', 'ap-south-1', 'ap-northeast-1', 'ap-northeast-2', 'ap-northeast-3', 'ap-southeast-1', 'ap-southeast-2']
    .map((r) => [r, DLC_ACCOUNT]).concat([['ap-east-1', '871362719292'], ['me-south-1', '217643126080'], ['af-south-1', '626614931356'], ['eu-south-1', '692866216735']]),
);

const SPARK_ACCOUNTS: Record<string, string> = {
  'us-east-1': '173754725891', 'us-east-2': '314815235551', 'us-west-1': '667973535471', 'us-west-2': '153931337802',
  'ca-central-1': '446299261295', 'sa-east-1': '737130764395', 'eu-west-1': '571004829621', 'eu-west-2': '836651553127',
  'eu-west-3': '136845547031', 'eu-central-1': '906073651304', 'eu-north-1': '330188676905', 'ap-south-1': '105495057255',
  'ap-northeast-1': '411782140378', 'ap-northeast-2': '860869212795', 'ap-southeast-1': '759080221371', 'ap-southeast-2': '440695851116',
};

const cpuPy3 = (v: string) => () => `${v}-cpu-py3`;
const plain = (v: string) => () => v;
const dlc = (v: string, defPy: string) => ({ gpu, py }: { gpu: boolean; py?: string }) => `${v}-${gpu ? 'gpu' : 'cpu'}-${py ?? defPy}`;

export const FRAMEWORKS: Record<string, FrameworkImage> = {
  sklearn: {
    repository: 'sagemaker-scikit-learn',
    accounts: SKLEARN_ACCOUNTS,
    versions: { '0.20.0': cpuPy3('0.20.0'), '0.23-1': cpuPy3('0.23-1'), '1.0-1': cpuPy3('1.0-1'), '1.2-1': cpuPy3('1.2-1') },
  },
  xgboost: {
    repository: 'sagemaker-xgboost',
    accounts: SKLEARN_ACCOUNTS,
    versions: { '1.0-1': cpuPy3('1.0-1'), '1.2-1': plain('1.2-1'), '1.3-1': plain('1.3-1'), '1.5-1': plain('1.5-1'), '1.7-1': plain('1.7-1') },
  },
  pytorch: {
    repository: 'pytorch-training',
    accounts: DLC_ACCOUNTS,
    pythonVersions: ['py38', 'py39', 'py310', 'py311'],
    versions: { '1.12.1': dlc('1.12.1', 'py38'), '1.13.1': dlc('1.13.1', 'py39'), '2.0.1': dlc('2.0.1', 'py310'), '2.1.0': dlc('2.1.0', 'py310'), '2.2.0': dlc('2.2.0', 'py310') },
  },
  tensorflow: {
    repository: 'tensorflow-training',
    accounts: DLC_ACCOUNTS,
    pythonVersions: ['py38', 'py39', 'py310'],
    versions: { '2.11.0': dlc('2.11.0', 'py39'), '2.12.0': dlc('2.12.0', 'py310'), '2.13.0': dlc('2.13.0', 'py310'), '2.14.1': dlc('2.14.1', 'py310') },
  },
  spark: {
    repository: 'sagemaker-spark-processing',
    accounts: SPARK_ACCOUNTS,
    // PySparkProcessor(framework_version=v) without py_version/container_version: image_uris.retrieve gives `<v>-cpu`.
    versions: { '3.1': plain('3.1-cpu'), '3.2': plain('3.2-cpu'), '3.3': plain('3.3-cpu'), '3.5': plain('3.5-cpu') },
  },
};

export function isGpuInstance(instanceType: string | undefined): boolean {
  return /^ml\.(p|g|inf|trn)\d/.test(instanceType ?? '');
}

function dnsSuffix(region: string): string {
  return region.startsWith('cn-') ? 'amazonaws.com.cn' : 'amazonaws.com';
}

/** The image URI of a framework in a region, or an error message listing what is known. */
export function frameworkImageUri(fw: { name: string; version: string; pythonVersion?: string }, region: string, instanceType?: string): { uri: string } | { error: string; field: 'name' | 'version' | 'pythonVersion' } {
  const f = FRAMEWORKS[fw.name];
  if (!f) return { error: t('unknown framework "{0}"; known: {1}', fw.name, Object.keys(FRAMEWORKS).join(', ')), field: 'name' };
  const tag = f.versions[fw.version];
  if (!tag) return { error: t('unknown {0} version "{1}"; known: {2}', fw.name, fw.version, Object.keys(f.versions).join(', ')), field: 'version' };
  if (fw.pythonVersion && f.pythonVersions && !f.pythonVersions.includes(fw.pythonVersion)) {
    return { error: t('unknown {0} python version "{1}"; known: {2}', fw.name, fw.pythonVersion, f.pythonVersions.join(', ')), field: 'pythonVersion' };
  }
  const account = f.accounts[region];
  if (!account) return { error: t('{0} images are not known in region "{1}"; known regions: {2}', fw.name, region, Object.keys(f.accounts).join(', ')), field: 'name' };
  return { uri: `${account}.dkr.ecr.${region}.${dnsSuffix(region)}/${f.repository}:${tag({ gpu: isGpuInstance(instanceType), py: fw.pythonVersion })}` };
}

export function buildImageUri(account: string, region: string, repository: string, tag = 'latest'): string {
  return `${account}.dkr.ecr.${region}.${dnsSuffix(region)}/${repository}:${tag}`;
}
