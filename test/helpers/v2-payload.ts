import { expect } from 'vitest';
import type { LayoutMessage } from '../../src/discord/messages/layout.js';
import type { Json } from '../loopback/util.js';
import { FLAG_COMPONENTS_V2, validateMessage } from '../loopback/validate.js';
import { textDisplays } from '../loopback/validate-v2.js';

/** The message as Discord receives it, checked by the loopback's validator (which throws Discord's 400). */
export function checkedPayload(message: LayoutMessage): { components: number; text: number } {
  const components = message.components.map((c) => c.toJSON() as unknown as Json);
  validateMessage({ components, flags: message.flags }, { components, attachments: 0, flags: message.flags });
  expect(message.flags).toBe(FLAG_COMPONENTS_V2);
  let count = 0;
  const walk = (list: unknown): void => {
    for (const c of Array.isArray(list) ? (list as Json[]) : []) {
      count++;
      if (c.accessory) count++;
      walk(c.components);
    }
  };
  walk(components);
  return { components: count, text: textDisplays(components).reduce((n, t) => n + [...t].length, 0) };
}
