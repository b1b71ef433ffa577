/**
 * Components V2 layouts (message flag IS_COMPONENTS_V2, 1 << 15), checked as Discord checks them: which
 * component may sit where, a Section's 1–3 Text Displays and its accessory, 1–10 gallery items, at most 40
 * components in the message counting nested ones, at most 4,000 characters of Text Display content.
 */
import type { FormErrors } from './validate.js';
import { isRecord, num, records, str, type Json } from './util.js';

type Path = ReadonlyArray<string | number>;

/** Component types (Discord's numbering). */
export const V2 = { ActionRow: 1, Button: 2, Section: 9, TextDisplay: 10, Thumbnail: 11, MediaGallery: 12, File: 13, Separator: 14, Container: 17 } as const;

export const MAX_COMPONENTS = 40;
export const MAX_TEXT_DISPLAY_CHARS = 4000;

const TOP_LEVEL: readonly number[] = [V2.ActionRow, V2.Section, V2.TextDisplay, V2.MediaGallery, V2.File, V2.Separator, V2.Container];
const IN_CONTAINER: readonly number[] = [V2.ActionRow, V2.Section, V2.TextDisplay, V2.MediaGallery, V2.File, V2.Separator];

/** What the layout walk needs from the message-wide checker (custom_id uniqueness, buttons, rows). */
export interface InteractiveChecker {
  readonly errors: FormErrors;
  count: number;
  row(path: Path, row: Json): void;
  interactive(path: Path, c: Json): void;
}

const chars = (s: string): number => [...s].length;

/** Walks a V2 message's components; returns the total Text Display length (its caller checks the totals). */
export class LayoutChecker {
  textChars = 0;
  readonly #ids = new Set<number>();

  constructor(readonly inner: InteractiveChecker) {}

  get errors(): FormErrors {
    return this.inner.errors;
  }

  check(base: Path, list: Json[]): void {
    list.forEach((c, i) => this.#component([...base, 'components', i], c, TOP_LEVEL));
    if (this.inner.count > MAX_COMPONENTS) this.errors.add([...base, 'components'], 'COMPONENT_MAX_TOTAL_COMPONENTS_EXCEEDED', `Must be ${MAX_COMPONENTS} or fewer in total.`);
    if (this.textChars > MAX_TEXT_DISPLAY_CHARS) {
      this.errors.add([...base, 'components'], 'MAX_TEXT_DISPLAY_LENGTH_EXCEEDED', `Text displays must be ${MAX_TEXT_DISPLAY_CHARS} or fewer characters in total.`);
    }
  }

  #id(path: Path, c: Json): void {
    if (c.id === undefined || c.id === null) return;
    const id = num(c.id);
    if (id === undefined || !Number.isInteger(id) || id < 0 || id > 2_147_483_647) return this.errors.add([...path, 'id'], 'NUMBER_TYPE_COERCE', `Value "${String(c.id)}" is not int.`);
    if (id === 0) return;
    if (this.#ids.has(id)) this.errors.add([...path, 'id'], 'COMPONENT_ID_DUPLICATED', 'Component id cannot be duplicated');
    this.#ids.add(id);
  }

  #component(path: Path, c: Json, allowed: readonly number[]): void {
    const type = num(c.type);
    if (type === undefined || !allowed.includes(type)) {
      return this.errors.add([...path, 'type'], 'UNION_TYPE_CHOICES', `Value of field "type" must be one of (${allowed.join(', ')}).`);
    }
    this.#id(path, c);
    if (type === V2.ActionRow) return this.inner.row(path, c);
    this.inner.count++;
    switch (type) {
      case V2.TextDisplay:
        return this.#text(path, c);
      case V2.Section:
        return this.#section(path, c);
      case V2.Container:
        return this.#container(path, c);
      case V2.MediaGallery:
        return this.#gallery(path, c);
      case V2.Separator:
        if (c.spacing !== undefined && c.spacing !== 1 && c.spacing !== 2) this.errors.add([...path, 'spacing'], 'BASE_TYPE_CHOICES', 'Value must be one of {1, 2}.');
        return;
      case V2.File:
        return this.#media([...path, 'file'], c.file, true);
    }
  }

  #text(path: Path, c: Json): void {
    const content = str(c.content);
    if (content === undefined || content === '') return this.errors.add([...path, 'content'], 'BASE_TYPE_REQUIRED', 'This field is required');
    if (chars(content) > MAX_TEXT_DISPLAY_CHARS) this.errors.add([...path, 'content'], 'BASE_TYPE_MAX_LENGTH', `Must be ${MAX_TEXT_DISPLAY_CHARS} or fewer in length.`);
    this.textChars += chars(content);
  }

  #section(path: Path, c: Json): void {
    const children = records(c.components);
    if (children.length < 1 || children.length > 3) this.errors.add([...path, 'components'], 'BASE_TYPE_BAD_LENGTH', 'Must be between 1 and 3 in length.');
    children.forEach((child, i) => this.#component([...path, 'components', i], child, [V2.TextDisplay]));
    const accessory = c.accessory;
    if (!isRecord(accessory)) return this.errors.add([...path, 'accessory'], 'BASE_TYPE_REQUIRED', 'This field is required');
    const at = [...path, 'accessory'];
    const type = num(accessory.type);
    if (type === V2.Button) {
      this.#id(at, accessory);
      this.inner.interactive(at, accessory);
    } else if (type === V2.Thumbnail) {
      this.#id(at, accessory);
      this.inner.count++;
      this.#media([...at, 'media'], accessory.media, false);
      this.errors.text([...at, 'description'], accessory.description, { max: 1024 });
    } else this.errors.add([...at, 'type'], 'UNION_TYPE_CHOICES', `Value of field "type" must be one of (${V2.Button}, ${V2.Thumbnail}).`);
  }

  #container(path: Path, c: Json): void {
    const children = records(c.components);
    if (children.length === 0) this.errors.add([...path, 'components'], 'BASE_TYPE_BAD_LENGTH', 'Must be between 1 and 40 in length.');
    const accent = c.accent_color;
    if (accent !== undefined && accent !== null && !(Number.isInteger(accent) && (accent as number) >= 0 && (accent as number) <= 0xffffff)) {
      this.errors.add([...path, 'accent_color'], 'NUMBER_TYPE_MAX', 'int value should be less than or equal to 16777215.');
    }
    children.forEach((child, i) => this.#component([...path, 'components', i], child, IN_CONTAINER));
  }

  #gallery(path: Path, c: Json): void {
    const items = records(c.items);
    if (items.length < 1 || items.length > 10) this.errors.add([...path, 'items'], 'BASE_TYPE_BAD_LENGTH', 'Must be between 1 and 10 in length.');
    items.forEach((item, i) => {
      this.#media([...path, 'items', i, 'media'], item.media, false);
      this.errors.text([...path, 'items', i, 'description'], item.description, { max: 1024 });
    });
  }

  /** An unfurled media item: a url, which a File component must take from an attachment. */
  #media(path: Path, media: unknown, attachmentOnly: boolean): void {
    const url = isRecord(media) ? str(media.url) : undefined;
    if (!url) return this.errors.add([...path, 'url'], 'BASE_TYPE_REQUIRED', 'This field is required');
    const scheme = /^(https?|attachment):\/\//.exec(url)?.[1];
    if (!scheme || (attachmentOnly && scheme !== 'attachment')) this.errors.add([...path, 'url'], 'URL_TYPE_INVALID_URL', attachmentOnly ? 'Must be an attachment:// url.' : 'Not a well formed URL.');
  }
}

/** All the Text Display content of a message, in order (what a member reads in a V2 message). */
export function textDisplays(components: unknown): string[] {
  const out: string[] = [];
  const walk = (list: unknown): void => {
    for (const c of records(list)) {
      if (c.type === V2.TextDisplay && typeof c.content === 'string') out.push(c.content);
      walk(c.components);
    }
  };
  walk(components);
  return out;
}

/** Every `attachment://<name>` a V2 layout references (gallery items, thumbnails, files), with its path. */
export function attachmentReferences(components: unknown, base: Path = []): Array<{ path: Path; name: string }> {
  const out: Array<{ path: Path; name: string }> = [];
  const media = (path: Path, item: unknown) => {
    const url = isRecord(item) ? str(item.url) : undefined;
    if (url?.startsWith('attachment://')) out.push({ path: [...path, 'url'], name: url.slice('attachment://'.length) });
  };
  const walk = (list: unknown, at: Path): void => {
    records(list).forEach((c, i) => {
      const path = [...at, 'components', i];
      if (c.type === V2.MediaGallery) records(c.items).forEach((item, j) => media([...path, 'items', j, 'media'], item.media));
      if (c.type === V2.File) media([...path, 'file'], c.file);
      if (isRecord(c.accessory) && c.accessory.type === V2.Thumbnail) media([...path, 'accessory', 'media'], c.accessory.media);
      walk(c.components, path);
    });
  };
  walk(components, base);
  return out;
}
