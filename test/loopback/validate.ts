/**
 * Discord's documented payload limits, answered the way Discord answers them (50035 Invalid Form Body with
 * a nested `errors` tree, 50006 for empty messages). Pure functions: no state, no I/O.
 */
import { ApiError, isRecord, num, records, str, type ErrorTree, type FieldError, type Json } from './util.js';
import { attachmentReferences, LayoutChecker } from './validate-v2.js';

type Path = ReadonlyArray<string | number>;

/** Collects field errors by path and renders Discord's nested `errors` object. */
export class FormErrors {
  readonly #tree: ErrorTree = {};
  #count = 0;

  add(path: Path, code: string, message: string): void {
    let node = this.#tree;
    for (const key of path) {
      const child = node[String(key)];
      if (child === undefined || Array.isArray(child)) {
        const fresh: ErrorTree = {};
        node[String(key)] = fresh;
        node = fresh;
      } else node = child;
    }
    const list = node._errors;
    const error: FieldError = { code, message };
    if (Array.isArray(list)) list.push(error);
    else node._errors = [error];
    this.#count++;
  }

  /** String length checks: `max` always, `min` only when the field is present or `required`. */
  text(path: Path, value: unknown, { min = 0, max, required = false }: { min?: number; max: number; required?: boolean }): void {
    if (value === undefined || value === null) {
      if (required) this.add(path, 'BASE_TYPE_REQUIRED', 'This field is required');
      return;
    }
    if (typeof value !== 'string') return this.add(path, 'BASE_TYPE_STRING', 'Could not interpret value as string.');
    const length = [...value].length;
    if (min > 0 && length === 0 && required) this.add(path, 'BASE_TYPE_REQUIRED', 'This field is required');
    else if (length < min || length > max)
      this.add(path, min > 0 ? 'BASE_TYPE_BAD_LENGTH' : 'BASE_TYPE_MAX_LENGTH', min > 0 ? `Must be between ${min} and ${max} in length.` : `Must be ${max} or fewer in length.`);
  }

  maxItems(path: Path, list: unknown, max: number): void {
    if (Array.isArray(list) && list.length > max) this.add(path, 'BASE_TYPE_MAX_LENGTH', `Must be ${max} or fewer in length.`);
  }

  throwIfAny(): void {
    if (this.#count > 0) throw new ApiError(400, 50035, 'Invalid Form Body', this.#tree);
  }
}

const LEGACY_FIELDS_V2 = 'MESSAGE_CANNOT_USE_LEGACY_FIELDS_WITH_COMPONENTS_V2';
export const FLAG_SUPPRESS_EMBEDS = 1 << 2;
export const FLAG_EPHEMERAL = 1 << 6;
export const FLAG_LOADING = 1 << 7;
export const FLAG_SUPPRESS_NOTIFICATIONS = 1 << 12;
export const FLAG_COMPONENTS_V2 = 1 << 15;

const C = { ActionRow: 1, Button: 2, StringSelect: 3, TextInput: 4, Section: 9, TextDisplay: 10, Label: 18, FileUpload: 19, RadioGroup: 21, CheckboxGroup: 22, Checkbox: 23 } as const;
const SELECT_TYPES = new Set([3, 5, 6, 7, 8]);

function embedText(embed: Json): number {
  const len = (v: unknown): number => (typeof v === 'string' ? [...v].length : 0);
  const footer = isRecord(embed.footer) ? embed.footer : {};
  const author = isRecord(embed.author) ? embed.author : {};
  return (
    len(embed.title) +
    len(embed.description) +
    len(footer.text) +
    len(author.name) +
    records(embed.fields).reduce((sum, f) => sum + len(f.name) + len(f.value), 0)
  );
}

function checkEmbeds(errors: FormErrors, base: Path, embeds: unknown): void {
  if (!Array.isArray(embeds)) return;
  errors.maxItems([...base, 'embeds'], embeds, 10);
  records(embeds).forEach((embed, i) => {
    const at = [...base, 'embeds', i];
    errors.text([...at, 'title'], embed.title, { max: 256 });
    errors.text([...at, 'description'], embed.description, { max: 4096 });
    if (isRecord(embed.footer)) errors.text([...at, 'footer', 'text'], embed.footer.text, { min: 1, max: 2048, required: true });
    if (isRecord(embed.author)) errors.text([...at, 'author', 'name'], embed.author.name, { min: 1, max: 256, required: true });
    errors.maxItems([...at, 'fields'], embed.fields, 25);
    records(embed.fields).forEach((field, j) => {
      errors.text([...at, 'fields', j, 'name'], field.name, { min: 1, max: 256, required: true });
      errors.text([...at, 'fields', j, 'value'], field.value, { min: 1, max: 1024, required: true });
    });
  });
  const total = records(embeds).reduce((sum, e) => sum + embedText(e), 0);
  if (total > 6000) errors.add([...base, 'embeds'], 'MAX_EMBED_SIZE_EXCEEDED', 'Embed size exceeds maximum size of 6000');
}

/** Walks a component tree; `customIds` spans the whole message because duplicates are per message. */
class ComponentChecker {
  readonly customIds = new Set<string>();
  count = 0;

  constructor(readonly errors: FormErrors) {}

  customId(path: Path, value: unknown): void {
    this.errors.text([...path, 'custom_id'], value, { min: 1, max: 100, required: true });
    if (typeof value !== 'string' || value === '') return;
    if (this.customIds.has(value)) this.errors.add([...path, 'custom_id'], 'COMPONENT_CUSTOM_ID_DUPLICATED', 'Component custom id cannot be duplicated');
    this.customIds.add(value);
  }

  row(path: Path, row: Json): void {
    this.count++;
    const children = records(row.components);
    if (children.length === 0 || children.length > 5) {
      this.errors.add([...path, 'components'], 'BASE_TYPE_BAD_LENGTH', 'Must be between 1 and 5 in length.');
    }
    const selects = children.filter((c) => SELECT_TYPES.has(num(c.type) ?? 0)).length;
    if (selects > 0 && children.length > 1) {
      this.errors.add([...path, 'components'], 'COMPONENT_LAYOUT_WIDTH_EXCEEDED', 'The specified component exceeds the maximum width');
    }
    children.forEach((child, i) => this.interactive([...path, 'components', i], child));
  }

  interactive(path: Path, c: Json): void {
    this.count++;
    const type = num(c.type);
    if (type === C.Button) this.button(path, c);
    else if (type !== undefined && SELECT_TYPES.has(type)) this.select(path, c);
    else if (type === C.TextInput) this.customId(path, c.custom_id);
    else this.errors.add([...path, 'type'], 'COMPONENT_TYPE_INVALID', `Component type ${String(type)} is not allowed in an action row`);
  }

  button(path: Path, b: Json): void {
    this.errors.text([...path, 'label'], b.label, { max: 80 });
    if (b.style === 5) {
      if (b.custom_id !== undefined) this.errors.add([...path, 'custom_id'], 'BUTTON_COMPONENT_CUSTOM_ID_WITH_URL', 'A link button cannot have a custom id');
      this.errors.text([...path, 'url'], b.url, { min: 1, max: 512, required: true });
    } else if (b.style !== 6) {
      if (b.url !== undefined) this.errors.add([...path, 'url'], 'BUTTON_COMPONENT_URL_WITH_CUSTOM_ID', 'Only link buttons can have a url');
      this.customId(path, b.custom_id);
    }
    if (b.style !== 6 && !b.label && !b.emoji) this.errors.add(path, 'BUTTON_COMPONENT_MISSING_LABEL_OR_EMOJI', 'A button must have a label or an emoji');
  }

  select(path: Path, s: Json): void {
    this.customId(path, s.custom_id);
    this.errors.text([...path, 'placeholder'], s.placeholder, { max: 150 });
    const min = num(s.min_values) ?? 1;
    const max = num(s.max_values) ?? 1;
    if (min < 0 || min > 25) this.errors.add([...path, 'min_values'], 'NUMBER_TYPE_MAX', 'int value should be between 0 and 25.');
    if (max < 1 || max > 25) this.errors.add([...path, 'max_values'], 'NUMBER_TYPE_MAX', 'int value should be between 1 and 25.');
    if (min > max) this.errors.add([...path, 'min_values'], 'SELECT_COMPONENT_MIN_GREATER_THAN_MAX', 'min_values cannot be greater than max_values');
    if (s.type !== C.StringSelect) return;
    const options = records(s.options);
    if (options.length === 0 || options.length > 25) this.errors.add([...path, 'options'], 'BASE_TYPE_BAD_LENGTH', 'Must be between 1 and 25 in length.');
    if (max > options.length) this.errors.add([...path, 'max_values'], 'NUMBER_TYPE_MAX', `int value should be less than or equal to ${options.length}.`);
    const values = new Set<string>();
    options.forEach((o, i) => {
      const at = [...path, 'options', i];
      this.errors.text([...at, 'label'], o.label, { min: 1, max: 100, required: true });
      this.errors.text([...at, 'value'], o.value, { min: 1, max: 100, required: true });
      this.errors.text([...at, 'description'], o.description, { max: 100 });
      const value = str(o.value);
      if (value !== undefined && values.has(value)) this.errors.add([...at, 'value'], 'SELECT_COMPONENT_OPTION_VALUE_DUPLICATED', 'Component option value cannot be duplicated');
      if (value !== undefined) values.add(value);
    });
  }
}

function checkComponents(errors: FormErrors, base: Path, components: unknown, v2: boolean): void {
  if (!Array.isArray(components)) return;
  const checker = new ComponentChecker(errors);
  const list = records(components);
  if (v2) return new LayoutChecker(checker).check(base, list);
  errors.maxItems([...base, 'components'], list, 5);
  list.forEach((row, i) => {
    if (row.type === C.ActionRow) checker.row([...base, 'components', i], row);
    else errors.add([...base, 'components', i, 'type'], 'UNION_TYPE_CHOICES', 'Value of field "type" must be one of (1,).');
  });
}

/** The message as it would look after this write (for edits: the stored message with the body applied). */
export interface MergedMessage {
  content?: unknown;
  embeds?: unknown;
  components?: unknown;
  attachments: number;
  /** The file names of the message's attachments after this write (what `attachment://` may name). */
  attachmentNames?: string[];
  flags: number;
  /** The flags the message had before an edit; absent for a new message. */
  previousFlags?: number;
}

/**
 * Components V2: the legacy fields are refused, also when an edit turns a message with content or embeds
 * into a V2 one without clearing them; and once set, the flag stays (an edit that sends flags without it
 * is refused here rather than silently keeping it, so a bot that relies on removing it finds out).
 */
function checkComponentsV2Flag(errors: FormErrors, base: Path, body: Json, merged: MergedMessage): void {
  const refuse = (field: string) => errors.add([...base, field], LEGACY_FIELDS_V2, `The ${field} field cannot be used when using MessageFlags.IS_COMPONENTS_V2`);
  const hadV2 = ((merged.previousFlags ?? 0) & FLAG_COMPONENTS_V2) !== 0;
  if (hadV2 && typeof body.flags === 'number' && (body.flags & FLAG_COMPONENTS_V2) === 0) {
    errors.add([...base, 'flags'], 'MESSAGE_CANNOT_REMOVE_COMPONENTS_V2_FLAG', 'The IS_COMPONENTS_V2 flag cannot be removed from a message once set');
  }
  if ((merged.flags & FLAG_COMPONENTS_V2) === 0) return;
  if (typeof merged.content === 'string' && merged.content !== '') refuse('content');
  if (Array.isArray(merged.embeds) && merged.embeds.length > 0) refuse('embeds');
  if (isRecord(body.poll)) refuse('poll');
  if (Array.isArray(body.sticker_ids) && body.sticker_ids.length > 0) refuse('sticker_ids');
}

/** Validates a message create/edit body against what the message would become (`merged`). */
export function validateMessage(body: Json, merged: MergedMessage, base: Path = []): void {
  const errors = new FormErrors();
  const v2 = (merged.flags & FLAG_COMPONENTS_V2) !== 0;
  errors.text([...base, 'content'], body.content, { max: 2000 });
  checkComponentsV2Flag(errors, base, body, merged);
  checkEmbeds(errors, base, body.embeds);
  checkComponents(errors, base, body.components, v2);
  // A V2 media item must name a file the message carries: an upload of this request or one it keeps.
  if (v2 && merged.attachmentNames) {
    for (const ref of attachmentReferences(body.components, base)) {
      if (!merged.attachmentNames.includes(ref.name)) errors.add(ref.path, 'UNFURLED_MEDIA_ITEM_ATTACHMENT_NOT_FOUND', `No attachment named "${ref.name}" in this message.`);
    }
  }
  if (isRecord(body.poll)) errors.text([...base, 'poll', 'question', 'text'], isRecord(body.poll.question) ? body.poll.question.text : undefined, { min: 1, max: 300, required: true });
  errors.throwIfAny();

  const hasContent = typeof merged.content === 'string' && merged.content.trim() !== '';
  const hasList = (v: unknown): boolean => Array.isArray(v) && v.length > 0;
  if (!hasContent && !hasList(merged.embeds) && !hasList(merged.components) && merged.attachments === 0 && !hasList(body.sticker_ids) && !isRecord(body.poll)) {
    throw new ApiError(400, 50006, 'Cannot send an empty message');
  }
}

export function validateAutocompleteChoices(data: Json): void {
  const errors = new FormErrors();
  errors.maxItems(['data', 'choices'], data.choices, 25);
  records(data.choices).forEach((choice, i) => {
    errors.text(['data', 'choices', i, 'name'], choice.name, { min: 1, max: 100, required: true });
    if (typeof choice.value === 'string') errors.text(['data', 'choices', i, 'value'], choice.value, { max: 100 });
    else if (typeof choice.value !== 'number') errors.add(['data', 'choices', i, 'value'], 'BASE_TYPE_REQUIRED', 'This field is required');
  });
  errors.throwIfAny();
}

/**
 * A modal callback: custom_id, title, 1–5 top-level components, each a Label wrapping one input
 * (text input, select, radio group, checkbox group, checkbox, file upload), a Text Display, or the
 * deprecated action row holding one labelled text input; custom_ids unique in the modal.
 */
export function validateModal(data: Json): void {
  const errors = new FormErrors();
  errors.text(['data', 'custom_id'], data.custom_id, { min: 1, max: 100, required: true });
  errors.text(['data', 'title'], data.title, { min: 1, max: 45, required: true });
  const components = Array.isArray(data.components) ? data.components : [];
  if (components.length === 0 || components.length > 5) errors.add(['data', 'components'], 'BASE_TYPE_BAD_LENGTH', 'Must be between 1 and 5 in length.');
  const checker = new ComponentChecker(errors);
  records(components).forEach((c, i) => {
    const at = ['data', 'components', i];
    const type = num(c.type);
    if (type === C.Label) {
      errors.text([...at, 'label'], c.label, { min: 1, max: 45, required: true });
      errors.text([...at, 'description'], c.description, { max: 100 });
      if (isRecord(c.component)) modalInput(checker, [...at, 'component'], c.component, true);
      else errors.add([...at, 'component'], 'BASE_TYPE_REQUIRED', 'This field is required');
    } else if (type === C.ActionRow) {
      const row = records(c.components);
      if (row.length !== 1) errors.add([...at, 'components'], 'BASE_TYPE_BAD_LENGTH', 'Must be between 1 and 1 in length.');
      row.forEach((input, j) => (num(input.type) === C.TextInput ? modalInput(checker, [...at, 'components', j], input, false) : errors.add([...at, 'components', j, 'type'], 'COMPONENT_TYPE_INVALID', 'Only text inputs may be in a modal action row')));
    } else if (type === C.TextDisplay) errors.text([...at, 'content'], c.content, { min: 1, max: 4000, required: true });
    else errors.add([...at, 'type'], 'COMPONENT_TYPE_INVALID', `Component type ${String(type)} is not allowed in a modal`);
  });
  errors.throwIfAny();
}

function between(errors: FormErrors, path: Path, value: unknown, min: number, max: number): void {
  const n = num(value);
  if (value !== undefined && (n === undefined || !Number.isInteger(n) || n < min || n > max)) errors.add(path, 'NUMBER_TYPE_MAX', `int value should be between ${min} and ${max}.`);
}

/** One input of a modal; `inLabel`: wrapped in a Label (else a text input carries its own label). */
function modalInput(checker: ComponentChecker, path: Path, c: Json, inLabel: boolean): void {
  const { errors } = checker;
  const type = num(c.type);
  if (type === C.TextInput) {
    checker.customId(path, c.custom_id);
    if (c.style !== 1 && c.style !== 2) errors.add([...path, 'style'], 'BASE_TYPE_CHOICES', 'Value must be one of {1, 2}.');
    if (!inLabel) errors.text([...path, 'label'], c.label, { min: 1, max: 45, required: true });
    between(errors, [...path, 'min_length'], c.min_length, 0, 4000);
    between(errors, [...path, 'max_length'], c.max_length, 1, 4000);
    const max = num(c.max_length) ?? 4000;
    if ((num(c.min_length) ?? 0) > max) errors.add([...path, 'min_length'], 'TEXT_INPUT_MIN_GREATER_THAN_MAX', 'min_length cannot be greater than max_length');
    errors.text([...path, 'value'], c.value, { max: Math.min(max, 4000) });
    errors.text([...path, 'placeholder'], c.placeholder, { max: 100 });
  } else if (!inLabel) errors.add([...path, 'type'], 'COMPONENT_TYPE_INVALID', `Component type ${String(type)} must be in a label`);
  else if (type !== undefined && SELECT_TYPES.has(type)) checker.select(path, c);
  else if (type === C.CheckboxGroup || type === C.RadioGroup) {
    checker.customId(path, c.custom_id);
    const options = records(c.options);
    const fewest = type === C.RadioGroup ? 2 : 1;
    if (options.length < fewest || options.length > 10) errors.add([...path, 'options'], 'BASE_TYPE_BAD_LENGTH', `Must be between ${fewest} and 10 in length.`);
    const values = new Set<string>();
    options.forEach((o, i) => {
      errors.text([...path, 'options', i, 'label'], o.label, { min: 1, max: 100, required: true });
      errors.text([...path, 'options', i, 'value'], o.value, { min: 1, max: 100, required: true });
      errors.text([...path, 'options', i, 'description'], o.description, { max: 100 });
      const value = str(o.value) ?? '';
      if (values.has(value)) errors.add([...path, 'options', i, 'value'], 'SELECT_COMPONENT_OPTION_VALUE_DUPLICATED', 'Component option value cannot be duplicated');
      values.add(value);
    });
    if (type === C.CheckboxGroup) {
      between(errors, [...path, 'min_values'], c.min_values, 0, 10);
      between(errors, [...path, 'max_values'], c.max_values, 1, Math.max(options.length, 1));
      if ((num(c.min_values) ?? 1) > (num(c.max_values) ?? options.length)) errors.add([...path, 'min_values'], 'SELECT_COMPONENT_MIN_GREATER_THAN_MAX', 'min_values cannot be greater than max_values');
    } else if (options.filter((o) => o.default === true).length > 1) errors.add([...path, 'options'], 'RADIO_GROUP_MULTIPLE_DEFAULTS', 'Only one option can be the default');
  } else if (type === C.Checkbox || type === C.FileUpload) checker.customId(path, c.custom_id);
  else errors.add([...path, 'type'], 'COMPONENT_TYPE_INVALID', `Component type ${String(type)} is not allowed in a label`);
}

export function validateThreadName(name: unknown): void {
  const errors = new FormErrors();
  errors.text(['name'], name, { min: 1, max: 100, required: true });
  errors.throwIfAny();
}

const NAME_RE = /^[-_'\p{L}\p{N}\p{sc=Deva}\p{sc=Thai}]{1,32}$/u;
const SUBCOMMAND = 1;
const SUBCOMMAND_GROUP = 2;

function checkName(errors: FormErrors, path: Path, name: unknown): void {
  if (typeof name !== 'string' || !NAME_RE.test(name)) {
    errors.add([...path, 'name'], 'APPLICATION_COMMAND_INVALID_NAME', `Command name is invalid`);
  } else if (name !== name.toLowerCase()) {
    errors.add([...path, 'name'], 'APPLICATION_COMMAND_INVALID_NAME', 'Command name must be lowercase');
  }
}

/** Discord's locales: the only keys a `*_localizations` object may have. */
const LOCALES = new Set(['id', 'da', 'de', 'en-GB', 'en-US', 'es-ES', 'es-419', 'fr', 'hr', 'it', 'lt', 'hu', 'nl', 'no', 'pl', 'pt-BR', 'ro', 'fi', 'sv-SE', 'vi', 'tr', 'cs', 'el', 'bg', 'ru', 'uk', 'hi', 'th', 'zh-CN', 'ja', 'zh-TW', 'ko']);

/** A localizations object: Discord locales only, each value checked like the default (names by `checkName`). */
function checkLocalizations(errors: FormErrors, path: Path, field: string, value: unknown, check: (at: Path, text: unknown) => void): Record<string, string> {
  if (value === undefined || value === null) return {};
  if (typeof value !== 'object' || Array.isArray(value)) {
    errors.add([...path, field], 'DICT_TYPE_CONVERT', 'Only dictionaries may be used in a DictType');
    return {};
  }
  const out: Record<string, string> = {};
  for (const [locale, text] of Object.entries(value as Record<string, unknown>)) {
    if (!LOCALES.has(locale)) errors.add([...path, field, locale], 'ENUM_TYPE_COERCE', `Value "${locale}" is not a valid enum value.`);
    else if (text !== null) {
      check([...path, field, locale], text);
      if (typeof text === 'string') out[locale] = text;
    }
  }
  return out;
}

/** Name and description localizations of a command or option; returns each locale's name. */
function checkNodeLocalizations(errors: FormErrors, path: Path, node: Record<string, unknown>): Record<string, string> {
  const names = checkLocalizations(errors, path, 'name_localizations', node.name_localizations, (at, text) => {
    if (typeof text !== 'string' || !NAME_RE.test(text) || text !== text.toLowerCase()) errors.add(at, 'APPLICATION_COMMAND_INVALID_NAME', 'Command name is invalid');
  });
  checkLocalizations(errors, path, 'description_localizations', node.description_localizations, (at, text) => errors.text(at, text, { min: 1, max: 100, required: true }));
  return names;
}

/** Returns the text size Discord counts towards the 8000 limit (names, descriptions, choice names/values). */
function checkOptions(errors: FormErrors, path: Path, options: unknown, depth: number): number {
  if (!Array.isArray(options)) return 0;
  errors.maxItems([...path, 'options'], options, 25);
  let size = 0;
  let seenOptional = false;
  const names = new Set<string>();
  const localizedNames = new Map<string, Record<string, string>>(); // option name -> locale -> its name there
  const list = records(options);
  const nested = list.filter((o) => o.type === SUBCOMMAND || o.type === SUBCOMMAND_GROUP).length;
  if (nested > 0 && nested < list.length) errors.add([...path, 'options'], 'APPLICATION_COMMAND_OPTIONS_TYPE_INVALID', 'Sub-commands and sub-command groups cannot be mixed with other options');
  list.forEach((o, i) => {
    const at = [...path, 'options', i];
    checkName(errors, at, o.name);
    errors.text([...at, 'description'], o.description, { min: 1, max: 100, required: true });
    const name = str(o.name) ?? '';
    if (names.has(name)) errors.add([...at, 'name'], 'APPLICATION_COMMAND_OPTION_NAME_ALREADY_EXISTS', 'Option names must be unique');
    names.add(name);
    localizedNames.set(name, checkNodeLocalizations(errors, at, o));
    size += name.length + (str(o.description)?.length ?? 0);
    if (o.type === SUBCOMMAND_GROUP && depth > 0) errors.add([...at, 'type'], 'APPLICATION_COMMAND_OPTION_TYPE_INVALID', 'Sub-command groups cannot be nested');
    if (o.type === SUBCOMMAND || o.type === SUBCOMMAND_GROUP) {
      size += checkOptions(errors, at, o.options, depth + 1);
      return;
    }
    if (o.required === true && seenOptional) errors.add([...at, 'required'], 'APPLICATION_COMMAND_OPTIONS_REQUIRED_INVALID', 'Required options must be placed before non-required options');
    if (o.required !== true) seenOptional = true;
    errors.maxItems([...at, 'choices'], o.choices, 25);
    if (o.autocomplete === true && Array.isArray(o.choices) && o.choices.length > 0) errors.add([...at, 'autocomplete'], 'APPLICATION_COMMAND_OPTION_CHOICES_AUTOCOMPLETE', 'Autocomplete cannot be set when choices are present');
    records(o.choices).forEach((c, j) => {
      errors.text([...at, 'choices', j, 'name'], c.name, { min: 1, max: 100, required: true });
      checkLocalizations(errors, [...at, 'choices', j], 'name_localizations', c.name_localizations, (where, text) => errors.text(where, text, { min: 1, max: 100, required: true }));
      if (typeof c.value === 'string') errors.text([...at, 'choices', j, 'value'], c.value, { max: 100 });
      size += (str(c.name)?.length ?? 0) + String(c.value ?? '').length;
    });
  });
  // Sibling names must stay unique in every language: each option's name there, or its own name.
  const locales = new Set([...localizedNames.values()].flatMap((byLocale) => Object.keys(byLocale)));
  for (const locale of locales) {
    const seen = new Set<string>();
    list.forEach((o, i) => {
      const name = str(o.name) ?? '';
      const there = localizedNames.get(name)?.[locale] ?? name;
      if (seen.has(there)) errors.add([...path, 'options', i, 'name_localizations', locale], 'APPLICATION_COMMAND_OPTION_NAME_ALREADY_EXISTS', 'Option names must be unique');
      seen.add(there);
    });
  }
  return size;
}

/** Validates a bulk-overwrite (PUT) body of application commands. */
export function validateCommands(body: unknown): Json[] {
  const errors = new FormErrors();
  if (!Array.isArray(body)) {
    errors.add([], 'BASE_TYPE_ARRAY', 'Only iterables may be used in a ListType');
    errors.throwIfAny();
  }
  const commands = records(body);
  const perType = new Map<number, Set<string>>();
  commands.forEach((cmd, i) => {
    const type = num(cmd.type) ?? 1;
    const names = perType.get(type) ?? new Set<string>();
    perType.set(type, names);
    const name = str(cmd.name) ?? '';
    if (names.has(name)) errors.add([i, 'name'], 'APPLICATION_COMMANDS_DUPLICATE_NAME', `Application command names must be unique`);
    names.add(name);
    if (type === 1) {
      checkName(errors, [i], cmd.name);
      checkNodeLocalizations(errors, [i], cmd);
      errors.text([i, 'description'], cmd.description, { min: 1, max: 100, required: true });
      const size = name.length + (str(cmd.description)?.length ?? 0) + checkOptions(errors, [i], cmd.options, 0);
      if (size > 8000) errors.add([i], 'APPLICATION_COMMAND_TOO_LARGE', 'Command exceeds maximum size (8000)');
    } else {
      errors.text([i, 'name'], cmd.name, { min: 1, max: 32, required: true });
      if (cmd.description !== undefined && cmd.description !== '') errors.add([i, 'description'], 'APPLICATION_COMMAND_DESCRIPTION_INVALID', 'Context menu commands cannot have a description');
    }
  });
  for (const [type, names] of perType) {
    const limit = type === 1 ? 100 : 15;
    if (names.size > limit) errors.add([], 'BASE_TYPE_MAX_LENGTH', `Must be ${limit} or fewer commands of type ${type}.`);
  }
  errors.throwIfAny();
  return commands;
}
