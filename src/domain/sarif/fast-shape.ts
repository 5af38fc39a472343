/**
 * Hand-written checks for the SARIF shapes read once per result. Each answers true only when the
 * matching zod schema in schema.ts would accept the value, without zod's per-object work; on false
 * the caller runs zod, which either accepts after all or produces the error naming the JSON path.
 * So these checks may be stricter than the schemas, never looser (test/sarif-fast-shape.test.ts
 * checks that on generated values).
 */

type Obj = Record<string, unknown>;

/** zod's `isObject`: what `looseObject` accepts. */
const isObject = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** zod's `isPlainObject`: what `record` accepts. */
function isPlainObject(v: unknown): v is Obj {
  if (!isObject(v)) return false;
  const ctor = v.constructor;
  if (ctor === undefined || typeof ctor !== 'function') return true;
  const proto: unknown = ctor.prototype;
  return isObject(proto) && Object.prototype.hasOwnProperty.call(proto, 'isPrototypeOf');
}

const optString = (v: unknown): boolean => v === undefined || v === null || typeof v === 'string';
const optNumber = (v: unknown): boolean => v === undefined || v === null || (typeof v === 'number' && Number.isFinite(v));
const optArray = (v: unknown): boolean => v === undefined || v === null || Array.isArray(v);
const nullish = (v: unknown): boolean => v === undefined || v === null;

function everyItem(v: unknown, check: (item: unknown) => boolean): boolean {
  if (nullish(v)) return true;
  if (!Array.isArray(v)) return false;
  for (let i = 0; i < v.length; i++) if (!check(v[i])) return false;
  return true;
}

export const isArtifactLocation = (v: unknown): boolean =>
  nullish(v) || (isObject(v) && optString(v['uri']) && optString(v['uriBaseId']) && optNumber(v['index']));

function isRegion(v: unknown): boolean {
  if (nullish(v)) return true;
  if (!isObject(v)) return false;
  if (!optNumber(v['startLine']) || !optNumber(v['startColumn']) || !optNumber(v['endLine']) || !optNumber(v['endColumn'])) return false;
  const snippet = v['snippet'];
  return nullish(snippet) || (isObject(snippet) && optString(snippet['text']));
}

const isLogicalLocation = (v: unknown): boolean => isObject(v) && optString(v['fullyQualifiedName']) && optString(v['name']);

/** `locationSchema` (and, with `withMessage`, `locatedMessageSchema`). */
export function isLocation(v: unknown, withMessage = false): boolean {
  if (!isObject(v)) return false;
  const physical = v['physicalLocation'];
  if (!nullish(physical)) {
    if (!isObject(physical) || !isArtifactLocation(physical['artifactLocation']) || !isRegion(physical['region'])) return false;
  }
  if (!everyItem(v['logicalLocations'], isLogicalLocation)) return false;
  return !withMessage || isMessage(v['message']);
}

export const isMessage = (v: unknown): boolean =>
  nullish(v) || (isObject(v) && optString(v['text']) && optString(v['markdown']) && optString(v['id']) && optArray(v['arguments']));

const isSuppression = (v: unknown): boolean => isObject(v) && optString(v['kind']) && optString(v['status']) && optString(v['justification']);

function isTaxon(v: unknown): boolean {
  if (!isObject(v) || !optString(v['id'])) return false;
  const component = v['toolComponent'];
  return nullish(component) || (isObject(component) && optString(component['name']));
}

const isPropertyBag = (v: unknown): boolean => nullish(v) || (isObject(v) && optArray(v['tags']));

function isRuleReference(v: unknown): boolean {
  if (nullish(v)) return true;
  if (!isObject(v) || !optString(v['id']) || !optNumber(v['index'])) return false;
  const component = v['toolComponent'];
  return nullish(component) || (isObject(component) && optNumber(component['index']) && optString(component['name']));
}

const isLocationItem = (v: unknown): boolean => isLocation(v);

/** `resultSchema`. */
export function isResult(v: unknown): boolean {
  if (!isObject(v)) return false;
  return (
    optString(v['ruleId']) &&
    optNumber(v['ruleIndex']) &&
    isRuleReference(v['rule']) &&
    optString(v['kind']) &&
    optString(v['level']) &&
    isMessage(v['message']) &&
    everyItem(v['locations'], isLocationItem) &&
    optArray(v['relatedLocations']) &&
    optArray(v['codeFlows']) &&
    (nullish(v['partialFingerprints']) || isPlainObject(v['partialFingerprints'])) &&
    everyItem(v['suppressions'], isSuppression) &&
    everyItem(v['taxa'], isTaxon) &&
    isPropertyBag(v['properties'])
  );
}

/** `sarifLogSchema`: version 2.1.0, runs with a named driver, results that are objects. */
export function isLog(v: unknown): boolean {
  if (!isObject(v) || v['version'] !== '2.1.0' || !Array.isArray(v['runs'])) return false;
  for (const run of v['runs'] as unknown[]) {
    if (!isObject(run)) return false;
    const tool = run['tool'];
    const driver = isObject(tool) ? tool['driver'] : undefined;
    if (!isObject(driver) || typeof driver['name'] !== 'string' || driver['name'].length === 0) return false;
    if (!everyItem(run['results'], isObject)) return false;
  }
  return true;
}

const isMultiformat = (v: unknown): boolean => isObject(v) && optString(v['text']) && optString(v['markdown']);

/** A `record(string, check)` that may be absent: a plain object whose every value passes. */
function everyValue(v: unknown, check: (item: unknown) => boolean): boolean {
  if (nullish(v)) return true;
  if (!isPlainObject(v)) return false;
  for (const key in v) if (Object.prototype.hasOwnProperty.call(v, key) && !check(v[key])) return false;
  return true;
}

/** `toolComponentSchema`. */
function isToolComponent(v: unknown): boolean {
  if (!isObject(v)) return false;
  const name = v['name'];
  return (
    typeof name === 'string' &&
    name.length > 0 &&
    optString(v['version']) &&
    optString(v['semanticVersion']) &&
    optArray(v['rules']) &&
    everyValue(v['globalMessageStrings'], isMultiformat)
  );
}

const isArtifact = (v: unknown): boolean => isObject(v) && isArtifactLocation(v['location']);
const isArtifactLocationObject = (v: unknown): boolean => isObject(v) && isArtifactLocation(v);

function isInvocation(v: unknown): boolean {
  if (!isObject(v)) return false;
  const working = v['workingDirectory'];
  return nullish(working) || (isObject(working) && optString(working['uri']));
}

/**
 * `runSchema`, without zod walking the run's results (zod's `array(unknown())` visits and copies
 * every one of them; results are checked one by one as they are read).
 */
export function isRun(v: unknown): boolean {
  if (!isObject(v)) return false;
  const tool = v['tool'];
  if (!isObject(tool) || !isToolComponent(tool['driver']) || !everyItem(tool['extensions'], isToolComponent)) return false;
  const properties = v['properties'];
  return (
    optArray(v['results']) &&
    everyItem(v['artifacts'], isArtifact) &&
    everyValue(v['originalUriBaseIds'], isArtifactLocationObject) &&
    everyItem(v['invocations'], isInvocation) &&
    (nullish(properties) || isObject(properties))
  );
}
