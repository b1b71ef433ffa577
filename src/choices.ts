/** An autocomplete suggestion or a static choice, as the domain offers it. */
export interface Choice {
  name: string;
  value: string;
}

/** Discord takes at most 25 choices, whether static or from autocomplete. */
export const MAX_CHOICES = 25;
