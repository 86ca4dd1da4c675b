/**
 * What a Python expression is worth without running it: literals, simple variables assigned earlier in the same
 * cell/file, f-strings, `+`, `str.format`, and calls to the SDK's classes (kept as {@link PyObj} for the mapper).
 * Anything else is {@link Unknown} (a value computed at run time) and carries its source text for the report. A few
 * run-time values the definition can name itself become `${region}`, `${defaultBucket}` and `${accountId}`.
 */
import { dottedName, isNode, nodes, type PyNode } from './pyAst';

export class Unknown {
  constructor(readonly src: string) {}
}

/** A call of a class or function we know (ProcessingInput(…), NetworkConfig(…), SKLearnProcessor(…)…). */
export class PyObj {
  constructor(readonly cls: string, readonly args: Val[], readonly kwargs: Record<string, Val>, readonly src: string, readonly line: number) {}
}

/** A run-time object whose uses we recognise: a SageMaker/boto3 session or an STS identity. */
export class Handle {
  constructor(readonly kind: 'session' | 'boto3Session' | 'sts' | 'identity', readonly src: string) {}
}

export type Val = string | number | boolean | null | Val[] | { [k: string]: Val } | Unknown | PyObj | Handle;

export type Env = Map<string, Val>;

/** Class names (last dotted part) the evaluator keeps as PyObj. */
export const KNOWN_CLASSES = new Set([
  'ScriptProcessor', 'SKLearnProcessor', 'FrameworkProcessor', 'PySparkProcessor', 'PyTorchProcessor', 'TensorFlowProcessor',
  'XGBoostProcessor', 'HuggingFaceProcessor', 'MXNetProcessor', 'Processor',
  'ProcessingInput', 'ProcessingOutput', 'NetworkConfig', 'ProcessingS3Input', 'ProcessingS3Output',
  'SKLearn', 'PyTorch', 'TensorFlow', 'XGBoost', 'HuggingFace', 'MXNet',
]);

const srcOf = (n: PyNode): string => n._src ?? n._type;

export function isPlainDict(v: Val): v is { [k: string]: Val } {
  return !!v && typeof v === 'object' && !Array.isArray(v) && !(v instanceof Unknown) && !(v instanceof PyObj) && !(v instanceof Handle);
}

/** The value as JSON, or the first Unknown/object inside it. */
export function plain(v: Val): { ok: true; value: unknown } | { ok: false; src: string } {
  if (v instanceof Unknown) return { ok: false, src: v.src };
  if (v instanceof PyObj || v instanceof Handle) return { ok: false, src: v.src };
  if (Array.isArray(v)) {
    const out: unknown[] = [];
    for (const x of v) {
      const p = plain(x);
      if (!p.ok) return p;
      out.push(p.value);
    }
    return { ok: true, value: out };
  }
  if (isPlainDict(v)) {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) {
      const p = plain(x);
      if (!p.ok) return p;
      out[k] = p.value;
    }
    return { ok: true, value: out };
  }
  return { ok: true, value: v };
}

function pyStr(v: Val): string | undefined {
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return String(v);
  if (typeof v === 'boolean') return v ? 'True' : 'False';
  if (v === null) return 'None';
  return undefined;
}

/** `'…{}…{0}…{name}…'.format(…)` for plain fields (a format spec or conversion makes it Unknown). */
function format(template: string, args: Val[], kwargs: Record<string, Val>, src: string): Val {
  let out = '';
  let auto = 0;
  for (let i = 0; i < template.length; i++) {
    const c = template[i];
    if (c === '{' && template[i + 1] === '{') { out += '{'; i++; continue; }
    if (c === '}' && template[i + 1] === '}') { out += '}'; i++; continue; }
    if (c !== '{') { out += c; continue; }
    const end = template.indexOf('}', i);
    if (end < 0) return new Unknown(src);
    const field = template.slice(i + 1, end);
    if (/[!:[.]/.test(field)) return new Unknown(src);
    const v = field === '' ? args[auto++] : /^\d+$/.test(field) ? args[Number(field)] : kwargs[field];
    const s = v === undefined ? undefined : pyStr(v);
    if (s === undefined) return v instanceof Unknown ? v : new Unknown(src);
    out += s;
    i = end;
  }
  return out;
}

const LATE: Record<string, string> = { region: '${region}', bucket: '${defaultBucket}', account: '${accountId}' };

export function evaluate(n: unknown, env: Env): Val {
  if (!isNode(n)) return new Unknown('?');
  switch (n._type) {
    case 'Constant':
      return n.value as Val;
    case 'Name':
      return env.has(String(n.id)) ? env.get(String(n.id))! : new Unknown(srcOf(n));
    case 'List':
    case 'Tuple':
      return nodes(n.elts).map((e) => evaluate(e, env));
    case 'Dict': {
      const out: Record<string, Val> = {};
      const keys = n.keys as unknown[];
      const values = nodes(n.values);
      for (let i = 0; i < values.length; i++) {
        if (!isNode(keys[i])) return new Unknown(srcOf(n)); // **spread
        const k = evaluate(keys[i], env);
        if (typeof k !== 'string') return new Unknown(srcOf(n));
        out[k] = evaluate(values[i], env);
      }
      return out;
    }
    case 'JoinedStr': {
      let s = '';
      for (const part of nodes(n.values)) {
        if (part._type === 'Constant') s += String(part.value);
        else if (part._type === 'FormattedValue') {
          if (isNode(part.format_spec) || (typeof part.conversion === 'number' && part.conversion >= 0)) return new Unknown(srcOf(n));
          const v = evaluate(part.value, env);
          const str = pyStr(v);
          if (str === undefined) return v instanceof Unknown && !(isNode(part.value) && part.value._type === 'Name') ? v : new Unknown(srcOf(n));
          s += str;
        } else return new Unknown(srcOf(n));
      }
      return s;
    }
    case 'BinOp': {
      const op = isNode(n.op) ? n.op._type : '';
      const l = evaluate(n.left, env);
      const r = evaluate(n.right, env);
      if (op === 'Add' && typeof l === 'string' && typeof r === 'string') return l + r;
      if (op === 'Add' && Array.isArray(l) && Array.isArray(r)) return [...l, ...r];
      if (typeof l === 'number' && typeof r === 'number') {
        if (op === 'Add') return l + r;
        if (op === 'Sub') return l - r;
        if (op === 'Mult') return l * r;
      }
      return new Unknown(srcOf(n));
    }
    case 'UnaryOp': {
      const v = evaluate(n.operand, env);
      if (isNode(n.op) && n.op._type === 'USub' && typeof v === 'number') return -v;
      return new Unknown(srcOf(n));
    }
    case 'Attribute': {
      const base = evaluate(n.value, env);
      const attr = String(n.attr);
      if (base instanceof Handle && (base.kind === 'session' && attr === 'boto_region_name' || base.kind === 'boto3Session' && attr === 'region_name')) return LATE.region;
      if (base instanceof Handle && base.kind === 'session' && attr === 'boto_session') return new Handle('boto3Session', srcOf(n));
      return new Unknown(srcOf(n));
    }
    case 'Subscript': {
      const base = evaluate(n.value, env);
      const key = evaluate(n.slice, env);
      if (base instanceof Handle && base.kind === 'identity' && key === 'Account') return LATE.account;
      if (Array.isArray(base) && typeof key === 'number') return base[key < 0 ? base.length + key : key] ?? new Unknown(srcOf(n));
      if (isPlainDict(base) && typeof key === 'string' && key in base) return base[key];
      return new Unknown(srcOf(n));
    }
    case 'Call':
      return evaluateCall(n, env);
    default:
      return new Unknown(srcOf(n));
  }
}

function evaluateCall(n: PyNode, env: Env): Val {
  const fn = isNode(n.func) ? n.func : undefined;
  const name = dottedName(fn);
  const last = name?.split('.').pop();
  const args = () => nodes(n.args).map((a) => (a._type === 'Starred' ? new Unknown(srcOf(a)) : evaluate(a, env)));
  const kwargs = () => {
    const out: Record<string, Val> = {};
    for (const k of nodes(n.keywords)) {
      if (typeof k.arg !== 'string') return undefined; // **kwargs
      out[k.arg] = evaluate(k.value, env);
    }
    return out;
  };
  if (last && KNOWN_CLASSES.has(last) && (!name!.includes('.') || !env.has(name!.split('.')[0]) || name!.startsWith('sagemaker'))) {
    const kw = kwargs();
    if (!kw) return new Unknown(srcOf(n));
    return new PyObj(last, args(), kw, srcOf(n), n._line ?? 0);
  }
  if (name === 'retrieve' || name?.endsWith('image_uris.retrieve')) {
    const kw = kwargs();
    return kw ? new PyObj('image_uris.retrieve', args(), kw, srcOf(n), n._line ?? 0) : new Unknown(srcOf(n));
  }
  // Sessions and the values they give that a definition can name.
  if (name === 'sagemaker.Session' || name === 'sagemaker.session.Session' || name === 'Session' || name === 'sagemaker.core.helper.session_helper.Session') return new Handle('session', srcOf(n));
  if (name === 'boto3.Session' || name === 'boto3.session.Session') return new Handle('boto3Session', srcOf(n));
  if (name === 'boto3.client' && args()[0] === 'sts') return new Handle('sts', srcOf(n));
  if (fn?._type === 'Attribute') {
    const base = evaluate(fn.value, env);
    const attr = String(fn.attr);
    if (base instanceof Handle) {
      if (base.kind === 'session' && attr === 'default_bucket') return LATE.bucket;
      if (base.kind === 'boto3Session' && attr === 'client' && args()[0] === 'sts') return new Handle('sts', srcOf(n));
      if (base.kind === 'sts' && attr === 'get_caller_identity') return new Handle('identity', srcOf(n));
      if (base.kind === 'identity' && attr === 'get' && args()[0] === 'Account') return LATE.account;
    }
    if (typeof base === 'string' && attr === 'format') {
      const kw = kwargs();
      return kw ? format(base, args(), kw, srcOf(n)) : new Unknown(srcOf(n));
    }
    if (typeof base === 'string' && attr === 'join') {
      const a = args()[0];
      if (Array.isArray(a) && a.every((x) => typeof x === 'string')) return (a as string[]).join(base);
    }
  }
  return new Unknown(srcOf(n));
}

/** Runs the module's top-level statements that define names (in order) until `untilLine`; returns the names' values. */
export function scanAssignments(body: PyNode[], env: Env, onStatement?: (s: PyNode, env: Env) => void): void {
  for (const s of body) {
    onStatement?.(s, env);
    if (s._type === 'Assign') {
      const v = evaluate(s.value, env);
      for (const tgt of nodes(s.targets)) bind(tgt, v, env, srcOf(tgt));
    } else if (s._type === 'AnnAssign' && isNode(s.value)) {
      bind(s.target as PyNode, evaluate(s.value, env), env, srcOf(s.target as PyNode));
    } else if (s._type === 'AugAssign' && isNode(s.target) && s.target._type === 'Name') {
      const cur = env.get(String(s.target.id));
      const add = evaluate(s.value, env);
      const op = isNode(s.op) ? s.op._type : '';
      const name = String(s.target.id);
      if (op === 'Add' && typeof cur === 'string' && typeof add === 'string') env.set(name, cur + add);
      else if (op === 'Add' && Array.isArray(cur) && Array.isArray(add)) env.set(name, [...cur, ...add]);
      else env.set(name, new Unknown(name));
    } else if (s._type === 'Import' || s._type === 'ImportFrom') {
      for (const a of nodes(s.names)) env.delete(String(a.asname ?? a.name).split('.')[0]);
    } else if (s._type === 'Expr' && isNode(s.value) && s.value._type === 'Call') {
      // list.append(x) / list.extend([...]) on a known list
      const f = s.value.func;
      if (isNode(f) && f._type === 'Attribute' && isNode(f.value) && f.value._type === 'Name') {
        const name = String(f.value.id);
        const cur = env.get(name);
        const a = nodes(s.value.args).map((x) => evaluate(x, env));
        if (Array.isArray(cur) && f.attr === 'append' && a.length === 1) env.set(name, [...cur, a[0]]);
        else if (Array.isArray(cur) && f.attr === 'extend' && a.length === 1 && Array.isArray(a[0])) env.set(name, [...cur, ...a[0]]);
      }
    } else if (['For', 'While', 'If', 'With', 'Try', 'FunctionDef', 'ClassDef', 'AsyncFunctionDef'].includes(s._type)) {
      // Names bound inside these get values only at run time.
      for (const name of boundNames(s)) env.set(name, new Unknown(name));
    }
  }
}

function bind(tgt: PyNode, v: Val, env: Env, src: string): void {
  if (tgt._type === 'Name') env.set(String(tgt.id), v);
  else if (tgt._type === 'Tuple' || tgt._type === 'List') {
    const elts = nodes(tgt.elts);
    elts.forEach((e, i) => bind(e, Array.isArray(v) && v.length === elts.length ? v[i] : new Unknown(src), env, srcOf(e)));
  } else if (tgt._type === 'Subscript' && isNode(tgt.value) && tgt.value._type === 'Name') {
    const cur = env.get(String(tgt.value.id));
    const key = evaluate(tgt.slice, env);
    if (cur !== undefined && isPlainDict(cur) && typeof key === 'string') env.set(String(tgt.value.id), { ...cur, [key]: v });
    else env.set(String(tgt.value.id), new Unknown(String(tgt.value.id)));
  }
}

function boundNames(n: unknown, out = new Set<string>()): Set<string> {
  if (Array.isArray(n)) for (const x of n) boundNames(x, out);
  else if (isNode(n)) {
    if (n._type === 'Name' && isNode(n.ctx) && n.ctx._type === 'Store') out.add(String(n.id));
    if ((n._type === 'FunctionDef' || n._type === 'ClassDef' || n._type === 'AsyncFunctionDef') && typeof n.name === 'string') {
      out.add(n.name);
      return out;
    }
    for (const [k, v] of Object.entries(n)) if (!k.startsWith('_')) boundNames(v, out);
  }
  return out;
}
