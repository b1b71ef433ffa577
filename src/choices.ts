/** An autocomplete suggestion or a static choice, as the domain offers it (at most MAX_CHOICES, src/constants.ts). */
export interface Choice {
  name: string;
  value: string;
}
