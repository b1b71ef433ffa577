import type { Clock } from './clock.js';
import type { Logger } from './logger.js';

type Exit = (code: number) => void;

/**
 * Last line of defence: an error nothing caught is logged once, as JSON with what it was and
 * where it came from, and the process exits non-zero so a supervisor restarts it. Continuing
 * after one would run on state nobody can vouch for. Returns a function that removes the handlers.
 */
export function installCrashHandlers(logger: Logger, exit: Exit = (code) => process.exit(code), target: Pick<NodeJS.EventEmitter, 'on' | 'off'> = process): () => void {
  let crashed = false;
  const crash = (origin: string) => (error: unknown) => {
    if (crashed) return;
    crashed = true;
    logger.fatal({ err: error, origin }, `unexpected ${origin === 'unhandledRejection' ? 'unhandled promise rejection' : 'exception'}; exiting so the supervisor can restart tamasha`);
    exit(1);
  };
  const onRejection = crash('unhandledRejection');
  const onException = crash('uncaughtException');
  target.on('unhandledRejection', onRejection);
  target.on('uncaughtException', onException);
  return () => {
    target.off('unhandledRejection', onRejection);
    target.off('uncaughtException', onException);
  };
}

/** The longest a shutdown may take before the process exits anyway: supervisors wait about 10 s. */
export const SHUTDOWN_DEADLINE_MS = 9_000;

export interface ShutdownOptions {
  /** The exit code when `stop` finishes in time (non-zero when the shutdown itself reports a failure). */
  exitCode?: number;
  deadlineMs?: number;
  exit?: Exit;
}

/**
 * Runs `stop` and exits with `exitCode` (default 0) when it finishes, 1 when it fails or has not
 * finished by the deadline (something hung: a stuck request, a store that never answers).
 */
export function shutdownWithin(stop: () => Promise<void>, logger: Logger, clock: Clock, options: ShutdownOptions = {}): void {
  const { exitCode = 0, deadlineMs = SHUTDOWN_DEADLINE_MS, exit = (code: number) => process.exit(code) } = options;
  let done = false;
  const finish = (code: number) => {
    if (done) return;
    done = true;
    cancel();
    exit(code);
  };
  const cancel = clock.setTimer(deadlineMs, () => {
    logger.error({ deadlineMs }, 'shutdown did not finish in time; exiting anyway');
    finish(1);
  });
  stop().then(
    () => finish(exitCode),
    (error: unknown) => {
      logger.error({ err: error }, 'error while shutting down');
      finish(1);
    },
  );
}
