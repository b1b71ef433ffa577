/** What the charts draw: plain numbers and labels (the verdict's Trend and Shifts have this shape). */
export interface TrendInput {
  /** One per stance, in order; also the legend. */
  labels: string[];
  /** Oldest first; counts null: the day's snapshot is missing. */
  days: Array<{ day: string; counts: number[] | null }>;
}

export interface ShiftsInput {
  labels: string[];
  shifts: Array<{ from: number | null; to: number | null; count: number }>;
}

/** A drawn chart: the PNG, and the same numbers as text for screen readers (and for the message). */
export interface Chart {
  png: Buffer;
  /** The image's alt text (at most 1,024 characters: Discord's attachment description). */
  alt: string;
  /** Every number of the chart, one line per day or group. */
  text: string;
}
