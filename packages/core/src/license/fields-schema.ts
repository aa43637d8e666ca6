/** Compiles a type's JSON Schema (2020-12) and turns Ajv's errors into paths under `fields`. */
import { Ajv2020 } from 'ajv/dist/2020.js';
import type { ErrorObject, ValidateFunction } from 'ajv/dist/2020.js';
import formats from 'ajv-formats';
import { ElicenseError } from '../errors.js';

export interface FieldProblem {
  /** Dot path inside `fields` (`诊疗科目.0`); empty for the object itself. */
  readonly path: string;
  readonly message: string;
}

export type FieldsValidator = (fields: unknown) => FieldProblem[];

/** One Ajv instance per registry: schemas compiled in it are cached there and nowhere else. */
export function createFieldsCompiler(): (schema: Readonly<Record<string, unknown>>, name: string) => FieldsValidator {
  const ajv = new Ajv2020({ allErrors: true, strict: true });
  // ajv-formats is CommonJS: under NodeNext its default import is the module object, whose `default` is the
  // plugin (and bundlers that honour __esModule give the plugin itself, which carries `default` too).
  formats.default(ajv);
  return (schema, name) => {
    let validate: ValidateFunction;
    try {
      validate = ajv.compile(schema);
    } catch (cause) {
      throw new ElicenseError('ERR_INVALID_INPUT', `the fields schema of ${name} does not compile`, {
        cause,
        field: 'fieldsSchema',
      });
    }
    return (fields) => (validate(fields) ? [] : toProblems(validate.errors ?? []));
  };
}

/** One problem per path, so anyOf's several errors on one value read as one. */
function toProblems(errors: readonly ErrorObject[]): FieldProblem[] {
  const byPath = new Map<string, string[]>();
  for (const error of errors) {
    const path = errorPath(error);
    const messages = byPath.get(path) ?? [];
    const message = error.message ?? error.keyword;
    if (!messages.includes(message)) messages.push(message);
    byPath.set(path, messages);
  }
  return [...byPath].map(([path, messages]) => ({ path, message: messages.join('; ') }));
}

function errorPath(error: ErrorObject): string {
  const segments = error.instancePath === '' ? [] : error.instancePath.slice(1).split('/').map(unescapePointer);
  // Missing and unexpected members are reported on their parent; name the member itself.
  const params = error.params as { missingProperty?: unknown; additionalProperty?: unknown };
  if (error.keyword === 'required' && typeof params.missingProperty === 'string') segments.push(params.missingProperty);
  if (error.keyword === 'additionalProperties' && typeof params.additionalProperty === 'string') {
    segments.push(params.additionalProperty);
  }
  return segments.join('.');
}

function unescapePointer(segment: string): string {
  return segment.replace(/~1/g, '/').replace(/~0/g, '~');
}
