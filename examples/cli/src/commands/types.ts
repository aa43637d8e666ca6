/**
 * `elicense types`: the license types this build knows (the registry), and for one type the fields a
 * license of it carries — Chinese names, which are required, their formats — with sample data.
 */
import { Command } from 'commander';
import pc from 'picocolors';
import { defaultLicenseTypeRegistry, isJsonObject, type LicenseType, type ValidityRule } from '@elicense/core';
import { findLicenseType } from './inputs.js';
import { addSubcommands } from './subcommands.js';

const HOLDER_CATEGORY = { 'legal-person': '法人 (统一社会信用代码)', 'natural-person': '自然人 (公民身份号码)' } as const;
/** The metadata element a linked 照面 field repeats (LicenseType.linkedFields). */
const LINKED_ELEMENT: Record<string, string> = { holderName: '持证主体名称', holderCode: '持证主体代码', number: '证照编号' };
const AUTHORITY_LEVEL = { 1: '国家级', 2: '省部级', 3: '地市级', 4: '区县级', 5: '其他' } as const;

export function validityText(rule: ValidityRule): string {
  if ('longTerm' in rule) return '长期有效';
  return 'years' in rule ? `${rule.years} 年` : `${rule.months} 个月`;
}

function typeSummary(type: LicenseType): Record<string, unknown> {
  return {
    code: type.code,
    name: type.name,
    definingAuthority: type.definingAuthority,
    holderCategory: type.holderCategory,
    validity: type.validity,
  };
}

export interface FieldDescription {
  readonly name: string;
  readonly title?: string;
  readonly required: boolean;
  /** What a value must look like, in words: type, format, pattern, allowed values, limits. */
  readonly format: string;
}

/** One JSON Schema property in words. Only the keywords the shipped schemas use are spelled out. */
function describeSchema(schema: Record<string, unknown>): string {
  const parts: string[] = [];
  if (Array.isArray(schema.enum)) parts.push(`one of ${schema.enum.join(' | ')}`);
  else if (schema.const !== undefined) parts.push(JSON.stringify(schema.const));
  else if (typeof schema.type === 'string') parts.push(schema.type === 'array' && isJsonObject(schema.items) ? `list of (${describeSchema(schema.items)})` : schema.type);
  if (typeof schema.format === 'string') parts.push(`format ${schema.format}`);
  if (typeof schema.pattern === 'string') parts.push(`pattern ${schema.pattern}`);
  if (Array.isArray(schema.anyOf)) parts.push(`any of (${schema.anyOf.filter(isJsonObject).map(describeSchema).join(' | ')})`);
  const bounds: [string, string][] = [['minLength', 'min length'], ['maxLength', 'max length'], ['minimum', 'min'], ['maximum', 'max'], ['minItems', 'min items'], ['maxItems', 'max items']];
  for (const [keyword, words] of bounds) if (typeof schema[keyword] === 'number') parts.push(`${words} ${schema[keyword]}`);
  if (Array.isArray(schema.examples)) parts.push(`e.g. ${schema.examples.join(', ')}`);
  return parts.join(', ');
}

export function describeFields(type: LicenseType): FieldDescription[] {
  const properties = isJsonObject(type.fieldsSchema.properties) ? type.fieldsSchema.properties : {};
  const required = Array.isArray(type.fieldsSchema.required) ? (type.fieldsSchema.required as unknown[]) : [];
  return Object.entries(properties).map(([name, schema]) => {
    const property = isJsonObject(schema) ? schema : {};
    return {
      name,
      ...(typeof property.title === 'string' && property.title !== name ? { title: property.title } : {}),
      required: required.includes(name),
      format: describeSchema(property),
    };
  });
}

/** The sample as `elicense issue --data` takes it. */
export function sampleData(type: LicenseType): { holder: { name: string; code: string }; fields: Record<string, unknown> } {
  return { holder: { ...type.sample.holder }, fields: { ...type.sample.fields } };
}

function showCommand(): Command {
  return new Command('show')
    .description("a license type's fields (Chinese names, required or not, formats) and its sample data")
    .argument('<code|name>', 'the 21-character type code or the Chinese name')
    .option('--json', 'print one JSON object: the type, its field descriptions, its JSON Schema and the sample')
    .addHelpText(
      'after',
      `
Examples:
  $ elicense types show 营业执照
  $ elicense types show 11100000000013338W032 --json`,
    )
    .action((codeOrName: string, _flags: unknown, command: Command) => {
      // `types show X --json` hands --json to the parent command, which parses its options first.
      const flags = command.optsWithGlobals<{ json?: boolean }>();
      const type = findLicenseType(codeOrName);
      const fields = describeFields(type);
      if (flags.json) {
        const data = { ...typeSummary(type), linkedFields: type.linkedFields ?? {}, fields, fieldsSchema: type.fieldsSchema, sample: sampleData(type) };
        process.stdout.write(`${JSON.stringify(data, null, 2)}\n`);
        return;
      }
      const linked = new Map(Object.entries(type.linkedFields ?? {}).map(([element, field]) => [field, element]));
      const lines = [
        pc.bold(`${type.name}  ${type.code}`),
        `  定义机构: ${type.definingAuthority.name} (${type.definingAuthority.code}, ${AUTHORITY_LEVEL[type.definingAuthority.level]})`,
        `  持证主体: ${HOLDER_CATEGORY[type.holderCategory]}`,
        `  有效期限: ${validityText(type.validity)}`,
        '',
        pc.bold('照面字段 fields') + pc.dim('  (* required)'),
        ...fields.map((f) => {
          const link = linked.get(f.name);
          const title = f.title === undefined ? '' : ` (${f.title})`;
          return `  ${f.required ? '*' : ' '} ${f.name}${title}: ${f.format}${link ? pc.dim(`  = ${LINKED_ELEMENT[link] ?? link}`) : ''}`;
        }),
        '',
        pc.bold('示例数据 sample') + pc.dim(`  (elicense issue --sample ${type.code} > data.json)`),
        JSON.stringify(sampleData(type), null, 2),
      ];
      process.stdout.write(`${lines.join('\n')}\n`);
    });
}

export function typesCommand(): Command {
  const command = new Command('types')
    .description('list the license types this build knows, or show one type\'s fields')
    .option('--json', 'print a JSON array of the types')
    .addHelpText(
      'after',
      `
Examples:
  $ elicense types
  $ elicense types --json
  $ elicense types show 营业执照`,
    )
    .action((flags: { json?: boolean }) => {
      const types = defaultLicenseTypeRegistry.list();
      if (flags.json) {
        process.stdout.write(`${JSON.stringify(types.map(typeSummary), null, 2)}\n`);
        return;
      }
      const lines = types.map((t) =>
        [
          `${pc.bold(t.code)}  ${t.name}`,
          `    定义机构 ${t.definingAuthority.name}  持证主体 ${HOLDER_CATEGORY[t.holderCategory]}  有效期限 ${validityText(t.validity)}`,
        ].join('\n'),
      );
      process.stdout.write(`${lines.join('\n')}\n`);
    });
  return addSubcommands(command, showCommand());
}
