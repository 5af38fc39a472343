import { strictPattern } from './guards';
import { projectRoot, withinProject } from './text-readers';

/**
 * What a repository declares about the values a request or a table can hold, read from the files
 * read (pure; `repository-facts.ts` collects it):
 * - class-validator DTOs (`@IsIn(['a', 'b'])`, `@IsEnum(X)`, `@Matches(/^[\w-]+$/)` of harmless
 *   characters, `@IsInt()`, `@IsNumber()`, `@IsNumberString()`, `@IsUUID()`, `@IsBoolean()`), which bind
 *   only where a `ValidationPipe` runs: registered globally (`app.useGlobalPipes(new ValidationPipe(…))`,
 *   an `APP_PIPE` provider) — without it a DTO's decorators enforce nothing and count for nothing;
 * - TypeORM entities: a generated primary key (`@PrimaryGeneratedColumn()` a number, `('uuid')` a
 *   UUID) and columns declared `number`/`boolean`/`Date`: what the database hands back for them;
 * - pydantic models (`class X(BaseModel)`): fields typed `int`, `float`, `bool`, `UUID`,
 *   `Literal[…]` of literals, or with an anchored `pattern=` of harmless characters — pydantic
 *   rejects anything else before the handler runs.
 * - zod object schemas (`const Query = z.object({ sort: z.enum(['a', 'b']), id: z.string().uuid() })`):
 *   what `Query.parse(…)` returns has only those values (`z.enum`, `z.literal`, `z.nativeEnum`,
 *   `z.number()`, `z.coerce.number()`, `z.boolean()`, `z.string().uuid()`, `z.string().regex(/^…$/)` of
 *   harmless characters), and Joi object schemas alike (`.valid(…)`, `.alphanum()`, an anchored
 *   `.pattern(…)`, `Joi.number()`, `.guid()`, read through `const { value } = Schema.validate(…)` or
 *   `await Schema.validateAsync(…)`); a field the schema lets through as any string counts for nothing.
 * Each field keeps the declaration as evidence.
 */
export type FieldKind = 'number' | 'typed' | 'checked';
export interface DeclaredField {
  kind: FieldKind;
  evidence: string;
}
export interface DeclaredClass {
  kind: 'dto' | 'entity' | 'model';
  file: string;
  fields: ReadonlyMap<string, DeclaredField>;
  /** Every property the class declares, constrained or not. */
  names: ReadonlySet<string>;
}
export interface DeclaredFields {
  classes: ReadonlyMap<string, DeclaredClass>;
  /** Where a ValidationPipe is registered for a whole application, with that application's root. */
  validation?: readonly { at: string; root: string }[];
}

const literalList = String.raw`\[\s*(?:(?:"[^"\n]*"|'[^'\n]*'|-?\d+)\s*,\s*)*(?:"[^"\n]*"|'[^'\n]*'|-?\d+)\s*,?\s*\]`;

function validatorKind(decorators: string): FieldKind | undefined {
  if (new RegExp(String.raw`@IsIn\(\s*${literalList}\s*[,)]`).test(decorators) || /@IsEnum\(\s*[A-Z]\w*\s*[,)]/.test(decorators)) return 'checked';
  const pattern = /@Matches\(\s*\/((?:[^/\\\n]|\\.)+)\/\w*\s*[,)]/.exec(decorators)?.[1];
  if (pattern && pattern.startsWith('^') && pattern.endsWith('$') && strictPattern(pattern)) return 'checked';
  if (/@(IsInt|IsNumber|IsNumberString|IsPositive|IsNegative)\(/.test(decorators)) return 'number';
  if (/@(IsUUID|IsBoolean|IsBooleanString|IsISO8601|IsDateString|IsDate)\(/.test(decorators)) return 'typed';
  return undefined;
}

function entityKind(decorators: string, type: string): FieldKind | undefined {
  if (/@PrimaryGeneratedColumn\(\s*["']uuid["']/.test(decorators)) return 'typed';
  if (/@PrimaryGeneratedColumn\(\s*(?:["']increment["'])?\s*\)/.test(decorators)) return 'number';
  if (/@(Column|PrimaryColumn|CreateDateColumn|UpdateDateColumn|VersionColumn)\(/.test(decorators)) {
    if (/^(number|bigint)$/.test(type)) return 'number';
    if (/^(boolean|Date)$/.test(type)) return 'typed';
  }
  return undefined;
}

function pydanticKind(annotation: string): FieldKind | undefined {
  const type = annotation.trim();
  if (/^(int|float|conint\([^)]*\)|PositiveInt|NonNegativeInt)\b/.test(type)) return 'number';
  if (/^(bool|UUID|uuid\.UUID|UUID4|date|datetime)\b/.test(type)) return 'typed';
  if (new RegExp(String.raw`^Literal${literalList}`).test(type)) return 'checked';
  const pattern = /(?:pattern|regex)\s*=\s*r?["']([^"']+)["']/.exec(type)?.[1];
  if (pattern && pattern.startsWith('^') && pattern.endsWith('$') && strictPattern(pattern)) return 'checked';
  return undefined;
}

export function declaredFields(contents: ReadonlyMap<string, string>, files: readonly string[] = []): DeclaredFields {
  const classes = new Map<string, DeclaredClass>();
  const validation: { at: string; root: string }[] = [];
  for (const [path, text] of contents) {
    const lines = text.split('\n');
    lines.forEach((line, i) => {
      if (/useGlobalPipes\([^)]*\bValidationPipe\b/.test(line) || (/\bAPP_PIPE\b/.test(line) && /\bValidationPipe\b/.test(line))) {
        validation.push({ at: `${path}:${i + 1}: \`${line.trim().slice(0, 100)}\``, root: projectRoot(path, files) });
      }
    });
    if (/\.(ts|js)$/.test(path)) {
      for (let i = 0; i < lines.length; i += 1) {
        const header = /^(\s*)(?:export\s+)?(?:default\s+)?class\s+([A-Z]\w*)\b[^{]*\{\s*$/.exec(lines[i] ?? '');
        if (!header) continue;
        const entity = lines.slice(Math.max(0, i - 3), i).some((l) => /^\s*@Entity\(/.test(l));
        const fields = new Map<string, DeclaredField>();
        const names = new Set<string>();
        let pending = '';
        for (let j = i + 1; j < lines.length; j += 1) {
          const body = lines[j] ?? '';
          if (new RegExp(`^${header[1]}\\}`).test(body)) break;
          const m = /^\s*((?:@\w+\((?:[^()]|\([^()]*\))*\)\s*)*)(?:(?:readonly|public)\s+)?([A-Za-z_$][\w$]*)\s*[?!]?\s*:\s*([^=;]+?)\s*(?:=[^;]*)?;?\s*$/.exec(body);
          if (/^\s*@/.test(body) && !m) {
            pending += ` ${body.trim()}`;
            continue;
          }
          if (!m) {
            pending = '';
            continue;
          }
          const decorators = `${pending} ${m[1] ?? ''}`;
          pending = '';
          names.add(m[2] ?? '');
          const kind = entity ? entityKind(decorators, (m[3] ?? '').trim()) : validatorKind(decorators);
          if (kind) fields.set(m[2] ?? '', { kind, evidence: `${path}:${j + 1}: \`${body.trim().slice(0, 100)}\`` });
        }
        const validated = /from\s+["']class-validator["']/.test(text) || /(?:Dto|Input|Request|Body|Payload)$/.test(header[2] ?? '');
        if (validated || entity) classes.set(header[2] ?? '', { kind: entity ? 'entity' : 'dto', file: path, fields, names });
      }
    }
    if (/\.(ts|js|mjs|cjs)$/.test(path)) zodSchemas(path, lines, classes);
    if (/\.py$/.test(path)) djangoForms(path, lines, classes);
    if (/\.py$/.test(path)) {
      for (let i = 0; i < lines.length; i += 1) {
        const header = /^class\s+([A-Z]\w*)\s*\(\s*(?:pydantic\.)?BaseModel\s*\)\s*:/.exec(lines[i] ?? '');
        if (!header) continue;
        const fields = new Map<string, DeclaredField>();
        const names = new Set<string>();
        for (let j = i + 1; j < lines.length && (/^\s+\S/.test(lines[j] ?? '') || (lines[j] ?? '').trim() === ''); j += 1) {
          const m = /^\s{4}([a-z_]\w*)\s*:\s*(.+?)\s*$/.exec(lines[j] ?? '');
          if (m) names.add(m[1] ?? '');
          const kind = m ? pydanticKind(m[2] ?? '') : undefined;
          if (m && kind) fields.set(m[1] ?? '', { kind, evidence: `${path}:${j + 1}: \`${(lines[j] ?? '').trim().slice(0, 100)}\`` });
        }
        classes.set(header[1] ?? '', { kind: 'model', file: path, fields, names });
      }
    }
  }
  return { classes, ...(validation.length > 0 ? { validation } : {}) };
}

/**
 * Django forms and DRF serializers (`class SearchForm(forms.Form):`, `class Q(serializers.Serializer):`):
 * what `cleaned_data` / `validated_data` hold after validation. `ChoiceField` (its choices come from
 * the code), numbers, UUIDs, booleans and dates, `SlugField` (letters, digits, `-`, `_`), and a
 * `RegexField` with an anchored pattern of harmless characters.
 */
function djangoFieldKind(field: string, args: string): FieldKind | undefined {
  if (/^(?:Typed)?(?:Multiple)?ChoiceField$|^SlugField$/.test(field)) return 'checked';
  if (/^(?:Integer|Float|Decimal)Field$/.test(field)) return 'number';
  if (/^(?:UUID|Boolean|NullBoolean|Date|DateTime|Time|Duration)Field$/.test(field)) return 'typed';
  const pattern = field === 'RegexField' ? /^\s*(?:regex\s*=\s*)?r?["']([^"']+)["']/.exec(args)?.[1] : undefined;
  if (pattern && pattern.startsWith('^') && pattern.endsWith('$') && strictPattern(pattern)) return 'checked';
  return undefined;
}

function djangoForms(path: string, lines: readonly string[], classes: Map<string, DeclaredClass>): void {
  for (let i = 0; i < lines.length; i += 1) {
    const header = /^class\s+([A-Z]\w*)\s*\(\s*(?:forms\.|serializers\.)?(?:Form|ModelForm|Serializer|ModelSerializer)\s*\)\s*:/.exec(lines[i] ?? '');
    if (!header) continue;
    const fields = new Map<string, DeclaredField>();
    const names = new Set<string>();
    for (let j = i + 1; j < lines.length && (/^\s+\S/.test(lines[j] ?? '') || (lines[j] ?? '').trim() === ''); j += 1) {
      const m = /^\s{4}([a-z_]\w*)\s*=\s*(?:forms\.|serializers\.)?([A-Z]\w*Field)\((.*)$/.exec(lines[j] ?? '');
      if (!m) continue;
      names.add(m[1] ?? '');
      const kind = djangoFieldKind(m[2] ?? '', m[3] ?? '');
      if (kind) fields.set(m[1] ?? '', { kind, evidence: `${path}:${j + 1}: \`${(lines[j] ?? '').trim().slice(0, 100)}\`` });
    }
    classes.set(header[1] ?? '', { kind: 'model', file: path, fields, names });
  }
}

function zodKind(definition: string): FieldKind | undefined {
  const d = definition.replace(/\.(?:optional|nullable|nullish|default|describe|catch)\((?:[^()]|\([^()]*\))*\)/g, '').trim();
  if (new RegExp(String.raw`^z\.enum\(\s*${literalList}\s*\)$`).test(d) || /^z\.literal\(\s*(?:"[^"]*"|'[^']*'|-?\d+|true|false)\s*\)$/.test(d) || /^z\.nativeEnum\(\s*[A-Z]\w*\s*\)$/.test(d)) return 'checked';
  if (/^z\.(?:coerce\.)?(?:number|bigint)\(\)(?:\.(?:int|positive|nonnegative|min|max|gte|lte|finite)\([^()]*\))*$/.test(d)) return 'number';
  if (/^z\.(?:coerce\.)?(?:boolean|date)\(\)$/.test(d) || /^z\.string\(\)\.(?:uuid|datetime|date|cuid2?|ulid)\(\)$/.test(d)) return 'typed';
  const pattern = /^z\.string\(\)(?:\.(?:min|max|length)\(\d+\))*\.regex\(\s*\/((?:[^/\\\n]|\\.)+)\/\w*\s*\)(?:\.(?:min|max|length)\(\d+\))*$/.exec(d)?.[1];
  if (pattern && pattern.startsWith('^') && pattern.endsWith('$') && strictPattern(pattern)) return 'checked';
  return undefined;
}

/** Joi: `.valid('a', 'b')`, `.alphanum()`, an anchored `.pattern(/^…$/)`, numbers, GUIDs, booleans, dates. */
export function joiKind(definition: string): FieldKind | undefined {
  const d = definition.replace(/\.(?:required|optional|allow\(\s*(?:null|"")\s*\)|default|empty|label|description|lowercase|uppercase|trim|insensitive)\((?:[^()]|\([^()]*\))*\)/g, '').trim();
  if (/^Joi\.(?:string|any)\(\)\.valid\(\s*(?:(?:"[^"\n]*"|'[^'\n]*'|-?\d+)\s*,\s*)*(?:"[^"\n]*"|'[^'\n]*'|-?\d+)\s*\)$/.test(d)) return 'checked';
  if (/^Joi\.string\(\)(?:\.(?:min|max|length)\(\d+\))*\.alphanum\(\)(?:\.(?:min|max|length)\(\d+\))*$/.test(d)) return 'checked';
  if (/^Joi\.number\(\)(?:\.(?:integer|positive|min|max|precision)\([^()]*\))*$/.test(d)) return 'number';
  if (/^Joi\.(?:boolean|date)\(\)$/.test(d) || /^Joi\.string\(\)\.(?:guid|uuid|isoDate)\([^()]*\)$/.test(d)) return 'typed';
  const pattern = /^Joi\.string\(\)(?:\.(?:min|max|length)\(\d+\))*\.(?:pattern|regex)\(\s*\/((?:[^/\\\n]|\\.)+)\/\w*\s*\)(?:\.(?:min|max|length)\(\d+\))*$/.exec(d)?.[1];
  if (pattern && pattern.startsWith('^') && pattern.endsWith('$') && strictPattern(pattern)) return 'checked';
  return undefined;
}

/** `const Query = z.object({` (or `Joi.object({`) … `})`: one field per line, as such schemas are written. */
function zodSchemas(path: string, lines: readonly string[], classes: Map<string, DeclaredClass>): void {
  for (let i = 0; i < lines.length; i += 1) {
    const header = /^\s*(?:export\s+)?(?:const|let|var)\s+([A-Za-z_$][\w$]*)\s*=\s*(z|Joi)\s*\.\s*object\(\s*\{\s*$/.exec(lines[i] ?? '');
    if (!header) continue;
    const kindOf = header[2] === 'Joi' ? joiKind : zodKind;
    const fields = new Map<string, DeclaredField>();
    const names = new Set<string>();
    for (let j = i + 1; j < lines.length && j < i + 60; j += 1) {
      const line = lines[j] ?? '';
      if (/^\s*\}\s*\)/.test(line)) break;
      const m = /^\s*["']?([A-Za-z_$][\w$]*)["']?\s*:\s*((?:z|Joi)\..+?)\s*,?\s*$/.exec(line);
      if (!m) continue;
      names.add(m[1] ?? '');
      const kind = kindOf(m[2] ?? '');
      if (kind) fields.set(m[1] ?? '', { kind, evidence: `${path}:${j + 1}: \`${line.trim().slice(0, 100)}\`` });
    }
    classes.set(header[1] ?? '', { kind: 'model', file: path, fields, names });
  }
}

/**
 * What `root.field` holds when `root` is declared with a class the repository describes: a
 * validated DTO field (only with a global ValidationPipe), a pydantic field, an entity's numeric or
 * generated column — or an entity's text column that every DTO named for the entity
 * (`UpdateSiteDto`, `CreateSiteDto`, `SiteInput`) that declares it validates, since those DTOs are
 * how the application writes it.
 */
export function fieldConstraint(declared: DeclaredFields, type: string, field: string): { kind: FieldKind; how: string } | undefined {
  const described = declared.classes.get(type);
  if (!described) return undefined;
  // A ValidationPipe binds the DTOs of its own application only.
  const pipeFor = (file: string): string | undefined => declared.validation?.find((v) => withinProject(file, v.root))?.at;
  const own = described.fields.get(field);
  if (described.kind === 'model' && own) return { kind: own.kind, how: `declared by the schema ${type} (${own.evidence}), which rejects any other value when it parses` };
  if (described.kind === 'dto' && own && pipeFor(described.file)) return { kind: own.kind, how: `validated by ${type} (${own.evidence}) under the application's ValidationPipe (${pipeFor(described.file)})` };
  if (described.kind === 'entity' && own) return { kind: own.kind, how: `a ${own.kind === 'number' ? 'numeric' : 'generated or typed'} column of the entity ${type} (${own.evidence})` };
  const entityPipe = pipeFor(described.file);
  if (described.kind === 'entity' && entityPipe) {
    const writers = [...declared.classes].filter(([name, c]) => c.kind === 'dto' && pipeFor(c.file) === entityPipe && new RegExp(`^(?:Create|Update|Patch|Upsert|New|Edit)?${type}(?:Dto|Input|Request|Body|Payload)$`).test(name));
    const declaring = writers.filter(([, c]) => c.names.has(field));
    // Every writer DTO that carries the field must constrain it; one that carries it unvalidated lets any text in.
    if (declaring.length > 0 && declaring.every(([, c]) => c.fields.has(field))) {
      const evidence = declaring.map(([name, c]) => `${name} (${c.fields.get(field)?.evidence ?? ''})`).join(', ');
      const kinds = declaring.map(([, c]) => c.fields.get(field)?.kind ?? 'checked');
      return { kind: kinds.includes('checked') ? 'checked' : kinds[0] ?? 'checked', how: `a column of ${type} written only through ${evidence}, validated under the application's ValidationPipe (${entityPipe})` };
    }
  }
  return undefined;
}
