/** Time as the bot sees it: injectable so tests drive deadlines and schedules without sleeping. */
export interface Clock {
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };
