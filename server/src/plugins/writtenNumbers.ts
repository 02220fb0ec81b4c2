interface AjvError {
  instancePath: string;
  schemaPath: string;
  keyword: string;
  params: Record<string, unknown>;
  message: string;
}

export type Validator = ((data: unknown) => boolean) & { errors?: unknown };

interface PropertySchema {
  type?: unknown;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
}

/** A number as a person writes it in a link: digits, then maybe a fraction and an exponent. */
const writtenNumber = /^-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?$/;

interface NumericProperty {
  name: string;
  schema: PropertySchema;
  type: 'number' | 'integer';
}

/** The numeric properties of a query string's or path's schema, with the type their schema names. */
function numericProperties(schema: unknown): NumericProperty[] {
  const properties = (schema as { properties?: Record<string, PropertySchema> } | undefined)?.properties ?? {};
  const numeric: NumericProperty[] = [];
  for (const [name, property] of Object.entries(properties)) {
    const types: unknown[] = Array.isArray(property.type) ? property.type : [property.type];
    if (types.some((type) => type !== 'number' && type !== 'integer' && type !== 'null')) continue;
    if (types.includes('integer')) numeric.push({ name, schema: property, type: 'integer' });
    else if (types.includes('number')) numeric.push({ name, schema: property, type: 'number' });
  }
  return numeric;
}

/**
 * Why a text is not the number a property needs, as Ajv would say it; undefined when it is one. An out-of-range
 * number written too large to hold (1e309) is named by the bound it passes, since Ajv checks ranges of finite
 * numbers only.
 */
function numberProblem({ name, schema: property, type }: NumericProperty, value: number): AjvError | undefined {
  const error = (keyword: string, params: Record<string, unknown>, message: string): AjvError => ({
    instancePath: `/${name}`,
    schemaPath: `#/properties/${name}/${keyword}`,
    keyword,
    params,
    message,
  });
  if (Number.isFinite(value)) return undefined;
  if (value > 0 && property.maximum !== undefined) {
    return error('maximum', { comparison: '<=', limit: property.maximum }, `must be <= ${property.maximum}`);
  }
  if (value > 0 && property.exclusiveMaximum !== undefined) {
    const limit = property.exclusiveMaximum;
    return error('exclusiveMaximum', { comparison: '<', limit }, `must be < ${limit}`);
  }
  if (value < 0 && property.minimum !== undefined) {
    return error('minimum', { comparison: '>=', limit: property.minimum }, `must be >= ${property.minimum}`);
  }
  if (value < 0 && property.exclusiveMinimum !== undefined) {
    const limit = property.exclusiveMinimum;
    return error('exclusiveMinimum', { comparison: '>', limit }, `must be > ${limit}`);
  }
  return error('type', { type }, `must be ${type}`);
}

/**
 * Reads the numbers of a query string or path strictly before Ajv sees them. Ajv's own conversion takes whatever
 * JavaScript's Number() takes — "0x10" is 16, " " is 0, "Infinity" is a number — and checks the range of finite
 * numbers only, so "radius_m=1e309" passed the 200 km cap. Here only digits with an optional fraction and exponent
 * are numbers; anything else stays text, which Ajv then refuses as "must be a number".
 */
export function withWrittenNumbers(validate: Validator, schema: unknown): Validator {
  const numeric = numericProperties(schema);
  if (numeric.length === 0) return validate;
  const strict: Validator = (data) => {
    const values = data as Record<string, unknown> | null;
    for (const property of values ? numeric : []) {
      const text = values![property.name];
      if (typeof text !== 'string') continue;
      const problem = numberProblem(property, writtenNumber.test(text) ? Number(text) : Number.NaN);
      if (problem) {
        strict.errors = [problem];
        return false;
      }
      values![property.name] = Number(text);
    }
    const valid = validate(data);
    strict.errors = validate.errors;
    return valid;
  };
  return strict;
}
